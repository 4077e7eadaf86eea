// Dates and times in the manager's locale; the client's local time from an IANA zone.

/** The Intl locale for a UI language. */
export function localeFor(lang: string): string {
  return lang === "en" ? "en-GB" : "ru-RU";
}

/** Date and time, short, in the manager's zone ("25.11.2026, 14:05"). */
export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeFor(lang), { dateStyle: "short", timeStyle: "short" }).format(d);
}

/** Time only when today, else the short date ("14:05" or "23.11.2026"). */
export function formatWhenCompact(iso: string, lang: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay =
    d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  const opts: Intl.DateTimeFormatOptions = sameDay ? { timeStyle: "short" } : { dateStyle: "short" };
  return new Intl.DateTimeFormat(localeFor(lang), opts).format(d);
}

/** The wall-clock time in `timeZone` ("14:05"), or null when the zone is unknown to the browser. */
export function localTimeIn(timeZone: string, lang: string, now: Date = new Date()): string | null {
  try {
    return new Intl.DateTimeFormat(localeFor(lang), {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(now);
  } catch {
    return null;
  }
}

/** Bytes in KB/MB with one decimal. */
export function formatBytes(bytes: number, lang: string): string {
  const units = lang === "en" ? ["B", "KB", "MB", "GB"] : ["Б", "КБ", "МБ", "ГБ"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  const n = new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v);
  return `${n} ${units[i]}`;
}

/** Time of day in the manager's zone ("14:05"). */
export function formatTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeFor(lang), { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
}

/** The calendar day in the manager's zone ("25 November 2026"), for day separators. */
export function formatDay(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeFor(lang), { dateStyle: "long" }).format(d);
}
