// Export files picked or dropped in the browser: checks, reading as base64, and the manager's own
// WhatsApp names (remembered on this computer until the core keeps them).
import type { ErrorCode } from "../../bindings/ErrorCode";
import type { ImportFile } from "../../bindings/ImportFile";

/** Largest export file accepted (200 MiB). */
export const MAX_IMPORT_FILE_BYTES = 200 * 1024 * 1024;

const OWN_NAMES_KEY = "tourdesk.import.ownNames";

/** Why a picked file is refused before reading (the codes the core gives such files), or null. */
export function fileProblem(file: { name: string; size: number }): ErrorCode | null {
  if (!/\.(txt|zip)$/i.test(file.name)) return "not_a_whatsapp_export";
  if (file.size > MAX_IMPORT_FILE_BYTES) return "import_too_large";
  return null;
}

/** The file's bytes as base64 (without the data-URL prefix). */
export function readImportFile(file: File): Promise<ImportFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.onload = () => {
      const url = String(reader.result ?? "");
      const comma = url.indexOf(",");
      resolve({ file_name: file.name, data_base64: comma >= 0 ? url.slice(comma + 1) : "" });
    };
    reader.readAsDataURL(file);
  });
}

/** "Anna, Tourdesk Bishkek,  anna " → ["Anna", "Tourdesk Bishkek"] (trimmed, no blanks, no repeats). */
export function parseOwnNames(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(",")) {
    const name = part.trim();
    const key = name.toLocaleLowerCase();
    if (name && !seen.has(key)) {
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}

/** The names given at the last import on this computer, as the field shows them. */
export function loadOwnNames(): string {
  try {
    return localStorage.getItem(OWN_NAMES_KEY) ?? "";
  } catch {
    return "";
  }
}

export function saveOwnNames(names: string[]): void {
  try {
    localStorage.setItem(OWN_NAMES_KEY, names.join(", "));
  } catch {
    // Storage can be unavailable; the names are typed again next time.
  }
}
