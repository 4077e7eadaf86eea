// The real adapter's state mapping, replaying the event sequences whatsapp-web.js raises
// (tests/fixtures/wwebjs-sequences.json) on the adapter's own wiring. Only the library's Client
// is replaced, by an event emitter with the same event names, page and browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { RealAdapter } from '../src/adapters/real.js';
import { WaStateMapper } from '../src/wa-states.js';
import { tempDir, eventually, sleep } from './support/sidecar-process.js';

const fixtures = JSON.parse(fs.readFileSync(new URL('./fixtures/wwebjs-sequences.json', import.meta.url), 'utf8'));

/** Stands in for whatsapp-web.js's Client: the same events, `getState()`, page and browser. */
class RecordedClient extends EventEmitter {
  /** @type {RecordedClient[]} */
  static made = [];

  /** @param {Record<string, any>} options */
  constructor(options) {
    super();
    this.options = options;
    this.info = { wid: { user: '996555000111' } };
    /** @type {string|null} what getState() answers; null = the page hangs */
    this.socket = 'CONNECTED';
    this.destroyed = false;
    this.tookOver = 0;
    this.pupPage = Object.assign(new EventEmitter(), { evaluate: async () => { this.tookOver += 1; } });
    this.pupBrowser = new EventEmitter();
    RecordedClient.made.push(this);
  }

  async initialize() {}

  async destroy() {
    this.destroyed = true;
  }

  getState() {
    return this.socket === null ? new Promise(() => {}) : Promise.resolve(this.socket);
  }
}

/** @param {Record<string, any>} [options] */
async function adapter(options = {}) {
  const dataDir = tempDir('states');
  /** @type {Record<string, any>[]} */
  const states = [];
  const a = new RealAdapter({ dataDir, mediaDir: path.join(dataDir, 'media'), options, emit: (e) => { if (e.type === 'state') states.push(e); } });
  a.lib = { Client: RecordedClient, LocalAuth: class { constructor() {} } };
  a.browser = { path: '/nonexistent/chromium', source: 'test' };
  fs.mkdirSync(a.profileDir, { recursive: true });
  await a.connect();
  const client = RecordedClient.made.at(-1);
  assert.ok(client);
  return { a, states, client, dataDir };
}

/** @param {Record<string, any>} s */
const label = (s) => (s.code && s.state !== 'pairing_code' ? `${s.state}:${s.code}` : s.state);

/**
 * @param {RecordedClient} client
 * @param {string[]} ev
 */
function replay(client, [name, arg]) {
  if (name === 'page:error') client.pupPage.emit('error', new Error(arg));
  else if (name === 'page:close') client.pupPage.emit('close');
  else if (name === 'browser:disconnected') client.pupBrowser.emit('disconnected');
  else client.emit(name, arg);
}

for (const seq of fixtures.sequences) {
  test(`recorded sequence: ${seq.name}`, async () => {
    const { a, states, client } = await adapter();
    for (const ev of seq.events) {
      replay(client, ev);
      await sleep(5);
    }
    await eventually(() => states.length >= seq.states.length + 1, 2000);
    // The first state is the attempt's `starting`.
    assert.deepEqual(states.slice(1).map(label), seq.states);
    for (const s of states.slice(1)) {
      if (s.state === 'degraded' || s.state === 'failed' || s.state === 'conflict' || s.state === 'banned') {
        assert.ok(typeof s.advice === 'string' && s.advice.length > 20, `${label(s)} has advice`);
      }
    }
    if (seq.client === 'kept') assert.equal(client.destroyed, false);
    else assert.equal(client.destroyed, true, 'the client was destroyed');
    if (seq.client === 'rebuilt') assert.ok(states.at(-1)?.next_retry_at > Date.now(), 'a new client is scheduled');
    if (seq.session) assert.equal(fs.existsSync(a.profileDir), seq.session === 'kept', `session ${seq.session}`);
    await a.stop();
  });
}

test('every WAState of the library has a mapping with advice or a kept client', () => {
  for (const s of ['CONFLICT', 'CONNECTED', 'DEPRECATED_VERSION', 'OPENING', 'PAIRING', 'PROXYBLOCK', 'SMB_TOS_BLOCK', 'TIMEOUT', 'TOS_BLOCK', 'UNLAUNCHED', 'UNPAIRED', 'UNPAIRED_IDLE']) {
    const m = new WaStateMapper();
    m.ready('1');
    const d = m.changeState(s);
    if (s === 'CONNECTED') assert.equal(d.emit, null);
    else assert.ok(d.emit && typeof d.emit.state === 'string', `${s} maps to a state`);
    if (d.emit && d.emit.state !== 'logged_out') assert.ok(typeof d.emit.advice === 'string', `${s} has advice`);
  }
});

test('"use here" builds a client that takes the session over, then stops taking over by itself', async () => {
  const { a, states, client } = await adapter();
  await assert.rejects(a.useHere(), /use here/);
  client.emit('ready');
  client.emit('change_state', 'CONFLICT');
  client.emit('disconnected', 'CONFLICT');
  await eventually(() => a.state === 'conflict', 1000);
  assert.equal(client.options.takeoverOnConflict, false, 'a normal client leaves the choice to the user');
  await a.useHere();
  const next = RecordedClient.made.at(-1);
  assert.ok(next && next !== client);
  assert.equal(next.options.takeoverOnConflict, true);
  next.emit('change_state', 'CONFLICT'); // before ready: the page asks WhatsApp Web to move here
  await eventually(() => next.tookOver === 1, 1000);
  next.emit('ready');
  await eventually(() => a.state === 'ready', 1000);
  assert.equal(next.options.takeoverOnConflict, false, 'once here, a later conflict is the user\'s call again');
  assert.equal(states.at(-1)?.state, 'ready');
  await a.stop();
});

test('the liveness probe: no answer degrades the connection, then the client is rebuilt', async () => {
  const { a, states, client } = await adapter({ probe_interval_ms: 20, probe_timeout_ms: 20, probe_degrade_after_ms: 100, probe_rebuild_after_ms: 400 });
  client.emit('ready');
  await sleep(100);
  assert.equal(a.state, 'ready', 'a healthy page stays ready');
  client.socket = null;
  await eventually(() => states.some((s) => s.code === 'not_responding' && !s.next_retry_at), 2000);
  assert.equal(client.destroyed, false, 'degraded first, the client kept');
  await eventually(() => client.destroyed, 2000);
  const last = states.at(-1);
  assert.equal(label(last ?? {}), 'degraded:not_responding');
  assert.ok(last?.next_retry_at > Date.now(), 'a new client is scheduled');
  await a.stop();
});

test('the probe lifts a degraded state when the page says CONNECTED again (a missed change_state)', async () => {
  const { a, states, client } = await adapter({ probe_interval_ms: 20, probe_timeout_ms: 50 });
  client.emit('ready');
  client.socket = 'TIMEOUT';
  client.emit('change_state', 'TIMEOUT');
  await eventually(() => a.state === 'degraded', 1000);
  client.socket = 'CONNECTED';
  await eventually(() => a.state === 'ready', 1000);
  assert.deepEqual(states.slice(1).map(label), ['ready', 'degraded:network_timeout', 'ready']);
  await a.stop();
});

test('the probe reads a terminal state the events missed (a ban) and acts on it', async () => {
  const { a, client } = await adapter({ probe_interval_ms: 20, probe_timeout_ms: 50 });
  client.emit('ready');
  client.socket = 'TOS_BLOCK';
  await eventually(() => a.state === 'banned', 1000);
  assert.equal(client.destroyed, true);
  await a.stop();
});
