// The fake adapter's "WhatsApp side": pairing, chats and every message in both directions, kept
// in a JSON file under the data dir so it survives sidecar restarts (written atomically).

import fs from 'node:fs';
import path from 'node:path';
import { log } from '../log.js';

export const WORLD_FILE = 'fake-whatsapp.json';

/**
 * @typedef {object} FakeMessage
 * @property {number} seq                 arrival order on the WhatsApp side
 * @property {string} id                  WhatsApp id.id
 * @property {string} chat_id
 * @property {boolean} from_me
 * @property {string|null} from
 * @property {string|null} to
 * @property {string|null} author
 * @property {string|null} notify_name
 * @property {number} timestamp           unix seconds
 * @property {number} [sent_at_ms]        unix ms of a sidecar send (rate checks with scaled windows)
 * @property {string} type
 * @property {string} body
 * @property {number} ack
 * @property {'api'|'phone'|'contact'} via   api = sent through the sidecar
 * @property {string|null} idempotency_key
 * @property {string|null} quoted_id
 * @property {{mimetype: string|null, filename: string|null, size: number, data_base64: string|null, sha256: string|null}|null} media
 * @property {string[]} previous_bodies  earlier texts, when edited
 * @property {boolean} revoked
 */

/**
 * @typedef {object} FakeChat
 * @property {string} id
 * @property {string|null} name
 * @property {boolean} is_group
 * @property {number} unread_count
 */

/**
 * @typedef {object} WorldData
 * @property {number} format
 * @property {string} account
 * @property {boolean} paired
 * @property {number} seq
 * @property {Record<string, FakeChat>} chats
 * @property {FakeMessage[]} messages
 * @property {Record<string, number>} read_marks
 * @property {string|null} [banned]   TOS_BLOCK / SMB_TOS_BLOCK while WhatsApp bans the number
 * @property {Record<string, string>} [lids]  phone digits → the `@lid` id WhatsApp moved that contact to
 */

/** Loads and saves the fake WhatsApp side. */
export class FakeWorld {
  /**
   * @param {string} dataDir
   * @param {string} account  used when the file does not exist yet
   */
  constructor(dataDir, account) {
    this.file = path.join(dataDir, WORLD_FILE);
    /** @type {WorldData} */
    this.data = this.load() ?? { format: 1, account, paired: false, seq: 0, chats: {}, messages: [], read_marks: {} };
    this.data.lids ??= {};
  }

  /**
   * WhatsApp moves a contact to an `@lid` id (once; later calls return the same id).
   * @param {string} digits
   */
  moveToLid(digits) {
    const lids = /** @type {Record<string, string>} */ (this.data.lids);
    lids[digits] ??= `${Math.floor(1e14 + Math.random() * 9e14)}@lid`;
    return lids[digits];
  }

  /**
   * The chat WhatsApp uses for a chat id: a moved contact's `digits@c.us` is its `@lid` chat.
   * @param {string} chatId
   */
  currentChatId(chatId) {
    const digits = chatId.endsWith('@c.us') ? chatId.slice(0, -'@c.us'.length) : null;
    return (digits && this.data.lids?.[digits]) || chatId;
  }

  /**
   * The phone digits behind an `@lid` id, as `getContactLidAndPhone` tells them; null if unknown.
   * @param {string|null} lid
   */
  phoneOfLid(lid) {
    if (!lid?.endsWith('@lid')) return null;
    const found = Object.entries(this.data.lids ?? {}).find(([, l]) => l === lid);
    return found ? found[0] : null;
  }

  /** @returns {WorldData|null} */
  load() {
    let text;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return null;
    }
    const data = JSON.parse(text);
    if (data.format !== 1) throw new Error(`${this.file}: unknown format ${data.format}`);
    log.debug(`fake world loaded: ${data.messages.length} messages, paired=${data.paired}`);
    return data;
  }

  /** Writes the whole state: temp file, fsync, rename. */
  save() {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(this.data, null, 1));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }

  /**
   * Creates the chat if new and returns it.
   * @param {string} chatId
   * @param {string|null} name
   */
  chat(chatId, name) {
    let chat = this.data.chats[chatId];
    if (!chat) {
      chat = { id: chatId, name, is_group: chatId.endsWith('@g.us'), unread_count: 0 };
      this.data.chats[chatId] = chat;
    } else if (name && !chat.name) {
      chat.name = name;
    }
    return chat;
  }

  /**
   * Appends a message (assigning its arrival sequence) and returns it.
   * @param {Omit<FakeMessage, 'seq'>} msg
   */
  add(msg) {
    this.data.seq += 1;
    const stored = { seq: this.data.seq, ...msg };
    this.data.messages.push(stored);
    return stored;
  }

  /**
   * Finds a message by stable id, serialized id or bare id.id.
   * @param {unknown} ref
   */
  find(ref) {
    if (typeof ref !== 'string' || ref === '') return undefined;
    const account = this.data.account;
    return this.data.messages.find(
      (m) =>
        m.id === ref ||
        `${account}:${m.from_me ? 1 : 0}:${m.id}` === ref ||
        serializedOf(m) === ref,
    );
  }

  /** A summary for tests: chats, messages and how often each key/text was delivered by us. */
  dump() {
    /** @type {Record<string, number>} */
    const byKey = {};
    /** @type {Record<string, number>} */
    const byText = {};
    for (const m of this.data.messages) {
      if (m.via !== 'api') continue;
      if (m.idempotency_key) byKey[m.idempotency_key] = (byKey[m.idempotency_key] ?? 0) + 1;
      byText[m.body] = (byText[m.body] ?? 0) + 1;
    }
    const sent = this.data.messages.filter((m) => m.via === 'api');
    return {
      account: this.data.account,
      paired: this.data.paired,
      chats: Object.values(this.data.chats),
      messages: this.data.messages.map(({ media, ...rest }) => ({
        ...rest,
        serialized: serializedOf(rest),
        media: media ? { mimetype: media.mimetype, filename: media.filename, size: media.size, sha256: media.sha256 } : null,
      })),
      sent_count: sent.length,
      sent_times: sent.map((m) => m.timestamp),
      sent_times_ms: sent.map((m) => m.sent_at_ms ?? m.timestamp * 1000),
      delivered_by_idempotency_key: byKey,
      delivered_by_text: byText,
      duplicated_idempotency_keys: Object.keys(byKey).filter((k) => byKey[k] > 1),
      read_marks: this.data.read_marks,
    };
  }
}

/**
 * whatsapp-web.js style serialized id: `<fromMe>_<chat>_<id>[_<participant>]`.
 * @param {{from_me: boolean, chat_id: string, id: string, author: string|null}} m
 */
export function serializedOf(m) {
  const base = `${m.from_me}_${m.chat_id}_${m.id}`;
  return !m.from_me && m.author ? `${base}_${m.author}` : base;
}
