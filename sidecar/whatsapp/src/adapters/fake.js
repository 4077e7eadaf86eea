// Scripted fake WhatsApp for tests: driven by `fake_*` requests, with its WhatsApp side persisted
// by FakeWorld so restarts, session restore, backfill and post-crash lookups behave like the real one.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { SidecarError } from '../protocol.js';
import { checkChatId, phoneDigits, phoneOfUserId, wireId } from '../wa-ids.js';
import { saveMedia } from '../media-files.js';
import { LOOKUP_DEPTH, matchOwnSent } from '../sent-lookup.js';
import { FakeWorld, serializedOf } from './fake-world.js';
import { FakeLink } from './fake-link.js';

/** @typedef {import('./adapter.js').Adapter} Adapter */
/** @typedef {import('./adapter.js').AdapterContext} AdapterContext */
/** @typedef {import('./adapter.js').WireMessage} WireMessage */
/** @typedef {import('./fake-world.js').FakeMessage} FakeMessage */

const DEFAULT_ACCOUNT = '10000000001';
const SEND_ERROR_CODES = new Set(['not_on_whatsapp', 'invalid_number', 'not_ready', 'timeout', 'network']);

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowS = () => Math.floor(Date.now() / 1000);
/** @param {string} prefix */
const newMsgId = (prefix) => prefix + crypto.randomBytes(8).toString('hex').toUpperCase();

/** @implements {Adapter} */
export class FakeAdapter {
  /** @param {AdapterContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    const opts = ctx.options ?? {};
    this.world = new FakeWorld(ctx.dataDir, typeof opts.account === 'string' ? opts.account : DEFAULT_ACCOUNT);
    /** @type {string} */
    this.state = 'stopped';
    /** The fake WhatsApp Web page: network, conflict and ban cues through the state mapper. */
    this.link = new FakeLink(this);
    this.latencyMs = 0;
    /** Time one `fetch_messages` takes (WhatsApp Web loads older messages over the network). */
    this.fetchLatencyMs = 0;
    /** @type {{code: string, deliver: boolean}[]} */
    this.failures = [];
    /** @type {Set<string>} */
    this.notOnWhatsApp = new Set();
    /** WhatsApp Web takes sends but its server never confirms them (ack stays 0, pending). */
    this.holdAcks = false;
    this.qrRotateMs = Number.isFinite(opts.qr_rotate_ms) ? opts.qr_rotate_ms : 20000;
    /** @type {NodeJS.Timeout|null} */
    this.qrTimer = null;
    this.configure(opts);
  }

  /** @param {Record<string, any>} opts */
  configure(opts) {
    if (opts.send_latency_ms !== undefined) {
      if (!Number.isFinite(opts.send_latency_ms) || opts.send_latency_ms < 0) {
        throw new SidecarError('bad_request', 'send_latency_ms must be a non-negative number');
      }
      this.latencyMs = opts.send_latency_ms;
    }
    if (opts.fetch_latency_ms !== undefined) {
      if (!Number.isFinite(opts.fetch_latency_ms) || opts.fetch_latency_ms < 0) {
        throw new SidecarError('bad_request', 'fetch_latency_ms must be a non-negative number');
      }
      this.fetchLatencyMs = opts.fetch_latency_ms;
    }
    if (opts.fail_next_sends !== undefined) {
      const f = opts.fail_next_sends;
      if (!f || !Number.isInteger(f.count) || f.count < 0 || !SEND_ERROR_CODES.has(f.code)) {
        throw new SidecarError('bad_request', `fail_next_sends needs {count, code} with code one of ${[...SEND_ERROR_CODES].join(', ')}`);
      }
      this.failures = Array.from({ length: f.count }, () => ({ code: f.code, deliver: f.deliver === true }));
    }
    if (opts.hold_acks !== undefined) {
      if (typeof opts.hold_acks !== 'boolean') throw new SidecarError('bad_request', 'hold_acks must be true or false');
      this.holdAcks = opts.hold_acks;
    }
    if (opts.not_on_whatsapp !== undefined) {
      if (!Array.isArray(opts.not_on_whatsapp)) throw new SidecarError('bad_request', 'not_on_whatsapp must be an array of numbers');
      this.notOnWhatsApp = new Set(opts.not_on_whatsapp.map((n) => phoneDigits(n)));
    }
  }

  /**
   * @param {string} state
   * @param {Record<string, unknown>} [extra]
   */
  setState(state, extra = {}) {
    this.state = state;
    if (state !== 'qr') this.stopQrRotation();
    this.ctx.emit({ type: 'state', state, ...extra });
  }

  async start() {
    this.setState('starting');
    await sleep(5);
    this.connect();
  }

  /** The connection comes up (a new page): restore the session or ask for a QR scan. */
  connect() {
    this.link.newPage();
    if (!this.link.networkUp) {
      this.link.unreachable();
    } else if (this.world.data.paired) {
      this.setState('authenticated');
      this.link.ready();
      if (this.world.data.banned) this.link.raiseBan(this.world.data.banned);
    } else {
      this.showQr();
    }
  }

  showQr() {
    this.setState('qr', { qr: `2@fake-${crypto.randomBytes(12).toString('base64url')},${this.world.data.account}` });
    if (!this.qrTimer && this.qrRotateMs > 0) {
      this.qrTimer = setInterval(() => {
        if (this.state === 'qr') this.showQr();
      }, this.qrRotateMs);
    }
  }

  stopQrRotation() {
    if (this.qrTimer) clearInterval(this.qrTimer);
    this.qrTimer = null;
  }

  requireReady() {
    if (this.state !== 'ready') throw new SidecarError('not_ready', `WhatsApp is not ready (state: ${this.state})`);
  }

  /** @param {string} digits */
  async requestPairingCode(digits) {
    if (this.state !== 'qr' && this.state !== 'pairing_code') {
      throw new SidecarError('invalid_state', `a pairing code can only be requested while linking (state: ${this.state})`);
    }
    const code = crypto.randomBytes(8).toString('hex').toUpperCase().slice(0, 8);
    this.pairingPhone = digits;
    this.setState('pairing_code', { code, phone: digits });
    return code;
  }

  /** @param {import('./adapter.js').SendRequest & {idempotencyKey?: string|null}} req */
  async sendMessage(req) {
    this.requireReady();
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    this.requireReady();
    let chatId = req.chatId;
    if (!chatId) {
      const digits = /** @type {string} */ (req.phone);
      if (this.notOnWhatsApp.has(digits)) throw new SidecarError('not_on_whatsapp', `${digits} is not on WhatsApp`);
      chatId = `${digits}@c.us`;
    }
    // A contact WhatsApp moved to `@lid` is written to in its `@lid` chat (the reply says so).
    chatId = this.world.currentChatId(chatId);
    /** @type {FakeMessage['media']} */
    let media = null;
    if (req.media) {
      let bytes;
      try {
        bytes = fs.readFileSync(req.media.path);
      } catch (err) {
        throw new SidecarError('media_unreadable', `cannot read ${req.media.path}: ${(/** @type {Error} */ (err)).message}`);
      }
      media = {
        mimetype: req.media.mimetype,
        filename: req.media.filename,
        size: bytes.length,
        data_base64: null,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
      };
    }
    const failure = this.failures.shift();
    if (failure && !failure.deliver) {
      throw new SidecarError(/** @type {any} */ (failure.code), `injected failure: ${failure.code}`);
    }
    this.world.chat(chatId, null);
    const stored = this.world.add({
      id: newMsgId('3EB0'),
      chat_id: chatId,
      from_me: true,
      from: `${this.world.data.account}@c.us`,
      to: chatId,
      author: null,
      notify_name: null,
      timestamp: nowS(),
      sent_at_ms: Date.now(),
      type: media ? mediaType(media.mimetype, req.media?.asDocument ?? false) : 'chat',
      body: req.text,
      ack: this.link.networkUp && !this.holdAcks ? 1 : 0,
      via: 'api',
      idempotency_key: req.idempotencyKey ?? null,
      quoted_id: null,
      media,
      previous_bodies: [],
      revoked: false,
    });
    this.world.save();
    // Like whatsapp-web.js, our own new message is also reported as a message event.
    this.ctx.emit({ type: 'message', message: this.toWire(stored, false) });
    // Offline but not yet noticed, or acks held: WhatsApp Web takes it and holds it at ack 0;
    // like whatsapp-web.js, `message_ack` comes only when the server confirms (ack 1).
    if (stored.ack > 0) setImmediate(() => this.emitAck(stored));
    if (failure) {
      // Delivered, but the host hears a failure: the "maybe sent" case of a real time-out.
      const err = new SidecarError(/** @type {any} */ (failure.code), `injected failure after delivery: ${failure.code}`);
      /** @type {any} */ (err).maybeSent = true;
      throw err;
    }
    return { wa_id: this.wireIdOf(stored), chat_id: chatId, timestamp: stored.timestamp, ack: stored.ack };
  }

  async getChats() {
    this.requireReady();
    return Object.values(this.world.data.chats).map((c) => {
      const last = this.world.data.messages.filter((m) => m.chat_id === c.id).at(-1);
      return { id: c.id, name: c.name, is_group: c.is_group, unread_count: c.unread_count, timestamp: last?.timestamp ?? null };
    });
  }

  /**
   * @param {string} chatId
   * @param {number} since
   * @param {number} limit
   * @param {boolean} withMedia
   */
  async fetchMessages(chatId, since, limit, withMedia) {
    this.requireReady();
    if (!this.world.data.chats[chatId]) throw new SidecarError('chat_not_found', `no chat ${chatId}`);
    if (this.fetchLatencyMs > 0) {
      await sleep(this.fetchLatencyMs);
      this.requireReady();
    }
    const all = this.world.data.messages
      .filter((m) => m.chat_id === chatId && m.timestamp >= since)
      .sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    const picked = all.slice(Math.max(0, all.length - limit));
    return { messages: picked.map((m) => this.toWire(m, withMedia)), truncated: all.length > picked.length };
  }

  /**
   * @param {string} chatId
   * @param {string} text
   * @param {number} around
   * @param {number} windowS
   */
  async findSentMessages(chatId, text, around, windowS) {
    this.requireReady();
    const current = this.world.currentChatId(chatId);
    if (!this.world.data.chats[current]) return [];
    const recent = this.world.data.messages.filter((m) => m.chat_id === current).slice(-LOOKUP_DEPTH);
    const candidates = recent.map((m) => ({ fromMe: m.from_me, body: m.body, timestamp: m.timestamp, m }));
    return matchOwnSent(candidates, text, around, windowS).map((c) => ({ id: this.wireIdOf(c.m), ack: c.m.ack }));
  }

  /** @param {string} chatId */
  async markRead(chatId) {
    this.requireReady();
    const chat = this.world.data.chats[chatId];
    if (!chat) throw new SidecarError('chat_not_found', `no chat ${chatId}`);
    chat.unread_count = 0;
    this.world.data.read_marks[chatId] = (this.world.data.read_marks[chatId] ?? 0) + 1;
    this.world.save();
  }

  async logout() {
    this.link.close();
    this.world.data.paired = false;
    this.world.save();
    this.setState('logged_out', { reason: 'logged out on request' });
  }

  async reconnect() {
    this.link.close();
    this.setState('starting');
    this.connect();
  }

  /** "Use here": a new page takes the session back from the other window. */
  async useHere() {
    if (this.state !== 'conflict') throw new SidecarError('invalid_state', `"use here" is for a session opened elsewhere (state: ${this.state})`);
    this.link.takeoverNext = true;
    await this.reconnect();
  }

  /** The network is back: messages held at ack 0 reach the server (ack 1). */
  releaseHeldAcks() {
    const held = this.world.data.messages.filter((m) => m.via === 'api' && m.ack === 0);
    for (const m of held) m.ack = 1;
    if (held.length > 0) this.world.save();
    for (const m of held) this.emitAck(m);
  }

  async stop() {
    this.stopQrRotation();
    this.link.close();
  }

  killNow() {
    this.stopQrRotation();
    this.link.close();
  }

  /**
   * @param {string} type
   * @param {Record<string, any>} req
   */
  async handleFake(type, req) {
    switch (type) {
      case 'fake_show_qr':
        if (this.world.data.paired) throw new SidecarError('invalid_state', 'already paired');
        this.showQr();
        return {};
      case 'fake_scan':
        if (this.state !== 'qr') throw new SidecarError('invalid_state', `no QR is shown (state: ${this.state})`);
        return this.pairNow();
      case 'fake_pairing_complete':
        if (this.state !== 'pairing_code') throw new SidecarError('invalid_state', `no pairing code is shown (state: ${this.state})`);
        return this.pairNow();
      case 'fake_incoming':
        return this.incoming(req);
      case 'fake_backlog':
        return this.backlog(req);
      case 'fake_ack':
        return this.ack(req);
      case 'fake_edit':
        return this.edit(req);
      case 'fake_revoke':
        return this.revoke(req);
      case 'fake_react':
        return this.react(req);
      case 'fake_move_to_lid': {
        // WhatsApp moves this contact to an `@lid` id: its messages and our sends to its number
        // then go through the `@lid` chat, and `getContactLidAndPhone` still knows the number.
        const lid = this.world.moveToLid(phoneDigits(String(req.phone ?? '')));
        this.world.save();
        return { lid };
      }
      case 'fake_drop':
        return this.link.drop(req);
      case 'fake_reconnect':
        return this.link.restore();
      case 'fake_conflict':
        return this.link.conflict();
      case 'fake_ban':
        return this.link.ban(req);
      case 'fake_unban':
        return this.link.unban();
      case 'fake_change_state':
        return this.link.changeState(req);
      case 'fake_freeze':
        return this.link.freeze(req);
      case 'fake_logout':
        // The phone removed this linked device: the page's socket goes UNPAIRED.
        return this.link.changeState({ state: 'UNPAIRED' });
      case 'fake_crash': {
        const code = Number.isInteger(req.exit_code) && req.exit_code > 0 ? req.exit_code : 70;
        process.exit(code);
      }
      // eslint-disable-next-line no-fallthrough
      case 'fake_state':
        return { ...this.world.dump(), library_events: this.link.events };
      case 'fake_configure':
        this.configure(req);
        return { send_latency_ms: this.latencyMs, pending_failures: this.failures.length, hold_acks: this.holdAcks };
      default:
        throw new SidecarError('unknown_type', `unknown fake request "${type}"`);
    }
  }

  pairNow() {
    if (this.pairingPhone) this.world.data.account = this.pairingPhone;
    this.world.data.paired = true;
    this.world.save();
    this.setState('authenticated');
    this.link.ready();
    return { account: this.world.data.account };
  }

  /**
   * Many messages from one contact delivered to the phone while this computer was away (not
   * emitted; saved once): `{from, name, count, text, timestamp}`, texts "<text> 1" … "<text>
   * <count>", all at `timestamp` (unix s, default now; ordered by arrival within the second).
   * @param {Record<string, any>} req
   */
  backlog(req) {
    if (!Number.isInteger(req.count) || req.count < 1 || req.count > 5000) throw new SidecarError('bad_request', 'count must be an integer 1..5000');
    const text = typeof req.text === 'string' ? req.text : 'message';
    const at = Number.isInteger(req.timestamp) ? req.timestamp : nowS();
    /** @type {string[]} */
    const ids = [];
    for (let i = 1; i <= req.count; i += 1) {
      const r = this.incoming({ ...req, text: `${text} ${i}`, timestamp: at, offline: true }, false);
      ids.push(r.wa_id.stable);
    }
    this.world.save();
    return { count: ids.length, first: ids[0], last: ids[ids.length - 1] };
  }

  /**
   * @param {Record<string, any>} req
   * @param {boolean} [save] false when the caller saves the world once for many messages
   */
  incoming(req, save = true) {
    const sender = typeof req.from === 'string' ? req.from : String(req.from ?? '');
    const senderId = sender.includes('@') ? checkChatId(sender) : this.world.currentChatId(`${phoneDigits(sender)}@c.us`);
    const chatId = req.chat ? checkChatId(req.chat) : senderId;
    const isGroup = chatId.endsWith('@g.us');
    const fromMe = req.from_me === true;
    const account = `${this.world.data.account}@c.us`;
    /** @type {FakeMessage['media']} */
    let media = null;
    if (req.media) {
      const bytes = typeof req.media.data_base64 === 'string'
        ? Buffer.from(req.media.data_base64, 'base64')
        : crypto.randomBytes(Number.isInteger(req.media.size) ? Math.min(req.media.size, 1 << 20) : 16);
      media = {
        mimetype: req.media.mimetype ?? 'application/octet-stream',
        filename: req.media.filename ?? null,
        size: bytes.length,
        data_base64: bytes.toString('base64'),
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
      };
    }
    const idPart = req.wa_id_part;
    if (idPart !== undefined && (typeof idPart !== 'string' || idPart === '' || this.world.find(idPart))) {
      throw new SidecarError('bad_request', 'wa_id_part must be a new, non-empty string');
    }
    const chat = this.world.chat(chatId, isGroup ? (req.chat_name ?? null) : (req.name ?? null));
    const stored = this.world.add({
      id: idPart ?? newMsgId(fromMe ? '3A' : 'FA'),
      chat_id: chatId,
      from_me: fromMe,
      from: fromMe ? account : chatId,
      to: fromMe ? chatId : account,
      author: isGroup && !fromMe ? senderId : null,
      notify_name: fromMe ? null : (req.name ?? null),
      timestamp: Number.isInteger(req.timestamp) ? req.timestamp : nowS(),
      type: typeof req.message_type === 'string' ? req.message_type : media ? mediaType(media.mimetype, false) : 'chat',
      body: typeof req.text === 'string' ? req.text : '',
      ack: fromMe ? 1 : 0,
      via: fromMe ? 'phone' : 'contact',
      idempotency_key: null,
      quoted_id: typeof req.quoted_id === 'string' ? req.quoted_id : null,
      media,
      previous_bodies: [],
      revoked: false,
    });
    if (!fromMe) chat.unread_count += 1;
    if (save) this.world.save();
    const live = req.offline !== true && this.state === 'ready';
    if (live) this.ctx.emit({ type: 'message', message: this.toWire(stored, true) });
    return { wa_id: this.wireIdOf(stored), chat_id: chatId, emitted: live };
  }

  /** @param {Record<string, any>} req */
  mustFind(req) {
    const m = this.world.find(req.message_id);
    if (!m) throw new SidecarError('bad_request', `no message ${String(req.message_id)}`);
    return m;
  }

  /** @param {Record<string, any>} req */
  ack(req) {
    const m = this.mustFind(req);
    if (!Number.isInteger(req.ack) || req.ack < -1 || req.ack > 4) throw new SidecarError('bad_request', 'ack must be an integer -1..4');
    m.ack = req.ack;
    this.world.save();
    if (this.state === 'ready') this.emitAck(m);
    return {};
  }

  /** @param {FakeMessage} m */
  emitAck(m) {
    if (this.state !== 'ready') return;
    this.ctx.emit({ type: 'ack', wa_id: this.wireIdOf(m), chat_id: m.chat_id, ack: m.ack });
  }

  /** @param {Record<string, any>} req */
  edit(req) {
    const m = this.mustFind(req);
    const prev = m.body;
    m.previous_bodies.push(prev);
    m.body = String(req.text ?? '');
    this.world.save();
    if (this.state === 'ready') {
      this.ctx.emit({ type: 'message_edit', wa_id: this.wireIdOf(m), chat_id: m.chat_id, body: m.body, prev_body: prev, timestamp: nowS() });
    }
    return {};
  }

  /** @param {Record<string, any>} req */
  revoke(req) {
    const m = this.mustFind(req);
    m.revoked = true;
    m.type = 'revoked';
    m.body = '';
    this.world.save();
    if (this.state === 'ready') {
      this.ctx.emit({ type: 'message_revoke', wa_id: this.wireIdOf(m), chat_id: m.chat_id, scope: 'everyone', timestamp: nowS() });
    }
    return {};
  }

  /** @param {Record<string, any>} req */
  react(req) {
    const m = this.mustFind(req);
    const sender = typeof req.from === 'string' && req.from.includes('@') ? req.from : `${phoneDigits(req.from ?? m.chat_id.split('@')[0])}@c.us`;
    if (this.state === 'ready') {
      this.ctx.emit({
        type: 'reaction',
        target: this.wireIdOf(m),
        chat_id: m.chat_id,
        sender_id: sender,
        reaction: typeof req.reaction === 'string' ? req.reaction : '',
        timestamp: nowS(),
      });
    }
    return {};
  }

  /** @param {FakeMessage} m */
  wireIdOf(m) {
    return wireId(this.world.data.account, m.from_me, m.id, serializedOf(m));
  }

  /**
   * @param {FakeMessage} m
   * @param {boolean} withMedia  write the bytes under the media dir
   * @returns {WireMessage}
   */
  toWire(m, withMedia) {
    const waId = this.wireIdOf(m);
    let media = null;
    if (m.media) {
      let file = null;
      let error = null;
      if (withMedia && m.media.data_base64) {
        file = saveMedia(this.ctx.mediaDir, waId.stable, Buffer.from(m.media.data_base64, 'base64'), m.media.mimetype, m.media.filename);
      } else if (withMedia) {
        error = 'not_downloadable';
      }
      media = { mimetype: m.media.mimetype, filename: m.media.filename, size: m.media.size, path: file, error };
    }
    const quoted = m.quoted_id ? this.world.find(m.quoted_id) : undefined;
    const senderId = m.from_me ? null : (m.author ?? m.from);
    return {
      wa_id: waId,
      chat_id: m.chat_id,
      from: m.from,
      to: m.to,
      author: m.author,
      from_me: m.from_me,
      timestamp: m.timestamp,
      type: m.type,
      body: m.body,
      is_group: m.chat_id.endsWith('@g.us'),
      notify_name: m.notify_name,
      sender_phone: phoneOfUserId(senderId) ?? this.world.phoneOfLid(senderId),
      quoted: m.quoted_id
        ? { id: quoted ? quoted.id : m.quoted_id, stable: quoted ? this.wireIdOf(quoted).stable : null, participant: quoted ? (quoted.from_me ? `${this.world.data.account}@c.us` : (quoted.author ?? quoted.from)) : null }
        : null,
      media,
      ack: m.ack,
      is_forwarded: false,
    };
  }
}

/**
 * WhatsApp's message type for a media mime type.
 * @param {string|null} mimetype
 * @param {boolean} asDocument
 */
function mediaType(mimetype, asDocument) {
  if (asDocument) return 'document';
  const m = (mimetype ?? '').toLowerCase();
  if (m.startsWith('image/')) return 'image';
  if (m.startsWith('video/')) return 'video';
  if (m.startsWith('audio/ogg')) return 'ptt';
  if (m.startsWith('audio/')) return 'audio';
  return 'document';
}
