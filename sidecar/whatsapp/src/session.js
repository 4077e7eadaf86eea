// Request dispatcher: validates requests, drives the adapter, and tags our own sent messages.

import fs from 'node:fs';
import path from 'node:path';
import { PROTOCOL_VERSION, SidecarError, toWireError } from './protocol.js';
import { checkChatId, phoneDigits } from './wa-ids.js';
import { FakeAdapter } from './adapters/fake.js';
import { log } from './log.js';

export const SIDECAR_VERSION = '0.1.0';

const DEFAULT_SEND_TIMEOUT_MS = 60_000;
const DEFAULT_LOOKUP_WINDOW_S = 300;
const MAX_FETCH_LIMIT = 1000;
/** How many of our sent ids / idempotency keys we remember in this process. */
const MEMORY = 5000;

/** @typedef {import('./adapters/adapter.js').Adapter} Adapter */

/** One sidecar's protocol session. */
export class Session {
  /**
   * @param {(obj: Record<string, unknown>) => void} write  writes one protocol line
   * @param {(code: number, reason: string) => void} requestExit
   */
  constructor(write, requestExit) {
    this.write = write;
    this.requestExit = requestExit;
    /** @type {Adapter|null} */
    this.adapter = null;
    this.adapterName = '';
    this.state = 'idle';
    this.startedAt = Date.now();
    this.inflightSends = 0;
    /** @type {Map<string, string|null>} id.id of messages sent through this process → the send's idempotency key */
    this.sentIds = new Map();
    /** @type {Record<string, any>[]} own-message events held while a send is in flight */
    this.held = [];
    /** @type {Map<string, Promise<Record<string, unknown>>>} */
    this.byIdempotencyKey = new Map();
    /** @type {Promise<unknown>|null} */
    this.helloGate = null;
    this.helloBusy = false;
  }

  /**
   * Events from the adapter pass through here on their way to stdout.
   * @param {Record<string, any>} event
   */
  onAdapterEvent(event) {
    if (event.type === 'state') {
      this.state = event.state;
      log.info(`state ${event.state}${event.code ? ` (${event.code})` : ''}`);
    }
    if (event.type === 'message') {
      const m = event.message;
      if (m.from_me && !this.sentIds.has(m.wa_id.id) && this.inflightSends > 0) {
        // Maybe it is the message a pending send_message is producing: decide once it replies.
        this.held.push(event);
        return;
      }
      this.tagOwn(m);
    }
    this.write(event);
  }

  /**
   * Marks our own echo of a send through this process, with the send's idempotency key, so the
   * host finds its outbox row (and chat) even when WhatsApp put it in another chat (`@lid`).
   * @param {Record<string, any>} m
   */
  tagOwn(m) {
    m.via_sidecar = Boolean(m.from_me) && this.sentIds.has(m.wa_id.id);
    m.idempotency_key = m.via_sidecar ? (this.sentIds.get(m.wa_id.id) ?? null) : null;
  }

  flushHeld() {
    const keep = [];
    for (const ev of this.held) {
      const mine = this.sentIds.has(ev.message.wa_id.id);
      if (mine || this.inflightSends === 0) {
        this.tagOwn(ev.message);
        this.write(ev);
      } else {
        keep.push(ev);
      }
    }
    this.held = keep;
  }

  /**
   * Handles one parsed request and writes exactly one reply.
   * @param {Record<string, any>} req
   */
  async handle(req) {
    if (req.type === 'hello') {
      const handled = this.handleNow(req);
      if (!this.helloGate) this.helloGate = handled;
      return handled;
    }
    // Requests that arrive while hello is being handled wait for its reply, so a host may pipeline.
    if (this.helloGate) await this.helloGate;
    return this.handleNow(req);
  }

  /** @param {Record<string, any>} req */
  async handleNow(req) {
    let reply;
    try {
      const result = await this.route(req);
      reply = { type: 'reply', id: req.id, ok: true, result };
    } catch (err) {
      const error = toWireError(err);
      if (!(err instanceof SidecarError)) log.error(`request ${req.type} failed`, err);
      if (req.type === 'send_message') {
        // Unexpected failures count as "maybe sent": the host must look before resending.
        /** @type {any} */ (error).maybe_sent = err instanceof SidecarError ? /** @type {any} */ (err).maybeSent === true : true;
      }
      reply = { type: 'reply', id: req.id, ok: false, error };
    }
    this.write(reply);
    if (req.type === 'shutdown' && reply.ok) this.requestExit(0, 'shutdown requested');
  }

  /** @param {Record<string, any>} req */
  async route(req) {
    if (req.type === 'hello') return this.hello(req);
    if (req.type === 'ping') {
      return { pong: true, state: this.state, uptime_ms: Date.now() - this.startedAt, pid: process.pid };
    }
    if (req.type === 'shutdown') return {};
    const known = [
      'request_pairing_code', 'send_message', 'get_chats', 'fetch_messages', 'find_sent_message',
      'mark_read', 'logout', 'reconnect', 'use_here',
    ];
    const isFake = req.type.startsWith('fake_');
    if (!known.includes(req.type) && !isFake) {
      throw new SidecarError('unknown_type', `unknown request type "${req.type}"`);
    }
    const adapter = this.adapter;
    if (!adapter) throw new SidecarError('not_started', 'send "hello" first');
    switch (req.type) {
      case 'request_pairing_code':
        return { code: await adapter.requestPairingCode(phoneDigits(req.phone)) };
      case 'send_message':
        return this.send(adapter, req);
      case 'get_chats':
        return { chats: await adapter.getChats() };
      case 'fetch_messages': {
        const since = optionalInt(req.since, 'since', 0);
        const limit = optionalInt(req.limit, 'limit', 100);
        if (limit < 1 || limit > MAX_FETCH_LIMIT) throw new SidecarError('bad_request', `limit must be 1..${MAX_FETCH_LIMIT}`);
        return adapter.fetchMessages(checkChatId(req.chat_id), since, limit, req.media !== false);
      }
      case 'find_sent_message': {
        const chatId = req.chat_id !== undefined ? checkChatId(req.chat_id) : `${phoneDigits(req.phone)}@c.us`;
        if (typeof req.text !== 'string') throw new SidecarError('bad_request', 'text is required');
        if (!Number.isInteger(req.around)) throw new SidecarError('bad_request', 'around (unix seconds) is required');
        const windowS = optionalInt(req.window_s, 'window_s', DEFAULT_LOOKUP_WINDOW_S);
        const found = await adapter.findSentMessages(chatId, req.text, req.around, windowS);
        const matches = found.map((f) => f.id);
        return { found: matches.length > 0, message: matches[0] ?? null, matches, acks: found.map((f) => f.ack) };
      }
      case 'mark_read':
        await adapter.markRead(checkChatId(req.chat_id));
        return {};
      case 'logout':
        await adapter.logout();
        return {};
      case 'reconnect':
        await adapter.reconnect();
        return {};
      case 'use_here':
        await adapter.useHere();
        return {};
      default:
        if (!adapter.handleFake) throw new SidecarError('unknown_type', `"${req.type}" exists only with the fake adapter`);
        return adapter.handleFake(req.type, req);
    }
  }

  /** @param {Record<string, any>} req */
  async hello(req) {
    if (this.adapter || this.helloBusy) throw new SidecarError('already_started', 'hello was already accepted');
    this.helloBusy = true;
    try {
      return await this.helloUnguarded(req);
    } finally {
      this.helloBusy = false;
    }
  }

  /** @param {Record<string, any>} req */
  async helloUnguarded(req) {
    const dataDir = absoluteDir(req.data_dir, 'data_dir');
    const mediaDir = req.media_dir === undefined ? path.join(dataDir, 'media') : absoluteDir(req.media_dir, 'media_dir');
    const options = req.options ?? {};
    if (typeof options !== 'object' || Array.isArray(options)) throw new SidecarError('bad_request', 'options must be an object');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.mkdirSync(mediaDir, { recursive: true });
    const ctx = { dataDir, mediaDir, options, emit: (/** @type {Record<string, any>} */ e) => this.onAdapterEvent(e) };
    let adapter;
    if (req.adapter === 'fake') {
      adapter = new FakeAdapter(ctx);
    } else if (req.adapter === 'real' || req.adapter === undefined) {
      // Loaded lazily so the fake adapter works without whatsapp-web.js installed.
      const { RealAdapter } = await import('./adapters/real.js');
      adapter = new RealAdapter(ctx);
    } else {
      throw new SidecarError('bad_request', `adapter must be "real" or "fake", not ${JSON.stringify(req.adapter)}`);
    }
    this.adapter = adapter;
    this.adapterName = req.adapter ?? 'real';
    setImmediate(() => {
      adapter.start().catch((err) => {
        log.error('adapter start failed', err);
        this.onAdapterEvent({ type: 'state', state: 'failed', code: 'internal', reason: String(err?.message ?? err), advice: 'Restart the WhatsApp connection; report the log if it repeats.' });
      });
    });
    return {
      protocol: PROTOCOL_VERSION,
      sidecar_version: SIDECAR_VERSION,
      adapter: this.adapterName,
      pid: process.pid,
      data_dir: dataDir,
      media_dir: mediaDir,
    };
  }

  /**
   * @param {Adapter} adapter
   * @param {Record<string, any>} req
   */
  async send(adapter, req) {
    const key = req.idempotency_key;
    if (key !== undefined && (typeof key !== 'string' || key === '')) throw new SidecarError('bad_request', 'idempotency_key must be a non-empty string');
    if (key) {
      const earlier = this.byIdempotencyKey.get(key);
      if (earlier) {
        // Same key in this process: never send twice; answer with the first outcome.
        const result = await earlier;
        return { ...result, deduplicated: true };
      }
    }
    /** @type {Promise<Record<string, any>>|null} */
    let underlying = null;
    const attempt = this.sendOnce(adapter, req, (p) => { underlying = p; });
    if (key) {
      const map = this.byIdempotencyKey;
      map.set(key, attempt);
      trim(map);
      attempt.catch((err) => {
        if (err?.maybeSent && underlying) {
          // Timed out but maybe still going: a retry with this key waits for the first attempt.
          const late = underlying.then((r) => ({ ...r, idempotency_key: key, deduplicated: false }));
          map.set(key, late);
          late.catch(() => map.delete(key));
        } else {
          map.delete(key);
        }
      });
    }
    return attempt;
  }

  /**
   * @param {Adapter} adapter
   * @param {Record<string, any>} req
   * @param {(p: Promise<Record<string, any>>) => void} onStarted  receives the adapter's own promise
   */
  async sendOnce(adapter, req, onStarted) {
    if (typeof req.text !== 'string') throw new SidecarError('bad_request', 'text is required (may be empty with media)');
    let chatId = null;
    let phone = null;
    if (req.chat_id !== undefined) chatId = checkChatId(req.chat_id);
    else if (req.phone !== undefined) phone = phoneDigits(req.phone);
    else throw new SidecarError('bad_request', 'chat_id or phone is required');
    let media = null;
    if (req.media !== undefined && req.media !== null) {
      const m = req.media;
      if (typeof m.path !== 'string' || !path.isAbsolute(m.path)) throw new SidecarError('bad_request', 'media.path must be an absolute file path');
      if (typeof m.mimetype !== 'string') throw new SidecarError('bad_request', 'media.mimetype is required');
      media = { path: m.path, mimetype: m.mimetype, filename: typeof m.filename === 'string' ? m.filename : null, asDocument: m.as_document === true };
    } else if (req.text === '') {
      throw new SidecarError('bad_request', 'text must not be empty without media');
    }
    const timeoutMs = optionalInt(req.timeout_ms, 'timeout_ms', DEFAULT_SEND_TIMEOUT_MS);
    this.inflightSends += 1;
    /** @type {NodeJS.Timeout|undefined} */
    let timer;
    try {
      const sending = adapter.sendMessage({ chatId, phone, text: req.text, media, idempotencyKey: req.idempotency_key ?? null });
      onStarted(sending);
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => {
          const err = new SidecarError('timeout', `no answer from WhatsApp within ${timeoutMs} ms; the message may have been sent`);
          /** @type {any} */ (err).maybeSent = true;
          reject(err);
        }, timeoutMs);
      });
      // A late success after a time-out still marks the id as ours.
      const key = req.idempotency_key ?? null;
      sending.then((r) => this.rememberSent(r.wa_id.id, key), () => {});
      const result = await Promise.race([sending, timeout]);
      this.rememberSent(result.wa_id.id, key);
      return { ...result, idempotency_key: req.idempotency_key ?? null, deduplicated: false };
    } finally {
      clearTimeout(timer);
      this.inflightSends -= 1;
      this.flushHeld();
    }
  }

  /**
   * @param {string} idPart
   * @param {string|null} key  the send's idempotency key
   */
  rememberSent(idPart, key) {
    this.sentIds.set(idPart, key);
    if (this.sentIds.size > MEMORY) {
      const first = this.sentIds.keys().next().value;
      if (first !== undefined) this.sentIds.delete(first);
    }
    this.flushHeld();
  }

  /** Closes the adapter (and its browser). */
  async stop() {
    if (this.adapter) await this.adapter.stop();
  }

  killNow() {
    this.adapter?.killNow();
  }
}

/**
 * @param {unknown} value
 * @param {string} name
 */
function absoluteDir(value, name) {
  if (typeof value !== 'string' || !path.isAbsolute(value)) {
    throw new SidecarError('bad_request', `${name} must be an absolute path`);
  }
  return value;
}

/**
 * @param {unknown} value
 * @param {string} name
 * @param {number} fallback
 */
function optionalInt(value, name, fallback) {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || /** @type {number} */ (value) < 0) throw new SidecarError('bad_request', `${name} must be a non-negative integer`);
  return /** @type {number} */ (value);
}

/** @param {Map<string, unknown>} map */
function trim(map) {
  while (map.size > MEMORY) {
    const first = map.keys().next().value;
    if (first === undefined) break;
    map.delete(first);
  }
}
