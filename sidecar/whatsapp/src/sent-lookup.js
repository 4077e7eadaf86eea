// Post-crash lookup of our own sent messages, shared by both adapters so they answer alike.

/**
 * Normalises message text for comparison: line endings and surrounding whitespace differ
 * between what the host queued and what WhatsApp stores.
 * @param {string|null|undefined} text
 */
export function normaliseText(text) {
  return (text ?? '').replace(/\r\n?/g, '\n').trim();
}

/**
 * @typedef {object} LookupCandidate
 * @property {boolean} fromMe
 * @property {string} body      text or media caption
 * @property {number} timestamp unix seconds
 */

/**
 * Keeps our own messages whose text equals `text` and whose time is within `windowS` seconds of
 * `around`; sorted oldest first.
 * @template {LookupCandidate} T
 * @param {T[]} messages
 * @param {string} text
 * @param {number} around
 * @param {number} windowS
 * @returns {T[]}
 */
export function matchOwnSent(messages, text, around, windowS) {
  const wanted = normaliseText(text);
  return messages
    .filter((m) => m.fromMe && normaliseText(m.body) === wanted && Math.abs(m.timestamp - around) <= windowS)
    .sort((a, b) => a.timestamp - b.timestamp);
}

/** How many of a chat's most recent messages a lookup examines (both adapters). */
export const LOOKUP_DEPTH = 200;
