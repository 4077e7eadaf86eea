// Prices: the core stores integer minor units (cents); people type decimals in major units.
// The number of minor digits depends on the ISO-4217 currency.

/** Currencies without minor units. */
const ZERO_DIGITS = new Set([
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
  "XAF", "XOF", "XPF",
]);

/** Currencies with three minor digits. */
const THREE_DIGITS = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

/** Minor-unit digits of a currency code (2 unless the code is known to differ). */
export function currencyDigits(currency: string): number {
  const code = currency.trim().toUpperCase();
  if (ZERO_DIGITS.has(code)) return 0;
  if (THREE_DIGITS.has(code)) return 3;
  return 2;
}

/** True for a three-letter code (the core checks it against the ISO list). */
export function looksLikeCurrency(currency: string): boolean {
  return /^[A-Za-z]{3}$/.test(currency.trim());
}

/**
 * Parses a typed price ("1250.5", "1 250,50") into minor units of `currency`.
 * Returns null for anything that is not a non-negative number with at most the
 * currency's minor digits. Works on the digits as text, so no float rounding happens.
 */
export function toMinor(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const cleaned = text.replace(/[\s\u00a0\u202f']/g, "").replace(",", ".");
  const m = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!m) return null;
  const whole = m[1];
  const frac = m[2] ?? "";
  if (frac.length > digits) return null;
  const minorText = (whole + frac.padEnd(digits, "0")).replace(/^0+(?=\d)/, "");
  const value = Number(minorText);
  if (!Number.isSafeInteger(value)) return null;
  return value;
}

/** Minor units back to the decimal text a person would type (no grouping). */
export function fromMinor(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const negative = minor < 0;
  const abs = String(Math.abs(Math.trunc(minor)));
  if (digits === 0) return (negative ? "-" : "") + abs;
  const padded = abs.padStart(digits + 1, "0");
  const whole = padded.slice(0, padded.length - digits);
  const frac = padded.slice(padded.length - digits);
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

/** A price for display in the UI locale, e.g. "1 250,50 $" or "$1,250.50". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const major = Number(fromMinor(minor, currency));
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major);
  } catch {
    return `${fromMinor(minor, currency)} ${currency}`;
  }
}
