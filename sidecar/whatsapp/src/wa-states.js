// Maps what whatsapp-web.js 1.34 reports (client events, `change_state` names, `disconnected`
// reasons, page/browser crashes, answers of the liveness probe) to our connection states, each
// with a code and advice, and to what must happen to the client. Pure: no timers, no I/O; both
// adapters feed it, so the fake and the real library run the same state code.

/**
 * The library's WAState values (src/util/Constants.js). The library itself keeps its client
 * only for CONNECTED, OPENING, PAIRING and TIMEOUT (and CONFLICT with takeoverOnConflict); for
 * any other state it emits `disconnected` with that state as the reason and destroys the client.
 */
export const WA_STATES = [
  'CONFLICT', 'CONNECTED', 'DEPRECATED_VERSION', 'OPENING', 'PAIRING', 'PROXYBLOCK',
  'SMB_TOS_BLOCK', 'TIMEOUT', 'TOS_BLOCK', 'UNLAUNCHED', 'UNPAIRED', 'UNPAIRED_IDLE',
];

/** Plain advice per code (the UI shows its own translation of the code; this is for logs). */
export const ADVICE = {
  browser_start_failed: 'The browser was found but did not start. Close other Tourdesk windows using this WhatsApp account, or reinstall Chromium/Chrome; details are in the log.',
  whatsapp_unreachable: 'WhatsApp Web cannot be reached. Check the internet connection, proxy or firewall (web.whatsapp.com must be reachable). Tourdesk keeps retrying.',
  whatsapp_load_failed: 'WhatsApp Web opened but did not start. Tourdesk keeps retrying; if it persists, update Tourdesk.',
  connection_lost: 'The connection to WhatsApp was lost. Tourdesk reconnects automatically.',
  network_timeout: 'WhatsApp Web lost its connection (no network, or the phone is offline). Messages wait in the queue until it is back.',
  reconnecting: 'WhatsApp Web is reconnecting. Messages wait in the queue.',
  unlaunched: 'WhatsApp Web did not launch. Tourdesk starts it again.',
  proxy_blocked: 'WhatsApp refused the connection through this proxy or network. Check the proxy setting or try another network; Tourdesk keeps retrying.',
  not_responding: 'WhatsApp Web stopped answering. Tourdesk restarts it if it does not recover.',
  browser_crashed: 'The browser running WhatsApp Web stopped. Tourdesk restarts it automatically.',
  auth_failure: 'WhatsApp rejected the saved session. Log out and link the phone again.',
  init_failed: 'WhatsApp Web could not be started. Tourdesk keeps retrying; details are in the log.',
  deprecated_version: 'WhatsApp no longer accepts this version of WhatsApp Web. Update Tourdesk.',
  conflict: 'WhatsApp Web is open in another browser or computer with this account. Press "Use here" to move it back to Tourdesk (the other window is disconnected).',
  tos_block: 'WhatsApp has banned this number. Sending is paused. Open WhatsApp on the phone to see the reason and to appeal.',
  smb_tos_block: 'WhatsApp has banned this WhatsApp Business number. Sending is paused. Open WhatsApp Business on the phone to see the reason and to appeal.',
};

/**
 * What to do with the library's client after an event.
 * - `keep`: the library keeps its client and reconnects by itself;
 * - `rebuild`: the client is dead or stuck: destroy it and make a new one after a back-off;
 * - `drop`: destroy it and wait for the user (conflict, ban, an outdated version);
 * - `logout`: the pairing is gone: destroy it and clear the saved session;
 * - `takeover`: keep it and ask WhatsApp Web to move the session here ("Use here").
 * @typedef {'keep'|'rebuild'|'drop'|'logout'|'takeover'} ClientAction
 */

/**
 * @typedef {object} Decision
 * @property {Record<string, unknown>|null} emit   the state event to emit (without `type`), or none
 * @property {ClientAction} client
 */

/** @param {string} code @param {string} reason @returns {Record<string, unknown>} */
const degraded = (code, reason) => ({ state: 'degraded', code, reason, advice: ADVICE[/** @type {keyof typeof ADVICE} */ (code)], next_retry_at: null });
/** @param {string} code @param {string} reason */
const failed = (code, reason) => ({ state: 'failed', code, reason, advice: ADVICE[/** @type {keyof typeof ADVICE} */ (code)] });

/** States in which the library keeps its client alive. */
const KEPT = new Set(['CONNECTED', 'OPENING', 'PAIRING', 'TIMEOUT']);
/** Codes our own liveness probe may lift once the page says CONNECTED again. */
const RECOVERABLE = new Set(['network_timeout', 'reconnecting', 'not_responding']);

/** Follows one client's life; one mapper per client (a new client starts a new one). */
export class WaStateMapper {
  /** @param {{degradeAfterMs?: number, rebuildAfterMs?: number, takeover?: boolean}} [opts] */
  constructor(opts = {}) {
    this.degradeAfterMs = opts.degradeAfterMs ?? 45_000;
    this.rebuildAfterMs = opts.rebuildAfterMs ?? 300_000;
    /** The user pressed "Use here": a CONFLICT is answered by taking the session over. */
    this.takeover = opts.takeover === true;
    /** This client reached `ready` at least once (only then are socket states meaningful). */
    this.readySeen = false;
    /** @type {string|null} */
    this.account = null;
    /** Our last state: name and code. */
    this.current = { state: 'starting', code: /** @type {string|null} */ (null) };
    /** @type {number|null} unix ms since which the probe has not seen CONNECTED */
    this.unhealthySince = null;
    /** The client is finished (dropped, logged out or to be rebuilt): later events are noise. */
    this.done = false;
  }

  /**
   * @param {Record<string, unknown>|null} emit
   * @param {ClientAction} client
   * @returns {Decision}
   */
  decide(emit, client) {
    if (emit) this.current = { state: String(emit.state), code: typeof emit.code === 'string' ? emit.code : null };
    if (client !== 'keep' && client !== 'takeover') this.done = true;
    return { emit, client };
  }

  /** @returns {Decision} */
  keep() {
    return { emit: null, client: 'keep' };
  }

  /** @param {string|null} account */
  ready(account) {
    this.readySeen = true;
    this.account = account ?? this.account;
    this.unhealthySince = null;
    return this.decide({ state: 'ready', account: this.account }, 'keep');
  }

  /**
   * A `change_state` value (or a state the probe read from the page).
   * @param {string} s
   * @returns {Decision}
   */
  changeState(s) {
    if (this.done) return this.keep();
    switch (s) {
      case 'CONNECTED':
        if (!this.readySeen || this.current.state === 'ready') return this.keep();
        return this.ready(this.account);
      case 'OPENING':
      case 'PAIRING':
        if (!this.readySeen) return this.keep();
        return this.decide(degraded('reconnecting', `WhatsApp Web socket ${s}`), 'keep');
      case 'TIMEOUT':
        if (!this.readySeen) return this.keep();
        return this.decide(degraded('network_timeout', 'WhatsApp Web socket TIMEOUT'), 'keep');
      case 'CONFLICT':
        if (this.takeover) return this.decide(degraded('reconnecting', 'taking the session over from the other window'), 'takeover');
        return this.decide({ state: 'conflict', reason: 'WhatsApp Web was opened elsewhere (CONFLICT)', advice: ADVICE.conflict }, 'drop');
      case 'TOS_BLOCK':
      case 'SMB_TOS_BLOCK': {
        const code = s.toLowerCase();
        return this.decide({ state: 'banned', code, reason: `WhatsApp blocked the account (${s})`, advice: ADVICE[/** @type {'tos_block'} */ (code)] }, 'drop');
      }
      case 'DEPRECATED_VERSION':
        return this.decide(failed('deprecated_version', 'WhatsApp Web reports DEPRECATED_VERSION'), 'drop');
      case 'PROXYBLOCK':
        return this.decide(degraded('proxy_blocked', 'WhatsApp Web reports PROXYBLOCK'), 'rebuild');
      case 'UNLAUNCHED':
        return this.decide(degraded('unlaunched', 'WhatsApp Web reports UNLAUNCHED'), 'rebuild');
      case 'UNPAIRED':
      case 'UNPAIRED_IDLE':
        return this.decide({ state: 'logged_out', reason: `WhatsApp ended the session (${s})` }, 'logout');
      default:
        // A state this version does not know: say so, and let the probe decide if it lasts.
        return this.decide(degraded('reconnecting', `unknown WhatsApp Web state ${s}`), 'keep');
    }
  }

  /**
   * A `disconnected` reason: a WAState name (the library destroys the client after it), `LOGOUT`
   * (logged out from the phone or here), or free text such as "Max qrcode retries reached".
   * @param {string} reason
   * @returns {Decision}
   */
  disconnected(reason) {
    if (this.done) return this.keep();
    if (reason === 'LOGOUT') return this.decide({ state: 'logged_out', reason: 'WhatsApp ended the session (LOGOUT)' }, 'logout');
    if (WA_STATES.includes(reason) && !KEPT.has(reason)) return this.changeState(reason);
    return this.decide(degraded('connection_lost', `disconnected: ${reason}`), 'rebuild');
  }

  /**
   * `auth_failure`: the saved session was refused. Kept on disk: only a logout clears it.
   * @param {string} message
   */
  authFailure(message) {
    if (this.done) return this.keep();
    return this.decide(failed('auth_failure', String(message)), 'drop');
  }

  /**
   * The page crashed or closed, or the browser went away, without us closing it.
   * @param {'page_error'|'page_close'|'browser_disconnected'} what
   * @param {string} [detail]
   */
  crashed(what, detail = '') {
    if (this.done) return this.keep();
    return this.decide(degraded('browser_crashed', `${what}${detail ? `: ${detail}` : ''}`), 'rebuild');
  }

  /**
   * One answer of the liveness probe (`getState()` on the page): the state, or null when the page
   * gave no answer in time.
   * @param {string|null} answer
   * @param {number} nowMs
   * @returns {Decision}
   */
  probe(answer, nowMs) {
    if (this.done || !this.readySeen) return this.keep();
    if (answer === 'CONNECTED') {
      this.unhealthySince = null;
      if (this.current.state === 'degraded' && RECOVERABLE.has(this.current.code ?? '')) return this.ready(this.account);
      return this.keep();
    }
    if (answer !== null && !KEPT.has(answer)) return this.changeState(answer); // a missed change_state
    this.unhealthySince ??= nowMs;
    const since = nowMs - this.unhealthySince;
    const why = answer === null ? 'WhatsApp Web did not answer the state probe' : `WhatsApp Web has been ${answer}`;
    if (since >= this.rebuildAfterMs) return this.decide(degraded('not_responding', `${why} for ${Math.round(since / 1000)} s`), 'rebuild');
    if (since >= this.degradeAfterMs && this.current.state === 'ready') {
      const code = answer === 'TIMEOUT' ? 'network_timeout' : answer === null ? 'not_responding' : 'reconnecting';
      return this.decide(degraded(code, `${why} for ${Math.round(since / 1000)} s`), 'keep');
    }
    return this.keep();
  }
}
