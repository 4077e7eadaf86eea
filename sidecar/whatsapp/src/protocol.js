// Wire format of the sidecar: one JSON object per line on stdin (requests) and stdout (replies
// and events). See docs/whatsapp-protocol.md for the full contract.

/** Protocol major version; bumped only for changes an old host cannot ignore. */
export const PROTOCOL_VERSION = 1;

/** Longest request line accepted (bytes); longer lines are rejected as `line_too_long`. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * Error codes and whether retrying the same request later can succeed.
 * `transient: false` means the host must not retry (permanent or a host bug).
 * @type {Record<string, {transient: boolean}>}
 */
export const ERROR_CODES = {
  // Protocol-level (host bugs): never retry as-is.
  bad_json: { transient: false },
  bad_request: { transient: false },
  line_too_long: { transient: false },
  unsupported_version: { transient: false },
  unknown_type: { transient: false },
  not_started: { transient: false },
  already_started: { transient: false },
  invalid_state: { transient: false },
  // Send / lookup outcomes.
  not_on_whatsapp: { transient: false },
  invalid_number: { transient: false },
  media_unreadable: { transient: false },
  chat_not_found: { transient: false },
  not_ready: { transient: true },
  timeout: { transient: true },
  network: { transient: true },
  busy: { transient: true },
  internal: { transient: true },
};

/** An error that becomes `{code, message, transient}` in a reply. */
export class SidecarError extends Error {
  /**
   * @param {keyof typeof ERROR_CODES} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * Converts any thrown value into the `error` object of a reply.
 * @param {unknown} err
 * @returns {{code: string, message: string, transient: boolean}}
 */
export function toWireError(err) {
  if (err instanceof SidecarError) {
    return { code: err.code, message: err.message, transient: ERROR_CODES[err.code]?.transient ?? true };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message, transient: true };
}

/**
 * Parses one input line into a request or a reason it is not one.
 * @param {string} line
 * @returns {{ok: true, request: {id: string|number, type: string, [k: string]: unknown}}
 *   | {ok: false, id: string|number|null, code: string, message: string}}
 */
export function parseRequest(line) {
  let value;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, id: null, code: 'bad_json', message: `line is not valid JSON: ${(/** @type {Error} */ (err)).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, id: null, code: 'bad_request', message: 'a request must be a JSON object' };
  }
  const id = typeof value.id === 'string' || (typeof value.id === 'number' && Number.isFinite(value.id)) ? value.id : null;
  if (id === null) {
    return { ok: false, id: null, code: 'bad_request', message: 'a request needs an "id" (string or number)' };
  }
  if (value.v !== PROTOCOL_VERSION) {
    return { ok: false, id, code: 'unsupported_version', message: `protocol version ${JSON.stringify(value.v)} is not supported; this sidecar speaks v=${PROTOCOL_VERSION}` };
  }
  if (typeof value.type !== 'string' || value.type === '') {
    return { ok: false, id, code: 'bad_request', message: 'a request needs a "type" string' };
  }
  return { ok: true, request: value };
}

/**
 * Serialises one outgoing object as a protocol line (with `v`).
 * @param {Record<string, unknown>} obj
 */
export function encodeLine(obj) {
  return JSON.stringify({ v: PROTOCOL_VERSION, ...obj }) + '\n';
}
