// The real whatsapp-web.js adapter with a real Chromium, without reaching WhatsApp: it must fail
// fast into a visible state and never leave a browser behind. Loopback only.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Sidecar, tempDir, pgrep, eventually } from './support/sidecar-process.js';
import { findBrowser } from '../src/browser.js';

/** @type {Sidecar[]} */
const started = [];
/** @type {net.Server[]} */
const servers = [];
/** @type {string[]} */
const dataDirs = [];
after(() => {
  started.forEach((s) => s.kill());
  servers.forEach((s) => s.close());
  // Keep the machine clean even when a test failed because a browser was left behind.
  for (const dir of dataDirs) {
    for (const pid of pgrep(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
});

const browser = (() => {
  try {
    return findBrowser();
  } catch {
    return null;
  }
})();
const needsBrowser = !browser && process.env.TOURDESK_REQUIRE_BROWSER !== '1'
  ? 'no Chromium/Chrome found (apt-get install chromium); set TOURDESK_REQUIRE_BROWSER=1 to fail instead of skipping'
  : false;

/** A loopback TCP port nobody listens on. */
async function closedPort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', () => r(undefined)));
  const { port } = /** @type {net.AddressInfo} */ (srv.address());
  await new Promise((r) => srv.close(() => r(undefined)));
  return port;
}

/** A loopback "proxy" that accepts connections and never answers, so page loads hang. */
async function blackholeProxy() {
  /** @type {net.Socket[]} */
  const sockets = [];
  const srv = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  srv.on('close', () => sockets.forEach((s) => s.destroy()));
  servers.push(srv);
  await new Promise((r) => srv.listen(0, '127.0.0.1', () => r(undefined)));
  return `127.0.0.1:${/** @type {net.AddressInfo} */ (srv.address()).port}`;
}

/** @param {Record<string, unknown>} [options] @param {NodeJS.ProcessEnv} [env] */
async function startReal(options = {}, env = {}) {
  const dataDir = tempDir('real');
  dataDirs.push(dataDir);
  const sc = new Sidecar({ env });
  started.push(sc);
  await sc.call('hello', { data_dir: dataDir, adapter: 'real', options });
  return { sc, dataDir };
}

/** @param {Sidecar} sc @param {number} timeoutMs */
function settled(sc, timeoutMs) {
  return sc.waitFor((l) => l.type === 'state' && ['degraded', 'failed', 'qr', 'ready'].includes(l.state), { timeoutMs });
}

test('offline, the real adapter reaches whatsapp_unreachable within 15 s and leaves no Chromium after shutdown', { skip: needsBrowser, timeout: 60_000 }, async (t) => {
  const t0 = Date.now();
  const { sc, dataDir } = await startReal();
  const state = await settled(sc, 15_000);
  if (state.state === 'qr') {
    t.skip('this machine reaches WhatsApp Web; the forced-offline test below still runs');
    await sc.close();
    return;
  }
  assert.ok(['degraded', 'failed'].includes(state.state));
  assert.equal(state.code, 'whatsapp_unreachable');
  assert.match(state.advice, /internet/);
  assert.ok(Date.now() - t0 < 15_000);
  assert.ok(fs.existsSync(path.join(dataDir, 'wwebjs-auth')), 'the browser profile lives under the data dir');
  assert.equal((await sc.call('ping')).state, state.state, 'the sidecar still answers');
  await sc.call('shutdown');
  await sc.waitExit(5_000);
  assert.deepEqual(pgrep(dataDir), [], 'no Chromium left with this profile');
});

test('with WhatsApp Web unreachable on purpose (refused proxy), the state is whatsapp_unreachable and the working directory stays clean', { skip: needsBrowser, timeout: 60_000 }, async () => {
  const cwdBefore = fs.readdirSync(process.cwd()).sort();
  const { sc, dataDir } = await startReal({ proxy_server: `127.0.0.1:${await closedPort()}`, max_connect_attempts: 1 });
  const state = await settled(sc, 15_000);
  assert.deepEqual([state.state, state.code], ['failed', 'whatsapp_unreachable'], 'one attempt allowed, so it gives up as failed');
  assert.match(state.reason, /net::ERR_/);
  assert.ok(await eventually(() => pgrep(dataDir).length === 0, 5_000), 'a failed attempt closes its Chromium');
  await sc.close(2_000);
  assert.deepEqual(fs.readdirSync(process.cwd()).sort(), cwdBefore, 'nothing written to the working directory');
});

test('a page load that hangs is cut off by the start watchdog, and a killed sidecar takes its Chromium with it', { skip: needsBrowser, timeout: 60_000 }, async () => {
  const proxy = await blackholeProxy();
  const { sc, dataDir } = await startReal({ proxy_server: proxy, init_timeout_ms: 2_500 });
  const degraded = await sc.waitState('degraded', { timeoutMs: 15_000 });
  assert.equal(degraded.code, 'whatsapp_unreachable');
  assert.match(degraded.reason, /did not load/);
  assert.ok(degraded.next_retry_at > Date.now() - 1000);
  // The retry (after ~2 s) starts a new Chromium, which hangs again: kill the sidecar meanwhile.
  assert.ok(await eventually(() => pgrep(dataDir).length > 0, 10_000), 'a retry starts a new Chromium');
  sc.child.kill('SIGKILL');
  await sc.waitExit(5_000);
  assert.ok(await eventually(() => pgrep(dataDir).length === 0, 5_000), `Chromium outlived a SIGKILLed sidecar: ${pgrep(dataDir)}`);
});

test('closing stdin while Chromium is loading exits within 2 s and leaves no Chromium', { skip: needsBrowser, timeout: 60_000 }, async () => {
  const proxy = await blackholeProxy();
  const { sc, dataDir } = await startReal({ proxy_server: proxy, init_timeout_ms: 30_000 });
  assert.ok(await eventually(() => pgrep(dataDir).length > 0, 10_000), 'Chromium is running');
  const t0 = Date.now();
  const exit = await sc.close(2_000);
  assert.equal(exit.code, 0);
  assert.ok(Date.now() - t0 < 2_000);
  assert.ok(await eventually(() => pgrep(dataDir).length === 0, 3_000), 'no Chromium left');
});

test('without any browser the state is failed/browser_not_found, naming what to install', async () => {
  const { sc } = await startReal({}, { TOURDESK_CHROMIUM: '/nonexistent/chromium' });
  const state = await sc.waitState('failed', { timeoutMs: 10_000 });
  assert.equal(state.code, 'browser_not_found');
  assert.match(state.reason, /TOURDESK_CHROMIUM/);
  assert.match(state.advice, /[Ii]nstall Chromium/);
  await sc.close();
});

test('a browser that cannot start is failed/browser_start_failed, not whatsapp_unreachable', async () => {
  const fakeBrowser = path.join(tempDir('nobrowser'), 'chromium');
  fs.writeFileSync(fakeBrowser, '#!/bin/sh\necho "cannot open display" >&2\nexit 1\n', { mode: 0o755 });
  const { sc } = await startReal({}, { TOURDESK_CHROMIUM: fakeBrowser });
  const state = await sc.waitState('failed', { timeoutMs: 15_000 });
  assert.equal(state.code, 'browser_start_failed');
  assert.notEqual(state.advice, undefined);
  await sc.close();
});
