// WhatsApp identifiers: the stable message id the host dedupes on, and phone/chat id handling.

import { SidecarError } from './protocol.js';

/**
 * A message id as the protocol carries it. `stable` is "account:fromMe(1 or 0):id.id" and does
 * not change when the chat id switches between @c.us and @lid: it is the host's unique key.
 * @typedef {object} WireMessageId
 * @property {string} stable      the host's dedupe key
 * @property {string} serialized  whatsapp-web.js `_serialized` (embeds the chat id)
 * @property {string} account     our own WhatsApp user (digits of the paired phone)
 * @property {boolean} from_me    written by our account
 * @property {string} id          WhatsApp's `id.id`
 */

/**
 * Builds the stable part of a message id.
 * @param {string} account
 * @param {boolean} fromMe
 * @param {string} idPart
 */
export function stableId(account, fromMe, idPart) {
  return `${account}:${fromMe ? 1 : 0}:${idPart}`;
}

/**
 * Builds the protocol id object from its parts.
 * @param {string} account
 * @param {boolean} fromMe
 * @param {string} idPart
 * @param {string} serialized
 * @returns {WireMessageId}
 */
export function wireId(account, fromMe, idPart, serialized) {
  return { stable: stableId(account, fromMe, idPart), serialized, account, from_me: fromMe, id: idPart };
}

/**
 * Normalises a phone number written by a human ("+7 (916) 123-45-67") to digits, or throws
 * `invalid_number`. E.164 allows at most 15 digits; fewer than 7 is no real subscriber number.
 * @param {unknown} phone
 */
export function phoneDigits(phone) {
  if (typeof phone !== 'string' && typeof phone !== 'number') {
    throw new SidecarError('invalid_number', 'phone number must be a string');
  }
  const raw = String(phone).trim();
  if (!/^\+?[\d\s().-]+$/.test(raw)) {
    throw new SidecarError('invalid_number', `"${raw}" is not a phone number`);
  }
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15 || digits.startsWith('0')) {
    throw new SidecarError('invalid_number', `"${raw}" is not an international phone number (country code first, 7-15 digits)`);
  }
  return digits;
}

/** @param {string} chatId */
export function isGroupChat(chatId) {
  return chatId.endsWith('@g.us');
}

/**
 * The phone number hidden in a user id, if it has one (`@c.us` ids do, `@lid` ids do not).
 * @param {string|null|undefined} userId
 * @returns {string|null}
 */
export function phoneOfUserId(userId) {
  if (!userId) return null;
  const m = /^(\d+)@c\.us$/.exec(userId);
  return m ? m[1] : null;
}

/**
 * Validates a chat id given by the host.
 * @param {unknown} chatId
 */
export function checkChatId(chatId) {
  if (typeof chatId !== 'string' || !/^[^@\s]+@(c\.us|lid|g\.us|broadcast|newsletter)$/.test(chatId)) {
    throw new SidecarError('bad_request', `"${String(chatId)}" is not a WhatsApp chat id (…@c.us, …@lid, …@g.us)`);
  }
  return chatId;
}
