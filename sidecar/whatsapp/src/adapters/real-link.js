// The real adapter's connection states: forwards every whatsapp-web.js client event that says
// something about the connection (and the page's and browser's own crash/close events, and the
// liveness probe's answers) to the state mapper, and carries out its decisions.

import { WaStateMapper } from '../wa-states.js';
import { LivenessProbe, probeLimits, probeOptions } from '../liveness.js';
import { log } from '../log.js';

/** @typedef {import('../wa-states.js').Decision} Decision */
/** @typedef {import('./real.js').RealAdapter} RealAdapter */

/**
 * A new mapper for a new client.
 * @param {RealAdapter} a
 * @param {boolean} takeover  the client was made by "use here": it takes the session over
 */
export function newMapper(a, takeover) {
  return new WaStateMapper({ ...probeLimits(a.ctx.options ?? {}), takeover });
}

/**
 * Carries out one decision of the mapper for client generation `gen`.
 * @param {RealAdapter} a
 * @param {number} gen
 * @param {Decision} d
 */
export async function apply(a, gen, d) {
  if (gen !== a.generation || a.stopping) return;
  const { state, ...extra } = d.emit ?? { state: null };
  switch (d.client) {
    case 'keep':
      if (state) a.setState(String(state), extra);
      if (state === 'ready') onReady(a, gen);
      return;
    case 'takeover':
      if (state) a.setState(String(state), extra);
      await takeover(a.client);
      return;
    case 'rebuild':
      return a.failAttempt(gen, /** @type {any} */ (extra.code), String(extra.reason ?? ''));
    case 'logout':
      return a.loggedOut(String(extra.reason ?? ''));
    case 'drop':
      a.generation += 1; // the dead client's late events are ignored
      await a.destroyClient();
      if (state) a.setState(String(state), extra);
  }
}

/**
 * Asks WhatsApp Web to move the session to this page (its "Use here"), as the library itself
 * does with `takeoverOnConflict`.
 * @param {any} client
 */
export async function takeover(client) {
  try {
    await client?.pupPage?.evaluate(() => /** @type {any} */ (window).require('WAWebSocketModel').Socket.takeover());
  } catch (err) {
    log.warn('taking the session over failed', err);
  }
}

/**
 * Once ready: the probe runs, and a client made by "use here" stops taking over by itself (a
 * window opened elsewhere later gets the conflict screen instead of a tug of war).
 * @param {RealAdapter} a
 * @param {number} gen
 */
function onReady(a, gen) {
  const client = a.client;
  if (!client) return;
  if (client.options) client.options.takeoverOnConflict = false;
  a.mapper.takeover = false;
  if (a.probe) return;
  a.probe = new LivenessProbe(
    probeOptions(a.ctx.options ?? {}),
    () => client.getState(),
    (answer, now) => {
      if (gen === a.generation) void apply(a, gen, a.mapper.probe(answer, now));
    },
  );
  a.probe.start();
}

/**
 * Subscribes to the connection events of `client` (generation `gen`).
 * @param {RealAdapter} a
 * @param {any} client
 * @param {number} gen
 */
export function wireStates(a, client, gen) {
  const live = () => gen === a.generation && !a.stopping;
  const feed = (/** @type {() => Decision} */ decide) => {
    if (live()) void apply(a, gen, decide()).catch((err) => log.error('state change failed', err));
  };
  client.on('qr', (/** @type {string} */ qr) => {
    if (live() && a.state !== 'pairing_code') a.setState('qr', { qr });
    watchPage(a, client, gen);
  });
  client.on('code', (/** @type {string} */ code) => {
    if (live()) a.setState('pairing_code', { code, phone: a.pairingPhone });
  });
  client.on('authenticated', () => {
    if (live() && !a.mapper.readySeen) a.setState('authenticated');
    watchPage(a, client, gen);
  });
  client.on('ready', () => {
    if (!live()) return;
    a.attempts = 0;
    a.account = client.info?.wid?.user ?? a.account;
    watchPage(a, client, gen);
    feed(() => a.mapper.ready(a.account));
  });
  client.on('auth_failure', (/** @type {string} */ msg) => feed(() => a.mapper.authFailure(String(msg))));
  client.on('change_state', (/** @type {string} */ s) => {
    log.info(`whatsapp-web.js change_state ${s}`);
    feed(() => a.mapper.changeState(String(s)));
  });
  client.on('disconnected', (/** @type {string} */ reason) => {
    log.info(`whatsapp-web.js disconnected ${reason}`);
    feed(() => a.mapper.disconnected(String(reason)));
  });
}

/** @type {WeakSet<object>} pages and browsers already watched */
const watched = new WeakSet();

/**
 * Watches the page and browser of `client` for a crash or a close we did not ask for
 * (`pupPage`/`pupBrowser` exist once `initialize()` has launched them).
 * @param {RealAdapter} a
 * @param {any} client
 * @param {number} gen
 */
export function watchPage(a, client, gen) {
  const on = (/** @type {any} */ target, /** @type {string} */ event, /** @type {'page_error'|'page_close'|'browser_disconnected'} */ what) => {
    if (!target || typeof target.on !== 'function') return;
    target.on(event, (/** @type {any} */ err) => {
      if (gen !== a.generation || a.stopping) return;
      void apply(a, gen, a.mapper.crashed(what, err instanceof Error ? err.message : '')).catch((e) => log.error('state change failed', e));
    });
  };
  const page = client.pupPage;
  if (page && !watched.has(page)) {
    watched.add(page);
    on(page, 'error', 'page_error');
    on(page, 'close', 'page_close');
  }
  const browser = client.pupBrowser;
  if (browser && !watched.has(browser)) {
    watched.add(browser);
    on(browser, 'disconnected', 'browser_disconnected');
  }
}
