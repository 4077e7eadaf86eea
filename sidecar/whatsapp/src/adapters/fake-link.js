// The fake adapter's WhatsApp Web page: its socket state and the cues that change it (network
// drop and return, conflict, ban, a hung page). Each cue raises the events whatsapp-web.js 1.34
// raises in that situation — `change_state` with the library's state names, `disconnected` only
// where the library emits it — and they go through the same state mapper as the real adapter's.

import { SidecarError } from '../protocol.js';
import { ADVICE, WaStateMapper } from '../wa-states.js';
import { LivenessProbe, probeLimits, probeOptions } from '../liveness.js';

/** @typedef {import('../wa-states.js').Decision} Decision */
/** @typedef {import('./fake.js').FakeAdapter} FakeAdapter */

const BANS = new Set(['TOS_BLOCK', 'SMB_TOS_BLOCK']);

/** One fake page (a new one per connection, like the real adapter's client). */
export class FakeLink {
  /** @param {FakeAdapter} a */
  constructor(a) {
    this.a = a;
    const o = a.ctx.options ?? {};
    this.retryMs = Number.isInteger(o.retry_ms) && o.retry_ms > 0 ? o.retry_ms : 1000;
    this.networkUp = true;
    /** The page stopped answering (and raising events). */
    this.frozen = false;
    /** The page took the session over ("Use here"). */
    this.takeoverNext = false;
    /** Every library event raised, in order, as `[name, arg]` (for tests). */
    /** @type {[string, string][]} */
    this.events = [];
    /** @type {NodeJS.Timeout[]} */
    this.timers = [];
    this.mapper = this.newMapper();
    /** @type {LivenessProbe|null} */
    this.probe = null;
  }

  newMapper() {
    const m = new WaStateMapper({ ...probeLimits(this.a.ctx.options ?? {}), takeover: this.takeoverNext });
    this.takeoverNext = false;
    return m;
  }

  /** A new page replaces the old one (a connection attempt): it starts unfrozen, with a new mapper. */
  newPage() {
    this.close();
    this.frozen = false;
    this.mapper = this.newMapper();
  }

  /** The page cannot load without a network: the start fails and is retried, as in the real adapter. */
  unreachable() {
    this.apply(this.mapper.decide({ state: 'degraded', code: 'whatsapp_unreachable', reason: 'WhatsApp Web cannot be reached (network down)', advice: ADVICE.whatsapp_unreachable }, 'rebuild'));
  }

  /** The socket state the page reports (`getState()`); a hung page never answers. */
  getState() {
    if (this.frozen) return new Promise(() => {});
    if (this.a.world.data.banned) return Promise.resolve(String(this.a.world.data.banned));
    return Promise.resolve(this.networkUp ? 'CONNECTED' : 'TIMEOUT');
  }

  /**
   * Raises one library event and carries out the mapper's decision.
   * @param {'change_state'|'disconnected'} name
   * @param {string} arg
   */
  raise(name, arg) {
    if (this.frozen) return;
    this.events.push([name, arg]);
    this.apply(name === 'change_state' ? this.mapper.changeState(arg) : this.mapper.disconnected(arg));
  }

  /** @param {Decision} d */
  apply(d) {
    const { state, ...extra } = d.emit ?? { state: null };
    if (d.client === 'rebuild') extra.next_retry_at = Date.now() + this.retryMs;
    if (state) this.a.setState(String(state), extra);
    if (state === 'ready') this.onReady();
    if (d.client === 'takeover') this.later(0, () => this.raise('change_state', 'CONNECTED'));
    if (d.client === 'rebuild') this.later(this.retryMs, () => this.a.reconnect());
    if (d.client === 'logout') {
      this.a.world.data.paired = false;
      this.a.world.save();
    }
    if (d.client !== 'keep' && d.client !== 'takeover') this.stopProbe();
  }

  /** The connection reached `ready` (called by the adapter's connect, like the library's event). */
  ready() {
    this.apply(this.mapper.ready(this.a.world.data.account));
  }

  onReady() {
    this.mapper.takeover = false;
    if (this.probe) return;
    this.probe = new LivenessProbe(probeOptions(this.a.ctx.options ?? {}), () => this.getState(), (answer, now) => this.apply(this.mapper.probe(answer, now)));
    this.probe.start();
  }

  stopProbe() {
    this.probe?.stop();
    this.probe = null;
  }

  /** @param {number} ms @param {() => unknown} fn */
  later(ms, fn) {
    const t = setTimeout(() => {
      this.timers = this.timers.filter((x) => x !== t);
      void Promise.resolve().then(fn).catch(() => {});
    }, ms);
    this.timers.push(t);
  }

  /** Closes the page: no more events or probes from it. */
  close() {
    this.stopProbe();
    this.timers.forEach(clearTimeout);
    this.timers = [];
    this.mapper.done = true;
  }

  /**
   * The network goes away. WhatsApp Web notices after `notice_after_ms` (sends until then are
   * accepted and wait at ack 0), then reports TIMEOUT; it never emits `disconnected` for this.
   * @param {Record<string, any>} req
   */
  drop(req) {
    const after = req.notice_after_ms ?? 0;
    if (!Number.isInteger(after) || after < 0) throw new SidecarError('bad_request', 'notice_after_ms must be a non-negative integer');
    this.networkUp = false;
    if (after === 0) this.raise('change_state', 'TIMEOUT');
    else this.later(after, () => { if (!this.networkUp) this.raise('change_state', 'TIMEOUT'); });
    return {};
  }

  /** The network is back: OPENING → PAIRING → CONNECTED on a live page, held acks go out. */
  restore() {
    const wasDown = !this.networkUp;
    this.networkUp = true;
    if (this.mapper.done || !this.mapper.readySeen) {
      if (this.a.state === 'degraded' || this.a.state === 'starting') void this.a.reconnect();
      return {};
    }
    if (!wasDown) return {};
    for (const s of ['OPENING', 'PAIRING', 'CONNECTED']) this.raise('change_state', s);
    this.a.releaseHeldAcks();
    return {};
  }

  /** WhatsApp Web was opened with this account elsewhere: CONFLICT, then `disconnected`. */
  conflict() {
    this.raise('change_state', 'CONFLICT');
    // With takeoverOnConflict the library keeps the client; without it, it disconnects.
    if (!this.mapper.takeover) this.raise('disconnected', 'CONFLICT');
    return {};
  }

  /**
   * WhatsApp bans the number (kept across restarts until `fake_unban`).
   * @param {Record<string, any>} req
   */
  ban(req) {
    const s = req.state ?? 'TOS_BLOCK';
    if (!BANS.has(s)) throw new SidecarError('bad_request', `state must be one of ${[...BANS].join(', ')}`);
    this.a.world.data.banned = s;
    this.a.world.save();
    this.raiseBan(s);
    return {};
  }

  /** @param {string} s  TOS_BLOCK or SMB_TOS_BLOCK */
  raiseBan(s) {
    this.raise('change_state', s);
    this.raise('disconnected', s);
  }

  /** WhatsApp lifts the ban; the next connection (Reconnect) is normal again. */
  unban() {
    this.a.world.data.banned = null;
    this.a.world.save();
    return {};
  }

  /**
   * Any `change_state` value, as the library would emit it (and `disconnected` after it when
   * the library would), to run a recorded sequence.
   * @param {Record<string, any>} req
   */
  changeState(req) {
    if (typeof req.state !== 'string' || req.state === '') throw new SidecarError('bad_request', 'state is required');
    this.raise('change_state', req.state);
    if (!['CONNECTED', 'OPENING', 'PAIRING', 'TIMEOUT'].includes(req.state)) this.raise('disconnected', req.state);
    return {};
  }

  /**
   * The page hangs (`frozen: true`): no events, `getState()` never answers; or it recovers.
   * @param {Record<string, any>} req
   */
  freeze(req) {
    this.frozen = req.frozen !== false;
    return {};
  }
}
