// Delivery progress as whatsapp-web.js reports it, through the real sidecar process with the fake
// adapter: a send's reply carries the message's ack (0 while WhatsApp Web holds it), and
// `message_ack` comes only when the server confirms.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readyFake, tempDir } from './support/sidecar-process.js';

/** @type {import('./support/sidecar-process.js').Sidecar[]} */
const started = [];
after(() => started.forEach((s) => s.kill()));

test('a send the server never confirms replies with ack 0 and emits no ack until one arrives', async () => {
  const sc = await readyFake(tempDir(), { hold_acks: true });
  started.push(sc);
  const mark = sc.lines.length;
  const held = await sc.call('send_message', { phone: '79161234567', text: 'held at ack 0' });
  assert.equal(held.ack, 0);
  await sc.call('fake_state');
  assert.equal(sc.lines.slice(mark).filter((l) => l.type === 'ack').length, 0, 'no ack event for a pending message');

  await sc.call('fake_ack', { message_id: held.wa_id.stable, ack: 1 });
  const ack = await sc.waitFor((l) => l.type === 'ack', { from: mark });
  assert.deepEqual([ack.wa_id.stable, ack.ack], [held.wa_id.stable, 1]);

  const configured = await sc.call('fake_configure', { hold_acks: false });
  assert.equal(configured.hold_acks, false);
  const sent = await sc.call('send_message', { phone: '79161234567', text: 'confirmed at once' });
  assert.equal(sent.ack, 1);
  const refused = await sc.request('fake_configure', { hold_acks: 'yes' });
  assert.equal(refused.error.code, 'bad_request');
  await sc.close();
});
