// Entry point of the WhatsApp sidecar: JSON lines on stdin/stdout, exits when stdin closes.

import { format } from 'node:util';
import { MAX_LINE_BYTES, encodeLine, parseRequest } from './protocol.js';
import { Session } from './session.js';
import { log, stderrClosed } from './log.js';

// stdout belongs to the protocol: anything a library prints with console.log goes to stderr.
console.log = (...args) => log.info(format(...args));
console.info = console.log;
console.debug = (...args) => log.debug(format(...args));

/** Time allowed for a graceful close (client.destroy) before the browser is killed. */
const STOP_GRACE_MS = 1500;

let exiting = false;

/** @param {Record<string, unknown>} obj */
function write(obj) {
  if (exiting && obj.type !== 'reply') return;
  try {
    process.stdout.write(encodeLine(obj));
  } catch (err) {
    log.warn('stdout write failed', err);
  }
}

const session = new Session(write, (code, reason) => void exit(code, reason));

/**
 * Stops the adapter (bounded by STOP_GRACE_MS), kills what is left, and exits.
 * @param {number} code
 * @param {string} reason
 */
async function exit(code, reason) {
  if (exiting) return;
  exiting = true;
  log.info(`exiting: ${reason}`);
  const grace = new Promise((r) => setTimeout(r, STOP_GRACE_MS));
  try {
    await Promise.race([session.stop(), grace]);
  } catch (err) {
    log.warn('stop failed', err);
  }
  session.killNow();
  process.exit(code);
}

// Whatever happens, the browser does not outlive us.
process.on('exit', () => session.killNow());
process.stdout.on('error', (err) => {
  // EPIPE: the host is gone.
  log.warn('stdout closed', err);
  void exit(0, 'stdout closed');
});
// A dead stderr (the host was killed) must not turn every log line into an 'error' event: an
// unhandled one would loop through uncaughtException → log → error without ever exiting.
process.stderr.on('error', () => {
  stderrClosed();
  void exit(0, 'stderr closed');
});
for (const sig of /** @type {const} */ (['SIGTERM', 'SIGINT', 'SIGHUP'])) {
  process.on(sig, () => void exit(0, `signal ${sig}`));
}
process.on('uncaughtException', (err) => {
  if (exiting) return; // already on the way out; never loop on errors raised while exiting
  log.error('uncaught exception', err);
  write({ type: 'state', state: 'failed', code: 'internal', reason: String(err?.message ?? err), advice: 'The WhatsApp connection crashed; it will be restarted.' });
  void exit(1, 'uncaught exception');
});
process.on('unhandledRejection', (err) => {
  // whatsapp-web.js fires some promises without awaiting them (e.g. destroy after disconnect).
  log.warn('unhandled rejection', err);
});

// Line splitting by hand so an over-long line cannot exhaust memory.
/** @type {Buffer[]} */
let pending = [];
let pendingBytes = 0;
let discarding = false;

/** @param {string} line */
function onLine(line) {
  if (line.trim() === '') return;
  const parsed = parseRequest(line);
  if (!parsed.ok) {
    if (parsed.id !== null) {
      write({ type: 'reply', id: parsed.id, ok: false, error: { code: parsed.code, message: parsed.message, transient: false } });
    } else {
      write({ type: 'error', code: parsed.code, message: parsed.message });
    }
    return;
  }
  void session.handle(parsed.request);
}

process.stdin.on('data', (/** @type {Buffer} */ chunk) => {
  let start = 0;
  for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
    const piece = chunk.subarray(start, nl);
    start = nl + 1;
    if (discarding) {
      discarding = false;
      continue;
    }
    const line = Buffer.concat([...pending, piece]).toString('utf8');
    pending = [];
    pendingBytes = 0;
    onLine(line);
  }
  if (start < chunk.length && !discarding) {
    pending.push(chunk.subarray(start));
    pendingBytes += chunk.length - start;
    if (pendingBytes > MAX_LINE_BYTES) {
      pending = [];
      pendingBytes = 0;
      discarding = true;
      write({ type: 'error', code: 'line_too_long', message: `request lines are limited to ${MAX_LINE_BYTES} bytes` });
    }
  }
});
process.stdin.on('end', () => void exit(0, 'stdin closed'));
process.stdin.on('error', (err) => {
  log.warn('stdin error', err);
  void exit(0, 'stdin error');
});

log.info(`started pid=${process.pid} node=${process.version}`);
