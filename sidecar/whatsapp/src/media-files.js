// Saving media bytes of messages under the media dir given by the host.

import fs from 'node:fs';
import path from 'node:path';

const EXT_BY_MIME = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'video/mp4': '.mp4',
  'audio/ogg': '.ogg',
  'audio/mpeg': '.mp3',
  'audio/mp4': '.m4a',
  'application/pdf': '.pdf',
};

/**
 * Picks a file extension from the original file name or the mime type.
 * @param {string|null|undefined} mimetype
 * @param {string|null|undefined} filename
 */
function extensionFor(mimetype, filename) {
  const fromName = filename ? path.extname(filename).toLowerCase() : '';
  if (/^\.[a-z0-9]{1,8}$/.test(fromName)) return fromName;
  const base = (mimetype ?? '').split(';')[0].trim().toLowerCase();
  return /** @type {Record<string,string>} */ (EXT_BY_MIME)[base] ?? '.bin';
}

/**
 * Writes media bytes to `<mediaDir>/<stable id>.<ext>` atomically and returns the path.
 * Writing the same message twice overwrites the same file, so backfill never duplicates.
 * @param {string} mediaDir
 * @param {string} stable  stable message id (used as the file name, sanitised)
 * @param {Buffer} bytes
 * @param {string|null|undefined} mimetype
 * @param {string|null|undefined} filename
 */
export function saveMedia(mediaDir, stable, bytes, mimetype, filename) {
  fs.mkdirSync(mediaDir, { recursive: true });
  const safe = stable.replace(/[^A-Za-z0-9_-]/g, '_');
  const target = path.join(mediaDir, safe + extensionFor(mimetype, filename));
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, target);
  return target;
}
