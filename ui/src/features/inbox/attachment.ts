// Reading a picked file into the base64 attachment the core expects.
import type { Attachment } from "../../bindings/Attachment";

/** WhatsApp's own limit for a file. */
export const MAX_ATTACHMENT_BYTES = 32 * 1024 * 1024;

/** Whether a file of `bytes` can be attached. */
export function attachmentFits(bytes: number): boolean {
  return bytes <= MAX_ATTACHMENT_BYTES;
}

/** The file as an Attachment (base64 without the data-URL prefix). */
export function readAttachment(file: File): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.onload = () => {
      const url = String(reader.result ?? "");
      const comma = url.indexOf(",");
      resolve({ file_name: file.name, mime: file.type, data_base64: comma >= 0 ? url.slice(comma + 1) : "" });
    };
    reader.readAsDataURL(file);
  });
}
