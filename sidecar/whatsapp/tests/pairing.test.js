// Linking and session restore, through the real sidecar process with the fake adapter.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Sidecar, readyFake, tempDir } from './support/sidecar-process.js';

/** @type {Sidecar[]} */
const started = [];
after(() => started.forEach((s) => s.kill()));

test('hello, then a QR code, then a scan leads to authenticated and ready', async () => {
  const sc = new Sidecar();
  started.push(sc);
  const hello = await sc.call('hello', { data_dir: tempDir(), adapter: 'fake' });
  assert.equal(hello.protocol, 1);
  assert.equal(hello.adapter, 'fake');
  const qr = await sc.waitState('qr');
  assert.match(qr.qr, /^2@/);
  await sc.call('fake_show_qr');
  const rotated = await sc.waitFor((l) => l.type === 'state' && l.state === 'qr' && l.qr !== qr.qr);
  assert.notEqual(rotated.qr, qr.qr);
  await sc.call('fake_scan');
  const ready = await sc.waitState('ready');
  assert.equal(typeof ready.account, 'string');
  assert.deepEqual(sc.states(), ['starting', 'qr', 'qr', 'authenticated', 'ready']);
  await sc.close();
});

test('the QR code is re-emitted as it rotates', async () => {
  const sc = new Sidecar();
  started.push(sc);
  await sc.call('hello', { data_dir: tempDir(), adapter: 'fake', options: { qr_rotate_ms: 100 } });
  await sc.waitFor(() => sc.lines.filter((l) => l.state === 'qr').length >= 3, { timeoutMs: 3000 });
  const codes = new Set(sc.lines.filter((l) => l.state === 'qr').map((l) => l.qr));
  assert.ok(codes.size >= 3, 'each rotation carries a new QR string');
  await sc.close();
});

test('linking with a phone number shows a pairing code and completes to ready', async () => {
  const sc = new Sidecar();
  started.push(sc);
  await sc.call('hello', { data_dir: tempDir(), adapter: 'fake' });
  await sc.waitState('qr');
  const bad = await sc.request('request_pairing_code', { phone: 'not a number' });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'invalid_number');
  const { code } = await sc.call('request_pairing_code', { phone: '+44 7700 900123' });
  assert.match(code, /^[A-Z0-9]{8}$/);
  const shown = await sc.waitState('pairing_code');
  assert.equal(shown.code, code);
  await sc.call('fake_pairing_complete');
  const ready = await sc.waitState('ready');
  assert.equal(ready.account, '447700900123');
  await sc.close();
});

test('a restarted sidecar with a saved session goes to ready without a QR code', async () => {
  const dataDir = tempDir();
  const first = await readyFake(dataDir);
  started.push(first);
  await first.close();
  const second = new Sidecar();
  started.push(second);
  await second.call('hello', { data_dir: dataDir, adapter: 'fake' });
  await second.waitState('ready');
  assert.deepEqual(second.states(), ['starting', 'authenticated', 'ready']);
  await second.close();
});

test('a logout from the phone clears the session, so the next start asks for a QR code', async () => {
  const dataDir = tempDir();
  const first = await readyFake(dataDir);
  started.push(first);
  await first.call('fake_logout');
  const out = await first.waitState('logged_out');
  assert.match(out.reason, /UNPAIRED/, 'the phone removed the linked device');
  const send = await first.request('send_message', { phone: '79161234567', text: 'hi' });
  assert.equal(send.error.code, 'not_ready');
  await first.close();
  const second = new Sidecar();
  started.push(second);
  await second.call('hello', { data_dir: dataDir, adapter: 'fake' });
  await second.waitState('qr');
  assert.ok(!second.states().includes('ready'));
  await second.close();
});

test('a drop degrades the connection and a reconnect brings it back to ready', async () => {
  const sc = await readyFake(tempDir());
  started.push(sc);
  const mark = sc.lines.length;
  await sc.call('fake_drop');
  const degraded = await sc.waitState('degraded', { from: mark });
  assert.equal(degraded.code, 'network_timeout');
  const during = await sc.request('send_message', { phone: '79161234567', text: 'hi' });
  assert.deepEqual([during.error.code, during.error.transient, during.error.maybe_sent], ['not_ready', true, false]);
  const beforeRetry = sc.lines.length;
  await sc.call('reconnect');
  await sc.waitState('degraded', { from: beforeRetry });
  await sc.call('fake_reconnect');
  await sc.waitState('ready', { from: mark });
  await sc.close();
});
