// The scripted adapter behaves like whatsapp-web.js at the connection's edges, through the real
// sidecar process: a network drop raises the library's change_state names (never
// `disconnected`), holds acks at 0 until the network is back; conflict, ban and a hung page.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Sidecar, readyFake, tempDir, sleep } from './support/sidecar-process.js';

/** @type {Sidecar[]} */
const started = [];
after(() => started.forEach((s) => s.kill()));

/** @param {Record<string, unknown>} [options] */
async function ready(options = {}, dir = tempDir()) {
  const sc = await readyFake(dir, options);
  started.push(sc);
  return sc;
}

/** @param {Sidecar} sc @param {number} from */
const statesFrom = (sc, from) => sc.lines.slice(from).filter((l) => l.type === 'state').map((l) => (l.code && l.state !== 'pairing_code' ? `${l.state}:${l.code}` : l.state));

test('a network drop: TIMEOUT, acks held at 0, then OPENING → CONNECTED and the held ack goes out', async () => {
  const sc = await ready();
  const mark = sc.lines.length;
  await sc.call('fake_drop', { notice_after_ms: 400 });
  // WhatsApp Web has not noticed yet: the send is taken and waits at ack 0.
  const sent = await sc.call('send_message', { phone: '79161234567', text: 'while offline' });
  const echo = await sc.waitFor((l) => l.type === 'message' && l.message.wa_id.id === sent.wa_id.id, { from: mark });
  assert.equal(echo.message.ack, 0);
  const timeout = await sc.waitState('degraded', { from: mark, timeoutMs: 3000 });
  assert.equal(timeout.code, 'network_timeout');
  assert.ok(timeout.advice.length > 20);
  const refused = await sc.request('send_message', { phone: '79161234567', text: 'after the notice' });
  assert.equal(refused.error.code, 'not_ready');
  await sleep(100);
  assert.equal(sc.lines.slice(mark).filter((l) => l.type === 'ack').length, 0, 'no ack while offline');

  const back = sc.lines.length;
  await sc.call('fake_reconnect');
  await sc.waitState('ready', { from: back });
  const ack = await sc.waitFor((l) => l.type === 'ack' && l.wa_id.id === sent.wa_id.id, { from: back });
  assert.equal(ack.ack, 1);
  assert.deepEqual(statesFrom(sc, mark), ['degraded:network_timeout', 'degraded:reconnecting', 'degraded:reconnecting', 'ready']);
  const world = await sc.call('fake_state');
  assert.deepEqual(world.library_events, [['change_state', 'TIMEOUT'], ['change_state', 'OPENING'], ['change_state', 'PAIRING'], ['change_state', 'CONNECTED']]);
  assert.ok(!world.library_events.some((/** @type {string[]} */ e) => e[0] === 'disconnected'), 'a drop never says disconnected');
  await sc.close();
});

test('a session opened elsewhere: conflict, sending refused, "use here" brings it back; the session is kept', async () => {
  const dir = tempDir();
  const sc = await ready({}, dir);
  const mark = sc.lines.length;
  const early = await sc.request('use_here');
  assert.equal(early.error.code, 'invalid_state');
  await sc.call('fake_conflict');
  const conflict = await sc.waitState('conflict', { from: mark });
  assert.match(conflict.advice, /Use here/);
  const refused = await sc.request('send_message', { phone: '79161234567', text: 'x' });
  assert.equal(refused.error.code, 'not_ready');
  assert.equal((await sc.call('fake_state')).paired, true, 'a conflict does not unlink');
  await sc.call('use_here');
  await sc.waitState('ready', { from: mark });
  assert.deepEqual(statesFrom(sc, mark), ['conflict', 'starting', 'authenticated', 'ready']);
  await sc.close();
});

test('a ban: its own state with advice, kept across a restart until lifted; the session stays', async () => {
  const dir = tempDir();
  const sc = await ready({}, dir);
  const mark = sc.lines.length;
  await sc.call('fake_ban', { state: 'SMB_TOS_BLOCK' });
  const banned = await sc.waitState('banned', { from: mark });
  assert.equal(banned.code, 'smb_tos_block');
  assert.match(banned.advice, /banned/);
  const refused = await sc.request('send_message', { phone: '79161234567', text: 'x' });
  assert.equal(refused.error.code, 'not_ready');
  await sc.close();

  const again = new Sidecar();
  started.push(again);
  await again.call('hello', { data_dir: dir, adapter: 'fake' });
  assert.equal((await again.waitState('banned')).code, 'smb_tos_block');
  await again.call('fake_unban');
  const m2 = again.lines.length;
  await again.call('reconnect');
  await again.waitState('ready', { from: m2 });
  await again.close();
});

test('a hung page: the probe degrades it (not_responding), then a new page is built and ready', async () => {
  const sc = await ready({ probe_interval_ms: 30, probe_timeout_ms: 30, probe_degrade_after_ms: 150, probe_rebuild_after_ms: 500, retry_ms: 50 });
  const mark = sc.lines.length;
  await sc.call('fake_freeze');
  const degraded = await sc.waitState('degraded', { from: mark, timeoutMs: 3000 });
  assert.equal(degraded.code, 'not_responding');
  await sc.waitState('ready', { from: mark, timeoutMs: 5000 });
  assert.deepEqual(statesFrom(sc, mark), ['degraded:not_responding', 'degraded:not_responding', 'starting', 'authenticated', 'ready']);
  await sc.close();
});

test('the phone unlinks us: UNPAIRED, logged out, the saved session is gone', async () => {
  const sc = await ready();
  const mark = sc.lines.length;
  await sc.call('fake_logout');
  assert.match((await sc.waitState('logged_out', { from: mark })).reason, /UNPAIRED/);
  assert.equal((await sc.call('fake_state')).paired, false);
  await sc.close();
});

test('an outdated WhatsApp Web fails with its own code', async () => {
  const sc = await ready();
  const mark = sc.lines.length;
  await sc.call('fake_change_state', { state: 'DEPRECATED_VERSION' });
  assert.equal((await sc.waitState('failed', { from: mark })).code, 'deprecated_version');
  await sc.close();
});
