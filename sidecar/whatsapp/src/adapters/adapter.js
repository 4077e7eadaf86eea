// The one seam between the protocol and a WhatsApp client: both the real (whatsapp-web.js) and
// the fake adapter implement this shape. Only types live here.

/**
 * @typedef {import('../wa-ids.js').WireMessageId} WireMessageId
 */

/**
 * Media attached to a message, as sent to the host.
 * @typedef {object} WireMedia
 * @property {string|null} mimetype
 * @property {string|null} filename
 * @property {number|null} size       bytes, when known
 * @property {string|null} path       absolute file under the media dir, null when not downloaded
 * @property {string|null} error      why the bytes are missing (e.g. "download_failed"), else null
 */

/**
 * A message as the protocol carries it (events and fetch results).
 * @typedef {object} WireMessage
 * @property {WireMessageId} wa_id
 * @property {string} chat_id
 * @property {string|null} from
 * @property {string|null} to
 * @property {string|null} author        sender inside a group, else null
 * @property {boolean} from_me
 * @property {number} timestamp          unix seconds (WhatsApp's own time)
 * @property {string} type               WhatsApp type: chat, image, ptt, audio, video, document, sticker, location, vcard, revoked, …
 * @property {string} body               text, or the caption of media
 * @property {boolean} is_group
 * @property {string|null} notify_name   the sender's own push name, when WhatsApp gives one
 * @property {string|null} sender_phone  digits, when the sender id carries a phone number
 * @property {{id: string, stable: string|null, participant: string|null}|null} quoted
 * @property {WireMedia|null} media
 * @property {number|null} ack
 * @property {boolean} is_forwarded
 */

/**
 * What the session asks an adapter to send.
 * @typedef {object} SendRequest
 * @property {string|null} chatId
 * @property {string|null} phone        digits (already normalised) when no chat id was given
 * @property {string} text
 * @property {{path: string, mimetype: string, filename: string|null, asDocument: boolean}|null} media
 * @property {string|null} [idempotencyKey]  host's key; only the fake records it
 */

/**
 * @typedef {object} SendResult
 * @property {WireMessageId} wa_id
 * @property {string} chat_id
 * @property {number} timestamp
 */

/**
 * Context handed to every adapter.
 * @typedef {object} AdapterContext
 * @property {string} dataDir
 * @property {string} mediaDir
 * @property {Record<string, any>} options
 * @property {(event: Record<string, unknown>) => void} emit   writes one event line
 */

/**
 * @typedef {object} Adapter
 * @property {() => Promise<void>} start                   begin connecting; progress arrives as state events
 * @property {(phoneDigits: string) => Promise<string>} requestPairingCode
 * @property {(req: SendRequest) => Promise<SendResult>} sendMessage
 * @property {() => Promise<object[]>} getChats
 * @property {(chatId: string, since: number, limit: number, withMedia: boolean) => Promise<{messages: WireMessage[], truncated: boolean}>} fetchMessages
 * @property {(chatId: string, text: string, around: number, windowS: number) => Promise<{id: WireMessageId, ack: number|null}[]>} findSentMessages  our matching messages with their ack levels
 * @property {(chatId: string) => Promise<void>} markRead
 * @property {() => Promise<void>} logout                  clears the saved session
 * @property {() => Promise<void>} reconnect               drop the current client and connect anew
 * @property {() => Promise<void>} useHere                 state `conflict` only: take the session back from the other window
 * @property {() => Promise<void>} stop                    close the client and its browser
 * @property {() => void} killNow                          synchronous last resort at process exit
 * @property {(type: string, req: Record<string, any>) => Promise<unknown>} [handleFake]  `fake_*` requests
 */

export {};
