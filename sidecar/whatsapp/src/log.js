// Logging for the sidecar: human-readable lines on stderr only (stdout carries the protocol).

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = LEVELS[/** @type {keyof typeof LEVELS} */ (process.env.TOURDESK_SIDECAR_LOG ?? 'info')] ?? LEVELS.info;

/** Set once stderr failed (the host is gone): writing again would only raise more errors. */
let stderrGone = false;

/** Stops all logging: stderr is closed. */
export function stderrClosed() {
  stderrGone = true;
}

/**
 * @param {keyof typeof LEVELS} level
 * @param {string} msg
 * @param {unknown} [detail]
 */
function write(level, msg, detail) {
  if (stderrGone || LEVELS[level] < threshold) return;
  let line = `${new Date().toISOString()} ${level.toUpperCase()} whatsapp-sidecar: ${msg}`;
  if (detail !== undefined) {
    line += ' ' + (detail instanceof Error ? detail.stack ?? detail.message : safeJson(detail));
  }
  try {
    process.stderr.write(line + '\n');
  } catch {
    // stderr gone: nothing sensible left to do.
    stderrGone = true;
  }
}

/** @param {unknown} v */
function safeJson(v) {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** The sidecar's logger (stderr only). */
export const log = {
  /** @param {string} m @param {unknown} [d] */ debug: (m, d) => write('debug', m, d),
  /** @param {string} m @param {unknown} [d] */ info: (m, d) => write('info', m, d),
  /** @param {string} m @param {unknown} [d] */ warn: (m, d) => write('warn', m, d),
  /** @param {string} m @param {unknown} [d] */ error: (m, d) => write('error', m, d),
};
