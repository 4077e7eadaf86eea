// The liveness probe: asks the page for its socket state every few seconds (the library's
// `getState()`), because a dropped network or a hung page raises no event of its own. Each
// answer, or its absence, goes to the state mapper, which decides.

import { log } from './log.js';

/**
 * @typedef {object} ProbeOptions
 * @property {number} intervalMs   time between two questions
 * @property {number} timeoutMs    an answer later than this counts as none
 */

/**
 * A positive integer option, or its default.
 * @param {unknown} v
 * @param {number} d
 */
const pos = (v, d) => (Number.isInteger(v) && /** @type {number} */ (v) > 0 ? /** @type {number} */ (v) : d);

/**
 * Reads probe timing from the hello options (`probe_interval_ms`, `probe_timeout_ms`).
 * @param {Record<string, any>} o
 * @returns {ProbeOptions}
 */
export function probeOptions(o) {
  return { intervalMs: pos(o.probe_interval_ms, 15_000), timeoutMs: pos(o.probe_timeout_ms, 10_000) };
}

/**
 * Mapper timing from the hello options (`probe_degrade_after_ms`, `probe_rebuild_after_ms`).
 * @param {Record<string, any>} o
 */
export function probeLimits(o) {
  return { degradeAfterMs: pos(o.probe_degrade_after_ms, 45_000), rebuildAfterMs: pos(o.probe_rebuild_after_ms, 300_000) };
}

/** Asks `getState` on a timer until stopped; one question at a time. */
export class LivenessProbe {
  /**
   * @param {ProbeOptions} opts
   * @param {() => Promise<string|null>} getState
   * @param {(answer: string|null, nowMs: number) => void} onAnswer
   */
  constructor(opts, getState, onAnswer) {
    this.opts = opts;
    this.getState = getState;
    this.onAnswer = onAnswer;
    /** @type {NodeJS.Timeout|null} */
    this.timer = null;
    this.busy = false;
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.ask(), this.opts.intervalMs);
    this.timer.unref?.();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async ask() {
    if (this.busy) return; // the last question is still open: its time-out answers it
    this.busy = true;
    /** @type {NodeJS.Timeout|undefined} */
    let t;
    try {
      const late = new Promise((resolve) => { t = setTimeout(() => resolve(null), this.opts.timeoutMs); });
      const answer = await Promise.race([this.getState().catch((err) => { log.debug('state probe failed', err); return null; }), late]);
      if (this.timer) this.onAnswer(typeof answer === 'string' ? answer : null, Date.now());
    } finally {
      clearTimeout(t);
      this.busy = false;
    }
  }
}
