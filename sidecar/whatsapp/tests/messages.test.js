// Incoming messages, backfill, sending, acks and post-crash lookups, through the real sidecar
// process with the fake adapter.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Sidecar, readyFake, tempDir, sleep } from './support/sidecar-process.js';

/** @type {Sidecar[]} */
const started = [];
after(() => started.forEach((s) => s.kill()));

/** @param {string} dataDir @param {Record<string, unknown>} [options] */
async function ready(dataDir, options) {
  const sc = await readyFake(dataDir, options);
  started.push(sc);
  return sc;
}

test('a live incoming message is emitted with its stable id, sender and saved media', async () => {
  const dataDir = tempDir();
  const sc = await ready(dataDir);
  const account = sc.lines.find((l) => l.state === 'ready').account;
  const bytes = Buffer.from('%PDF-1.4 itinerary');
  const mark = sc.lines.length;
  const res = await sc.call('fake_incoming', {
    from: '+7 916 123-45-67',
    name: 'Olga',
    text: 'Is the Cappadocia tour available?',
    media: { mimetype: 'application/pdf', filename: 'passport.pdf', data_base64: bytes.toString('base64') },
  });
  const ev = await sc.waitFor((l) => l.type === 'message', { from: mark });
  const m = ev.message;
  assert.equal(m.wa_id.stable, `${account}:0:${m.wa_id.id}`);
  assert.equal(m.wa_id.stable, res.wa_id.stable);
  assert.equal(m.wa_id.serialized, `false_79161234567@c.us_${m.wa_id.id}`);
  assert.deepEqual([m.chat_id, m.from_me, m.notify_name, m.sender_phone, m.is_group], ['79161234567@c.us', false, 'Olga', '79161234567', false]);
  assert.equal(m.body, 'Is the Cappadocia tour available?');
  assert.equal(m.type, 'document');
  assert.equal(m.via_sidecar, false);
  assert.equal(path.dirname(m.media.path), path.join(dataDir, 'media'), 'media lands in the default media dir');
  assert.deepEqual([m.media.mimetype, m.media.filename, m.media.size, m.media.error], ['application/pdf', 'passport.pdf', bytes.length, null]);
  assert.deepEqual(fs.readFileSync(m.media.path), bytes);
  await sc.close();
});

test('group messages carry the author, and @lid senders have no phone', async () => {
  const sc = await ready(tempDir());
  const mark = sc.lines.length;
  await sc.call('fake_incoming', { chat: '120363000000000001@g.us', from: '31415926@lid', text: 'hi all' });
  const { message: m } = await sc.waitFor((l) => l.type === 'message', { from: mark });
  await sc.call('fake_incoming', { from: '79161234567', message_type: 'ptt', media: { mimetype: 'audio/ogg; codecs=opus', size: 64 } });
  const voice = await sc.waitFor((l) => l.type === 'message' && l.message.type === 'ptt', { from: mark });
  assert.equal(voice.message.media.size, 64);
  assert.ok(voice.message.media.path.endsWith('.ogg'));
  assert.deepEqual([m.chat_id, m.author, m.is_group, m.sender_phone], ['120363000000000001@g.us', '31415926@lid', true, null]);
  assert.ok(m.wa_id.serialized.endsWith('_31415926@lid'));
  await sc.close();
});

test('messages that arrived while the app was closed come back once through fetch_messages after a restart', async () => {
  const dataDir = tempDir();
  const first = await ready(dataDir);
  const t0 = Math.floor(Date.now() / 1000);
  const mark = first.lines.length;
  await first.call('fake_incoming', { from: '79161234567', text: 'before', timestamp: t0 - 100 });
  await first.close();

  // The phone's contacts keep writing while the app is closed: stored on the WhatsApp side only.
  const offline = new Sidecar();
  started.push(offline);
  await offline.call('hello', { data_dir: dataDir, adapter: 'fake' });
  await offline.waitState('ready');
  await offline.call('fake_drop');
  await offline.call('fake_incoming', { from: '79161234567', text: 'while you were away', timestamp: t0 - 10, offline: true });
  await offline.call('fake_incoming', { from: '79161234567', text: 'hello?', timestamp: t0 - 5 });
  await sleep(100);
  assert.equal(offline.lines.filter((l) => l.type === 'message').length, 0, 'nothing emitted while offline');
  await offline.close();
  assert.ok(first.lines.slice(mark).filter((l) => l.type === 'message').length === 1);

  const second = await ready(dataDir);
  const got = await second.call('fetch_messages', { chat_id: '79161234567@c.us', since: t0 - 10 });
  assert.deepEqual(got.messages.map((/** @type {any} */ m) => m.body), ['while you were away', 'hello?']);
  assert.equal(got.truncated, false);
  const limited = await second.call('fetch_messages', { chat_id: '79161234567@c.us', since: 0, limit: 2 });
  assert.deepEqual(limited.messages.map((/** @type {any} */ m) => m.body), ['while you were away', 'hello?']);
  assert.equal(limited.truncated, true);
  const chats = await second.call('get_chats');
  assert.equal(chats.chats.length, 1);
  assert.equal(chats.chats[0].unread_count, 3);
  await second.call('mark_read', { chat_id: '79161234567@c.us' });
  assert.equal((await second.call('get_chats')).chats[0].unread_count, 0);
  const missing = await second.request('fetch_messages', { chat_id: '70000000000@c.us' });
  assert.equal(missing.error.code, 'chat_not_found');
  await second.close();
});

test('send_message replies with the WhatsApp id, echoes the key, and acks follow', async () => {
  const sc = await ready(tempDir());
  const account = sc.lines.find((l) => l.state === 'ready').account;
  const mark = sc.lines.length;
  const sent = await sc.call('send_message', { phone: '+7 916 123 45 67', text: 'Your tour starts at 9:00', idempotency_key: 'outbox-1' });
  assert.equal(sent.idempotency_key, 'outbox-1');
  assert.equal(sent.chat_id, '79161234567@c.us');
  assert.equal(sent.wa_id.stable, `${account}:1:${sent.wa_id.id}`);
  assert.equal(sent.deduplicated, false);
  const own = await sc.waitFor((l) => l.type === 'message', { from: mark });
  assert.equal(own.message.wa_id.stable, sent.wa_id.stable);
  assert.equal(own.message.via_sidecar, true);
  const ack1 = await sc.waitFor((l) => l.type === 'ack', { from: mark });
  assert.deepEqual([ack1.wa_id.stable, ack1.ack], [sent.wa_id.stable, 1]);
  await sc.call('fake_ack', { message_id: sent.wa_id.stable, ack: 3 });
  const ack3 = await sc.waitFor((l) => l.type === 'ack' && l.ack === 3, { from: mark });
  assert.equal(ack3.wa_id.stable, sent.wa_id.stable);

  const again = await sc.call('send_message', { phone: '79161234567', text: 'Your tour starts at 9:00', idempotency_key: 'outbox-1' });
  assert.equal(again.deduplicated, true);
  assert.equal(again.wa_id.stable, sent.wa_id.stable);
  const state = await sc.call('fake_state');
  assert.equal(state.delivered_by_idempotency_key['outbox-1'], 1);
  assert.equal(state.sent_count, 1);

  const file = path.join(tempDir(), 'plan.pdf');
  fs.writeFileSync(file, 'PDF');
  const doc = await sc.call('send_message', { chat_id: '79161234567@c.us', text: 'Itinerary', media: { path: file, mimetype: 'application/pdf', filename: 'plan.pdf' } });
  const stored = (await sc.call('fake_state')).messages.find((/** @type {any} */ m) => m.id === doc.wa_id.id);
  assert.deepEqual([stored.type, stored.body, stored.media.size, stored.media.filename], ['document', 'Itinerary', 3, 'plan.pdf']);
  const unreadable = await sc.request('send_message', { chat_id: '79161234567@c.us', text: 'x', media: { path: '/nonexistent/file.pdf', mimetype: 'application/pdf' } });
  assert.deepEqual([unreadable.error.code, unreadable.error.transient], ['media_unreadable', false]);
  await sc.close();
});

test('a message typed on the phone is reported as ours but not sent by the sidecar', async () => {
  const sc = await ready(tempDir());
  const mark = sc.lines.length;
  await sc.call('fake_incoming', { from: '79161234567', from_me: true, text: 'I will take it from here' });
  const { message: m } = await sc.waitFor((l) => l.type === 'message', { from: mark });
  assert.deepEqual([m.from_me, m.via_sidecar, m.chat_id], [true, false, '79161234567@c.us']);
  assert.match(m.wa_id.stable, /:1:/);
  await sc.close();
});

test('send errors tell permanent from transient, and a delivered time-out says maybe_sent', async () => {
  const sc = await ready(tempDir(), { not_on_whatsapp: ['79990001122'] });
  const notOn = await sc.request('send_message', { phone: '79990001122', text: 'hi' });
  assert.deepEqual([notOn.error.code, notOn.error.transient, notOn.error.maybe_sent], ['not_on_whatsapp', false, false]);
  const invalid = await sc.request('send_message', { phone: '12', text: 'hi' });
  assert.deepEqual([invalid.error.code, invalid.error.transient], ['invalid_number', false]);
  await sc.call('fake_configure', { fail_next_sends: { count: 2, code: 'network' } });
  for (let i = 0; i < 2; i++) {
    const r = await sc.request('send_message', { phone: '79161234567', text: 'retry me', idempotency_key: 'k-net' });
    assert.deepEqual([r.error.code, r.error.transient, r.error.maybe_sent], ['network', true, false]);
  }
  const ok = await sc.call('send_message', { phone: '79161234567', text: 'retry me', idempotency_key: 'k-net' });
  assert.equal(ok.deduplicated, false);
  await sc.call('fake_configure', { fail_next_sends: { count: 1, code: 'timeout', deliver: true } });
  const lost = await sc.request('send_message', { phone: '79161234567', text: 'did it go?', idempotency_key: 'k-timeout' });
  assert.deepEqual([lost.error.code, lost.error.transient, lost.error.maybe_sent], ['timeout', true, true]);
  const state = await sc.call('fake_state');
  assert.equal(state.delivered_by_text['did it go?'], 1, 'the timed-out send was delivered');
  assert.equal(state.delivered_by_text['retry me'], 1);
  await sc.close();
});

test('a slow send times out with maybe_sent, and a retry with the same key does not send twice', async () => {
  const sc = await ready(tempDir(), { send_latency_ms: 400 });
  const first = await sc.request('send_message', { phone: '79161234567', text: 'slow', idempotency_key: 'k-slow', timeout_ms: 100 });
  assert.deepEqual([first.error.code, first.error.maybe_sent], ['timeout', true]);
  const retry = await sc.call('send_message', { phone: '79161234567', text: 'slow', idempotency_key: 'k-slow' });
  assert.equal(retry.idempotency_key, 'k-slow');
  const state = await sc.call('fake_state');
  assert.equal(state.delivered_by_idempotency_key['k-slow'], 1);
  await sc.close();
});

test('find_sent_message finds our own message after a crash, and not one the contact wrote', async () => {
  const dataDir = tempDir();
  const first = await ready(dataDir);
  const sent = await first.call('send_message', { phone: '79161234567', text: 'Price: 500 EUR\r\n', idempotency_key: 'o-7' });
  await first.call('fake_incoming', { from: '79161234567', text: 'OK, thanks' });
  first.child.kill('SIGKILL'); // the host's view: the reply may never have been recorded
  await first.waitExit(5000);

  const second = await ready(dataDir);
  const now = Math.floor(Date.now() / 1000);
  const found = await second.call('find_sent_message', { chat_id: '79161234567@c.us', text: 'Price: 500 EUR', around: now, window_s: 120 });
  assert.equal(found.found, true);
  assert.equal(found.message.stable, sent.wa_id.stable);
  assert.equal(found.matches.length, 1);
  assert.deepEqual(found.acks, [1], 'each match carries its ack level');
  const byPhone = await second.call('find_sent_message', { phone: '+79161234567', text: 'Price: 500 EUR', around: now });
  assert.equal(byPhone.message.stable, sent.wa_id.stable);
  const theirs = await second.call('find_sent_message', { chat_id: '79161234567@c.us', text: 'OK, thanks', around: now });
  assert.deepEqual([theirs.found, theirs.message, theirs.matches], [false, null, []]);
  const tooLate = await second.call('find_sent_message', { chat_id: '79161234567@c.us', text: 'Price: 500 EUR', around: now + 3600, window_s: 60 });
  assert.equal(tooLate.found, false);
  const otherChat = await second.call('find_sent_message', { chat_id: '79160000000@c.us', text: 'Price: 500 EUR', around: now });
  assert.equal(otherChat.found, false);
  await second.close();
});

test('edits, deletions and reactions are reported against the stable id', async () => {
  const sc = await ready(tempDir());
  const mark = sc.lines.length;
  const { wa_id } = await sc.call('fake_incoming', { from: '79161234567', text: 'two adults' });
  await sc.call('fake_incoming', { from: '79161234567', text: 'as I said', quoted_id: wa_id.id });
  await sc.call('fake_edit', { message_id: wa_id.stable, text: 'two adults, one child' });
  await sc.call('fake_react', { message_id: wa_id.stable, reaction: '👍', from: '79161234567' });
  await sc.call('fake_revoke', { message_id: wa_id.serialized });
  const quoted = await sc.waitFor((l) => l.type === 'message' && l.message.body === 'as I said', { from: mark });
  assert.deepEqual(quoted.message.quoted, { id: wa_id.id, stable: wa_id.stable, participant: '79161234567@c.us' });
  const edit = await sc.waitFor((l) => l.type === 'message_edit', { from: mark });
  assert.deepEqual([edit.wa_id.stable, edit.body, edit.prev_body], [wa_id.stable, 'two adults, one child', 'two adults']);
  const reaction = await sc.waitFor((l) => l.type === 'reaction', { from: mark });
  assert.deepEqual([reaction.target.stable, reaction.reaction, reaction.sender_id], [wa_id.stable, '👍', '79161234567@c.us']);
  const revoke = await sc.waitFor((l) => l.type === 'message_revoke', { from: mark });
  assert.deepEqual([revoke.wa_id.stable, revoke.scope], [wa_id.stable, 'everyone']);
  await sc.close();
});

test('a phone-typed message during an in-flight send is held, then reported as not ours', async () => {
  const sc = await ready(tempDir(), { send_latency_ms: 300 });
  const mark = sc.lines.length;
  const sending = sc.call('send_message', { phone: '79161234567', text: 'from the app' });
  await sc.call('fake_incoming', { from: '79161234567', from_me: true, text: 'from the phone' });
  const sent = await sending;
  const own = sc.lines.slice(mark).filter((l) => l.type === 'message');
  assert.deepEqual(
    own.map((l) => [l.message.body, l.message.via_sidecar]).sort(),
    [['from the app', true], ['from the phone', false]],
  );
  assert.equal(own.find((l) => l.message.via_sidecar).message.wa_id.stable, sent.wa_id.stable);
  await sc.close();
});

test('a host that dies mid-send leaves nothing sending: the abandoned send is never delivered', async () => {
  const dataDir = tempDir();
  const sc = await ready(dataDir, { send_latency_ms: 500 });
  void sc.request('send_message', { phone: '79161234567', text: 'half way', idempotency_key: 'k-half' }).catch(() => {});
  await new Promise((r) => setTimeout(r, 100));
  const t0 = Date.now();
  await sc.close(2000); // stdin EOF, as when the host is killed
  assert.ok(Date.now() - t0 < 2000);
  await new Promise((r) => setTimeout(r, 700)); // past the send latency
  const after = await ready(dataDir);
  const state = await after.call('fake_state');
  assert.equal(state.delivered_by_idempotency_key['k-half'], undefined);
  assert.equal(state.sent_count, 0);
  await after.close();
});

test('a killed host closes every pipe at once: the sidecar still exits promptly (no log loop on a dead stderr)', async () => {
  const dataDir = tempDir();
  const sc = await ready(dataDir);
  const t0 = Date.now();
  // As when the host process dies: its ends of stdout and stderr close with stdin.
  sc.child.stdout.destroy();
  sc.child.stderr.destroy();
  sc.child.stdin.destroy();
  const exit = await sc.waitExit(4000);
  assert.ok(Date.now() - t0 < 4000);
  assert.equal(exit.signal, null);
});

test('a logout request clears the session, and reconnect shows a new QR code', async () => {
  const dataDir = tempDir();
  const sc = await ready(dataDir);
  const mark = sc.lines.length;
  await sc.call('logout');
  assert.equal((await sc.waitState('logged_out', { from: mark })).reason, 'logged out on request');
  await sc.call('reconnect');
  await sc.waitState('qr', { from: mark });
  await sc.close();
  const again = new Sidecar();
  started.push(again);
  await again.call('hello', { data_dir: dataDir, adapter: 'fake' });
  await again.waitState('qr');
  await again.close();
});
