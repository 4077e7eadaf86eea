// The real adapter: whatsapp-web.js with LocalAuth under the host's data dir, driving a
// Chromium found on the machine. One Client per connection attempt: after `disconnected` or a
// failed start the client is destroyed (with its browser) and a new one is made.

import fs from 'node:fs';
import path from 'node:path';
import { SidecarError } from '../protocol.js';
import { phoneOfUserId, wireId } from '../wa-ids.js';
import { saveMedia } from '../media-files.js';
import { LOOKUP_DEPTH, matchOwnSent } from '../sent-lookup.js';
import { BrowserNotFound, clearOrphanProfileLock, findBrowser } from '../browser.js';
import { log } from '../log.js';
import { ADVICE } from '../wa-states.js';
import { newMapper, watchPage, wireStates } from './real-link.js';

/** @typedef {import('./adapter.js').Adapter} Adapter */
/** @typedef {import('./adapter.js').AdapterContext} AdapterContext */
/** @typedef {import('./adapter.js').WireMessage} WireMessage */

/** Back-off between reconnection attempts (ms); the last value repeats. */
const RETRY_DELAYS_MS = [2_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000];
/** A start that shows neither QR nor session within this time counts as "unreachable". */
const DEFAULT_INIT_TIMEOUT_MS = 60_000;
const DESTROY_GRACE_MS = 3_000;
const MEDIA_DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * Rejects after `ms` with a SidecarError of `code`.
 * @template T
 * @param {Promise<T>} p
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(p, ms, what) {
  /** @type {NodeJS.Timeout|undefined} */
  let t;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new SidecarError('timeout', `${what} took longer than ${ms} ms`)), ms);
    }),
  ]);
}

/** @param {any} wid  a whatsapp-web.js id (string or {_serialized}) */
function serializedOf(wid) {
  if (!wid) return null;
  return typeof wid === 'string' ? wid : (wid._serialized ?? null);
}

/**
 * Sorts a failed `initialize()` into a failure code.
 * @param {unknown} err
 * @param {boolean} browserStarted
 */
export function classifyStartError(err, browserStarted) {
  const msg = err instanceof Error ? err.message : String(err);
  if (!browserStarted) return 'browser_start_failed';
  if (/net::ERR_|Navigation timeout|ERR_INTERNET_DISCONNECTED/.test(msg)) return 'whatsapp_unreachable';
  if (msg === 'auth timeout') return 'whatsapp_load_failed';
  if (/Target closed|Session closed|Protocol error|Connection closed/.test(msg)) return 'browser_crashed';
  return 'init_failed';
}

/** @implements {Adapter} */
export class RealAdapter {
  /** @param {AdapterContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    const o = ctx.options ?? {};
    if (o.client_id !== undefined && !/^[-_\w]+$/.test(String(o.client_id))) {
      throw new SidecarError('bad_request', 'options.client_id may hold only letters, digits, "_" and "-"');
    }
    this.clientId = o.client_id === undefined ? null : String(o.client_id);
    this.authDir = path.join(ctx.dataDir, 'wwebjs-auth');
    this.cacheDir = path.join(ctx.dataDir, 'wwebjs-cache');
    this.profileDir = path.join(this.authDir, this.clientId ? `session-${this.clientId}` : 'session');
    this.initTimeoutMs = Number.isInteger(o.init_timeout_ms) && o.init_timeout_ms > 0 ? o.init_timeout_ms : DEFAULT_INIT_TIMEOUT_MS;
    this.maxAttempts = Number.isInteger(o.max_connect_attempts) && o.max_connect_attempts > 0 ? o.max_connect_attempts : 0;
    this.headless = o.headless !== false;
    /** @type {any} */
    this.client = null;
    this.generation = 0;
    this.attempts = 0;
    this.state = 'stopped';
    this.stopping = false;
    /** @type {string|null} */
    this.account = null;
    /** @type {string|null} */
    this.pairingPhone = null;
    /** @type {NodeJS.Timeout|null} */
    this.retryTimer = null;
    /** @type {Set<number>} browser pids we started and have not seen die */
    this.browserPids = new Set();
    /** Serialises event conversion so events leave in the order WhatsApp raised them. */
    this.eventChain = Promise.resolve();
    /** @type {any} */
    this.lib = null;
    /** The state mapper of the current client. */
    this.mapper = newMapper(this, false);
    /** @type {import('../liveness.js').LivenessProbe|null} */
    this.probe = null;
    /** The next client takes the session over from another window ("Use here"). */
    this.takeoverNext = false;
  }

  /**
   * @param {string} state
   * @param {Record<string, unknown>} [extra]
   */
  setState(state, extra = {}) {
    this.state = state;
    this.ctx.emit({ type: 'state', state, ...extra });
  }

  async start() {
    this.setState('starting');
    try {
      this.browser = findBrowser({ explicit: this.ctx.options?.browser_path ?? null });
      log.info(`browser ${this.browser.path} (${this.browser.source})`);
    } catch (err) {
      if (err instanceof BrowserNotFound) {
        this.setState('failed', { code: 'browser_not_found', reason: err.message, advice: err.advice });
        return;
      }
      throw err;
    }
    const mod = await import('whatsapp-web.js');
    // CommonJS module: its exports object is the default export (Node ESM and esbuild alike).
    this.lib = mod.default?.Client ? mod.default : mod;
    log.info(`whatsapp-web.js ${this.lib.version}`);
    await this.connect();
  }

  /** One connection attempt with a fresh Client. */
  async connect() {
    if (this.stopping) return;
    const gen = ++this.generation;
    this.attempts += 1;
    if (this.state !== 'starting') this.setState('starting', { attempt: this.attempts });
    clearOrphanProfileLock(this.profileDir);
    const { Client, LocalAuth } = this.lib;
    const args = [];
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox', '--disable-setuid-sandbox');
    if (process.platform === 'linux') args.push('--disable-dev-shm-usage');
    const o = this.ctx.options ?? {};
    if (typeof o.proxy_server === 'string' && o.proxy_server !== '') args.push(`--proxy-server=${o.proxy_server}`);
    this.mapper = newMapper(this, this.takeoverNext);
    const client = new Client({
      // A conflict is the user's call ("Use here"), except for the client made by that button.
      takeoverOnConflict: this.takeoverNext,
      takeoverTimeoutMs: 0,
      authStrategy: new LocalAuth({ dataPath: this.authDir, ...(this.clientId ? { clientId: this.clientId } : {}) }),
      webVersionCache: { type: 'local', path: this.cacheDir },
      ...(typeof o.web_version === 'string' ? { webVersion: o.web_version } : {}),
      ...(typeof o.device_name === 'string' ? { deviceName: o.device_name } : {}),
      puppeteer: {
        executablePath: this.browser?.path,
        headless: this.headless,
        args,
        // With a pipe instead of a websocket, Chromium exits by itself when we die.
        pipe: true,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      },
    });
    this.takeoverNext = false;
    this.client = client;
    this.wire(client, gen);
    const watchdog = setTimeout(() => {
      if (gen === this.generation && this.state === 'starting') {
        void this.failAttempt(gen, 'whatsapp_unreachable', `WhatsApp Web did not load within ${this.initTimeoutMs} ms`);
      }
    }, this.initTimeoutMs);
    try {
      await client.initialize();
      this.trackBrowser(client);
      watchPage(this, client, gen);
    } catch (err) {
      this.trackBrowser(client);
      if (gen !== this.generation || this.stopping) return;
      const code = classifyStartError(err, Boolean(client.pupBrowser));
      const reason = err instanceof Error ? err.message : String(err);
      log.warn(`start attempt ${this.attempts} failed: ${code}`, reason);
      await this.failAttempt(gen, code, reason);
    } finally {
      clearTimeout(watchdog);
    }
  }

  /** @param {any} client */
  trackBrowser(client) {
    const proc = client?.pupBrowser?.process?.();
    if (proc?.pid) {
      this.browserPids.add(proc.pid);
      proc.once('exit', () => this.browserPids.delete(proc.pid));
    }
  }

  /**
   * Ends attempt `gen`: closes its client, then retries (degraded) or gives up (failed).
   * @param {number} gen
   * @param {keyof typeof ADVICE} code
   * @param {string} reason
   */
  async failAttempt(gen, code, reason) {
    if (gen !== this.generation || this.stopping) return;
    this.generation += 1; // late events of the old client are ignored from now on
    await this.destroyClient();
    const fatal = code === 'browser_start_failed' || code === 'auth_failure' || (this.maxAttempts > 0 && this.attempts >= this.maxAttempts);
    if (fatal) {
      this.setState('failed', { code, reason, advice: ADVICE[code] });
      return;
    }
    // After a `ready` the attempt count is 0: the first retry then waits the shortest delay.
    const delay = RETRY_DELAYS_MS[Math.min(Math.max(this.attempts - 1, 0), RETRY_DELAYS_MS.length - 1)];
    this.setState('degraded', { code, reason, advice: ADVICE[code], next_retry_at: Date.now() + delay });
    this.scheduleRetry(delay);
  }

  /** @param {number} delay */
  scheduleRetry(delay) {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect().catch((err) => log.error('reconnect failed', err));
    }, delay);
  }

  /** Destroys the current client and its browser, bounded in time. */
  async destroyClient() {
    this.probe?.stop();
    this.probe = null;
    const client = this.client;
    this.client = null;
    if (!client) return;
    this.trackBrowser(client);
    try {
      await withTimeout(Promise.resolve(client.destroy()), DESTROY_GRACE_MS, 'closing the browser');
    } catch (err) {
      log.warn('client.destroy failed; killing the browser', err);
    }
    this.killBrowsers();
  }

  /**
   * @param {any} client
   * @param {number} gen
   */
  wire(client, gen) {
    const live = () => gen === this.generation && !this.stopping;
    wireStates(this, client, gen);
    const queue = (/** @type {() => Promise<void>} */ fn) => {
      this.eventChain = this.eventChain.then(fn).catch((err) => log.warn('event conversion failed', err));
    };
    client.on('message_create', (/** @type {any} */ msg) => {
      if (live()) queue(async () => this.ctx.emit({ type: 'message', message: await this.toWire(msg, true) }));
    });
    client.on('message_ack', (/** @type {any} */ msg, /** @type {number} */ ack) => {
      if (live()) queue(async () => this.ctx.emit({ type: 'ack', wa_id: this.wireIdOf(msg.id), chat_id: serializedOf(msg.id.remote), ack }));
    });
    client.on('message_edit', (/** @type {any} */ msg, /** @type {string} */ newBody, /** @type {string} */ prevBody) => {
      if (live()) queue(async () => this.ctx.emit({ type: 'message_edit', wa_id: this.wireIdOf(msg.id), chat_id: serializedOf(msg.id.remote), body: String(newBody ?? ''), prev_body: prevBody ?? null, timestamp: Math.floor(Date.now() / 1000) }));
    });
    client.on('message_revoke_everyone', (/** @type {any} */ msg, /** @type {any} */ before) => {
      const id = before?.id ?? msg.id;
      if (live()) queue(async () => this.ctx.emit({ type: 'message_revoke', wa_id: this.wireIdOf(id), chat_id: serializedOf(id.remote), scope: 'everyone', timestamp: msg.timestamp ?? null }));
    });
    client.on('message_revoke_me', (/** @type {any} */ msg) => {
      if (live()) queue(async () => this.ctx.emit({ type: 'message_revoke', wa_id: this.wireIdOf(msg.id), chat_id: serializedOf(msg.id.remote), scope: 'me', timestamp: msg.timestamp ?? null }));
    });
    client.on('message_reaction', (/** @type {any} */ r) => {
      if (live()) {
        queue(async () => this.ctx.emit({
          type: 'reaction',
          target: this.wireIdOf(r.msgId),
          chat_id: serializedOf(r.msgId?.remote),
          sender_id: serializedOf(r.senderId),
          reaction: r.reaction ?? '',
          timestamp: r.timestamp ?? null,
        }));
      }
    });
  }

  /** @param {string} reason */
  async loggedOut(reason) {
    this.generation += 1;
    await this.destroyClient();
    await fs.promises.rm(this.profileDir, { recursive: true, force: true, maxRetries: 4 }).catch((err) => log.warn('could not remove the session', err));
    this.setState('logged_out', { reason });
  }

  /** @param {any} id  whatsapp-web.js message id object */
  wireIdOf(id) {
    const account = this.account ?? this.client?.info?.wid?.user ?? 'unknown';
    return wireId(account, Boolean(id?.fromMe), String(id?.id ?? ''), serializedOf(id) ?? '');
  }

  requireReady() {
    if (this.state !== 'ready' || !this.client) throw new SidecarError('not_ready', `WhatsApp is not ready (state: ${this.state})`);
    return this.client;
  }

  /** @param {string} digits */
  async requestPairingCode(digits) {
    if (!this.client || (this.state !== 'qr' && this.state !== 'pairing_code')) {
      throw new SidecarError('invalid_state', `a pairing code can only be requested while the QR code is shown (state: ${this.state})`);
    }
    this.pairingPhone = digits;
    const code = await withTimeout(this.client.requestPairingCode(digits, true), 30_000, 'requesting a pairing code');
    if (this.state !== 'pairing_code') this.setState('pairing_code', { code, phone: digits });
    return code;
  }

  /** @param {import('./adapter.js').SendRequest} req */
  async sendMessage(req) {
    const client = this.requireReady();
    let chatId = req.chatId;
    if (!chatId) {
      let numberId;
      try {
        numberId = await withTimeout(client.getNumberId(req.phone), 20_000, 'looking up the number');
      } catch (err) {
        throw err instanceof SidecarError ? err : new SidecarError('network', `number lookup failed: ${(/** @type {Error} */ (err)).message}`);
      }
      if (!numberId) throw new SidecarError('not_on_whatsapp', `${req.phone} is not on WhatsApp`);
      chatId = serializedOf(numberId);
    }
    /** @type {any} */
    let content = req.text;
    /** @type {Record<string, unknown>} */
    const sendOpts = {};
    if (req.media) {
      let bytes;
      try {
        bytes = await fs.promises.readFile(req.media.path);
      } catch (err) {
        throw new SidecarError('media_unreadable', `cannot read ${req.media.path}: ${(/** @type {Error} */ (err)).message}`);
      }
      content = new this.lib.MessageMedia(req.media.mimetype, bytes.toString('base64'), req.media.filename ?? path.basename(req.media.path), bytes.length);
      if (req.text) sendOpts.caption = req.text;
      if (req.media.asDocument) sendOpts.sendMediaAsDocument = true;
    }
    let msg;
    try {
      msg = await client.sendMessage(chatId, content, sendOpts);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      const code = /Target closed|Session closed|detached|Protocol error|Connection closed/.test(text) ? 'not_ready'
        : /invalid wid|No LID for user|not a valid/i.test(text) ? 'not_on_whatsapp' : 'network';
      const e = new SidecarError(code, `sending failed: ${text}`);
      /** @type {any} */ (e).maybeSent = code !== 'not_on_whatsapp';
      throw e;
    }
    return { wa_id: this.wireIdOf(msg.id), chat_id: serializedOf(msg.id.remote) ?? chatId, timestamp: msg.timestamp, ack: Number.isInteger(msg.ack) ? msg.ack : null };
  }

  async getChats() {
    const client = this.requireReady();
    const chats = await client.getChats();
    return chats.map((/** @type {any} */ c) => ({
      id: serializedOf(c.id),
      name: c.name ?? null,
      is_group: Boolean(c.isGroup),
      unread_count: c.unreadCount ?? 0,
      timestamp: c.timestamp ?? null,
    }));
  }

  /** @param {string} chatId */
  async chatOrThrow(chatId) {
    const client = this.requireReady();
    try {
      const chat = await client.getChatById(chatId);
      if (chat) return chat;
    } catch (err) {
      log.debug(`getChatById ${chatId} failed`, err);
    }
    throw new SidecarError('chat_not_found', `no chat ${chatId}`);
  }

  /**
   * @param {string} chatId
   * @param {number} since
   * @param {number} limit
   * @param {boolean} withMedia
   */
  async fetchMessages(chatId, since, limit, withMedia) {
    const chat = await this.chatOrThrow(chatId);
    const msgs = await chat.fetchMessages({ limit });
    const picked = msgs.filter((/** @type {any} */ m) => m.timestamp >= since);
    // If even the oldest fetched message is new enough, older ones may be missing.
    const truncated = msgs.length >= limit && picked.length === msgs.length;
    const out = [];
    for (const m of picked) out.push(await this.toWire(m, withMedia));
    return { messages: out, truncated };
  }

  /**
   * @param {string} chatId
   * @param {string} text
   * @param {number} around
   * @param {number} windowS
   */
  async findSentMessages(chatId, text, around, windowS) {
    let chat;
    try {
      chat = await this.chatOrThrow(chatId);
    } catch (err) {
      if (err instanceof SidecarError && err.code === 'chat_not_found') return [];
      throw err;
    }
    const msgs = await chat.fetchMessages({ limit: LOOKUP_DEPTH });
    /** @type {{fromMe: boolean, body: string, timestamp: number, m: any}[]} */
    const candidates = msgs.map((/** @type {any} */ m) => ({ fromMe: Boolean(m.fromMe), body: m.body ?? '', timestamp: m.timestamp, m }));
    return matchOwnSent(candidates, text, around, windowS).map((c) => ({ id: this.wireIdOf(c.m.id), ack: Number.isInteger(c.m.ack) ? c.m.ack : null }));
  }

  /** @param {string} chatId */
  async markRead(chatId) {
    const client = this.requireReady();
    await client.sendSeen(chatId);
  }

  async logout() {
    const client = this.client;
    if (client && this.state === 'ready') {
      this.generation += 1;
      try {
        await withTimeout(client.logout(), 10_000, 'logging out');
      } catch (err) {
        log.warn('logout on WhatsApp failed; clearing the local session anyway', err);
      }
    }
    await this.loggedOut('logged out on request');
  }

  async reconnect() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.generation += 1;
    await this.destroyClient();
    this.attempts = 0;
    if (!this.lib) return this.start();
    this.setState('starting');
    void this.connect().catch((err) => log.error('reconnect failed', err));
  }

  /** "Use here": a new client takes the session back from the other window (library takeover). */
  async useHere() {
    if (this.state !== 'conflict') throw new SidecarError('invalid_state', `"use here" is for a session opened elsewhere (state: ${this.state})`);
    this.takeoverNext = true;
    await this.reconnect();
  }

  async stop() {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.generation += 1;
    await this.destroyClient();
  }

  /** Kills every browser process group we started (synchronous; safe at exit). */
  killBrowsers() {
    for (const pid of this.browserPids) {
      try {
        // Puppeteer starts Chromium detached on POSIX, so -pid is its process group.
        if (process.platform === 'win32') process.kill(pid);
        else process.kill(-pid, 'SIGKILL');
      } catch {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      this.browserPids.delete(pid);
    }
  }

  killNow() {
    this.trackBrowser(this.client);
    this.killBrowsers();
  }

  /**
   * Converts a whatsapp-web.js Message for the protocol, saving media bytes when asked.
   * @param {any} msg
   * @param {boolean} withMedia
   * @returns {Promise<WireMessage>}
   */
  async toWire(msg, withMedia) {
    const waId = this.wireIdOf(msg.id);
    const data = msg._data ?? {};
    const chatId = serializedOf(msg.id?.remote) ?? (msg.fromMe ? msg.to : msg.from);
    /** @type {import('./adapter.js').WireMedia|null} */
    let media = null;
    if (msg.hasMedia) {
      media = { mimetype: data.mimetype ?? null, filename: data.filename ?? null, size: data.size ?? null, path: null, error: null };
      if (withMedia) {
        try {
          const m = await withTimeout(msg.downloadMedia(), MEDIA_DOWNLOAD_TIMEOUT_MS, 'downloading media');
          if (m?.data) {
            const bytes = Buffer.from(m.data, 'base64');
            media.path = saveMedia(this.ctx.mediaDir, waId.stable, bytes, m.mimetype ?? media.mimetype, m.filename ?? media.filename);
            media.size = bytes.length;
            media.mimetype = m.mimetype ?? media.mimetype;
          } else {
            media.error = 'not_downloadable';
          }
        } catch (err) {
          log.warn(`media of ${waId.stable} not downloaded`, err);
          media.error = 'download_failed';
        }
      }
    }
    let quoted = null;
    if (msg.hasQuotedMsg && data.quotedStanzaID) {
      const participant = serializedOf(data.quotedParticipant);
      const qPhone = phoneOfUserId(participant);
      const fromMe = qPhone !== null && qPhone === this.account;
      quoted = {
        id: String(data.quotedStanzaID),
        stable: qPhone !== null && this.account ? wireId(this.account, fromMe, String(data.quotedStanzaID), '').stable : null,
        participant,
      };
    }
    const senderId = msg.fromMe ? null : (msg.author ?? msg.from ?? null);
    let senderPhone = phoneOfUserId(senderId);
    if (!senderPhone && senderId?.endsWith('@lid') && this.client) {
      try {
        const [pair] = await withTimeout(this.client.getContactLidAndPhone([senderId]), 5_000, 'resolving a lid');
        senderPhone = phoneOfUserId(pair?.pn ?? null);
      } catch {
        senderPhone = null;
      }
    }
    return {
      wa_id: waId,
      chat_id: chatId,
      from: msg.from ?? null,
      to: msg.to ?? null,
      author: msg.author ?? null,
      from_me: Boolean(msg.fromMe),
      timestamp: msg.timestamp,
      type: msg.type ?? 'unknown',
      body: msg.body ?? '',
      is_group: String(chatId).endsWith('@g.us'),
      notify_name: data.notifyName ?? null,
      sender_phone: senderPhone,
      quoted,
      media,
      ack: typeof msg.ack === 'number' ? msg.ack : null,
      is_forwarded: Boolean(msg.isForwarded),
    };
  }
}

