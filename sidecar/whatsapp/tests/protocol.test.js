// Protocol robustness and process lifetime of the real sidecar process.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Sidecar, readyFake, tempDir } from './support/sidecar-process.js';

/** @type {Sidecar[]} */
const started = [];
after(() => started.forEach((s) => s.kill()));

/** @param {import('node:test').TestContext} [_t] */
function spawn(_t) {
  const sc = new Sidecar();
  started.push(sc);
  return sc;
}

test('a malformed line produces an error event and the process keeps serving', async () => {
  const sc = spawn();
  sc.writeRaw('{not json\n');
  const err = await sc.waitFor((l) => l.type === 'error');
  assert.equal(err.code, 'bad_json');
  assert.equal(err.v, 1);
  sc.writeRaw('[1,2]\n');
  await sc.waitFor((l) => l.type === 'error' && l.code === 'bad_request');
  const pong = await sc.call('ping');
  assert.equal(pong.pong, true);
  assert.equal(pong.state, 'idle');
  await sc.close();
});

test('an unknown request type, a wrong version and a request before hello get error replies', async () => {
  const sc = spawn();
  const unknown = await sc.request('teleport');
  assert.deepEqual([unknown.ok, unknown.error.code, unknown.error.transient], [false, 'unknown_type', false]);
  sc.writeRaw(JSON.stringify({ v: 2, id: 'x1', type: 'ping' }) + '\n');
  const wrongV = await sc.waitFor((l) => l.type === 'reply' && l.id === 'x1');
  assert.equal(wrongV.error.code, 'unsupported_version');
  const early = await sc.request('get_chats');
  assert.equal(early.error.code, 'not_started');
  const fakeOnly = await sc.request('fake_scan');
  assert.equal(fakeOnly.error.code, 'not_started');
  const badHello = await sc.request('hello', { data_dir: 'relative/dir', adapter: 'fake' });
  assert.equal(badHello.error.code, 'bad_request');
  await sc.call('hello', { data_dir: tempDir(), adapter: 'fake' });
  const twice = await sc.request('hello', { data_dir: tempDir(), adapter: 'fake' });
  assert.equal(twice.error.code, 'already_started');
  await sc.close();
});

test('every request gets exactly one reply, even when pipelined behind hello', async () => {
  const sc = spawn();
  const dir = tempDir();
  const lines = [
    { v: 1, id: 1, type: 'hello', data_dir: dir, adapter: 'fake' },
    { v: 1, id: 2, type: 'ping' },
    { v: 1, id: 3, type: 'fake_state' },
    { v: 1, id: 4, type: 'nope' },
  ];
  sc.writeRaw(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  await sc.waitFor(() => sc.lines.filter((l) => l.type === 'reply').length === 4);
  const replies = sc.lines.filter((l) => l.type === 'reply');
  assert.equal(replies[0].id, 1, 'hello is answered first');
  const byId = new Map(replies.map((r) => [r.id, r.ok]));
  assert.deepEqual([...byId.keys()].sort(), [1, 2, 3, 4]);
  assert.deepEqual([1, 2, 3, 4].map((id) => byId.get(id)), [true, true, true, false]);
  await sc.close();
});

test('fake_crash makes the process exit abruptly with a non-zero code', async () => {
  const sc = await readyFake(tempDir());
  started.push(sc);
  sc.writeRaw(JSON.stringify({ v: 1, id: 'c', type: 'fake_crash' }) + '\n');
  const exit = await sc.waitExit(5000);
  assert.notEqual(exit.code, 0);
  assert.equal(exit.code, 70);
  assert.ok(!sc.lines.some((l) => l.type === 'reply' && l.id === 'c'), 'a crash sends no reply');
});

test('closing stdin makes the process exit within 2 seconds', async () => {
  const sc = await readyFake(tempDir());
  started.push(sc);
  const t0 = Date.now();
  const exit = await sc.close(2000);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(exit.code, 0);
});

test('shutdown replies and then exits with code 0', async () => {
  const sc = await readyFake(tempDir());
  started.push(sc);
  const reply = await sc.request('shutdown');
  assert.equal(reply.ok, true);
  const exit = await sc.waitExit(2000);
  assert.equal(exit.code, 0);
});

test('stdout carries only protocol lines; logs go to stderr', async () => {
  const sc = await readyFake(tempDir());
  started.push(sc);
  await sc.close();
  // Sidecar's parser throws on any non-JSON stdout line, so reaching here means stdout was clean.
  assert.ok(sc.lines.every((l) => l.v === 1 && typeof l.type === 'string'));
  assert.match(sc.stderr, /whatsapp-sidecar: started/);
});
