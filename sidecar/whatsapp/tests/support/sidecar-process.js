// Test harness: spawns the real sidecar process and talks the JSON-lines protocol to it.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_DIR = path.resolve(here, '..', '..');

/** The file under test: the bundle by default, or TOURDESK_SIDECAR_ENTRY (e.g. src/main.js). */
export function sidecarEntry() {
  const entry = path.resolve(PACKAGE_DIR, process.env.TOURDESK_SIDECAR_ENTRY ?? 'dist/sidecar.cjs');
  if (!fs.existsSync(entry)) throw new Error(`${entry} does not exist: run "npm run build" first`);
  return entry;
}

/** @type {string[]} */
const madeDirs = [];
// Temporary data dirs go away with the test process (set TOURDESK_KEEP_TEST_DIRS=1 to inspect).
process.on('exit', () => {
  if (process.env.TOURDESK_KEEP_TEST_DIRS === '1') return;
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

/** A fresh, unique temporary directory, removed when the test process exits. */
export function tempDir(label = 'wa') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tourdesk-${label}-`));
  madeDirs.push(dir);
  return dir;
}

/** Pids of processes whose command line contains `needle` (pgrep -f), without pgrep itself. */
export function pgrep(needle) {
  try {
    const out = execFileSync('pgrep', ['-f', needle], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).map(Number).filter((p) => p !== process.pid);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `check` until it returns true or `timeoutMs` passes.
 * @param {() => boolean} check
 * @param {number} timeoutMs
 */
export async function eventually(check, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

/** One running sidecar process. */
export class Sidecar {
  /** @param {{env?: NodeJS.ProcessEnv}} [opts] */
  constructor(opts = {}) {
    this.child = spawn(process.execPath, [sidecarEntry()], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...(opts.env ?? {}) },
    });
    /** @type {any[]} every line received, in order */
    this.lines = [];
    this.stderr = '';
    this.nextId = 1;
    /** @type {Map<any, (reply: any) => void>} */
    this.waiting = new Map();
    /** @type {{code: number|null, signal: string|null}|null} */
    this.exited = null;
    this.exitPromise = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve(this.exited);
        // A leftover grandchild (e.g. an orphan Chromium) could hold our pipes open and keep the
        // test process alive forever; stop reading shortly after the exit.
        setTimeout(() => {
          this.child.stdout.destroy();
          this.child.stderr.destroy();
          this.child.stdin.destroy();
        }, 300).unref();
      });
    });
    let buf = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const msg = JSON.parse(line); // stdout must carry nothing but protocol lines
        this.lines.push(msg);
        if (msg.type === 'reply' && this.waiting.has(msg.id)) {
          this.waiting.get(msg.id)?.(msg);
          this.waiting.delete(msg.id);
        }
      }
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (c) => {
      this.stderr += c;
    });
    this.child.stdin.on('error', () => {});
  }

  /** Writes a raw line (for malformed-input tests). @param {string} text */
  writeRaw(text) {
    this.child.stdin.write(text);
  }

  /**
   * Sends a request and resolves with its reply line.
   * @param {string} type
   * @param {Record<string, unknown>} [params]
   * @param {number} [timeoutMs]
   */
  request(type, params = {}, timeoutMs = 10_000) {
    const id = `r${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no reply to ${type} within ${timeoutMs} ms; stderr:\n${this.stderr}`));
      }, timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(t);
        resolve(reply);
      });
      this.child.stdin.write(JSON.stringify({ v: 1, id, type, ...params }) + '\n');
    });
  }

  /**
   * Like request, but fails unless the reply is ok; resolves with the result.
   * @param {string} type
   * @param {Record<string, unknown>} [params]
   * @param {number} [timeoutMs]
   */
  async call(type, params = {}, timeoutMs) {
    const reply = await this.request(type, params, timeoutMs);
    if (!reply.ok) throw new Error(`${type} failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  /**
   * Waits for a line (after index `from`) matching `pred`.
   * @param {(line: any) => boolean} pred
   * @param {{timeoutMs?: number, from?: number}} [opts]
   */
  async waitFor(pred, opts = {}) {
    const timeoutMs = opts.timeoutMs ?? 5_000;
    let from = opts.from ?? 0;
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      for (; from < this.lines.length; from++) if (pred(this.lines[from])) return this.lines[from];
      if (this.exited) break;
      await sleep(20);
    }
    throw new Error(`line not seen within ${timeoutMs} ms; lines: ${JSON.stringify(this.lines)}\nstderr:\n${this.stderr}`);
  }

  /** @param {string} state @param {{timeoutMs?: number, from?: number}} [opts] */
  waitState(state, opts) {
    return this.waitFor((l) => l.type === 'state' && l.state === state, opts);
  }

  /** States seen so far, in order. */
  states() {
    return this.lines.filter((l) => l.type === 'state').map((l) => l.state);
  }

  /** Closes stdin and waits for the exit. @param {number} [timeoutMs] */
  async close(timeoutMs = 5_000) {
    this.child.stdin.end();
    return this.waitExit(timeoutMs);
  }

  /** @param {number} timeoutMs */
  async waitExit(timeoutMs) {
    const timer = sleep(timeoutMs).then(() => null);
    const res = await Promise.race([this.exitPromise, timer]);
    if (!res) {
      this.child.kill('SIGKILL');
      throw new Error(`sidecar did not exit within ${timeoutMs} ms`);
    }
    return res;
  }

  /** Last resort in test clean-up. */
  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/**
 * Starts a fake-adapter sidecar and waits until it is ready (pairing by QR if needed).
 * @param {string} dataDir
 * @param {Record<string, unknown>} [options]
 */
export async function readyFake(dataDir, options = {}) {
  const sc = new Sidecar();
  await sc.call('hello', { data_dir: dataDir, adapter: 'fake', options });
  const first = await sc.waitFor((l) => l.type === 'state' && (l.state === 'qr' || l.state === 'ready'));
  if (first.state === 'qr') await sc.call('fake_scan');
  await sc.waitState('ready');
  return sc;
}
