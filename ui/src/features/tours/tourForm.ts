// The tour form as text fields, and its conversion to the core's TourInput.
import type { Difficulty } from "../../bindings/Difficulty";
import type { Tour } from "../../bindings/Tour";
import type { TourInput } from "../../bindings/TourInput";
import { currencyDigits, fromMinor, looksLikeCurrency, toMinor } from "../../lib/money";

export type TourForm = {
  title: string;
  description: string;
  price: string;
  currency: string;
  duration_days: string;
  season_months: number[];
  departures: string[];
  difficulty: Difficulty;
  group_min: string;
  group_max: string;
  tags: string;
  active: boolean;
};

export function emptyTourForm(): TourForm {
  return {
    title: "",
    description: "",
    price: "",
    currency: "USD",
    duration_days: "1",
    season_months: [],
    departures: [],
    difficulty: "easy",
    group_min: "1",
    group_max: "12",
    tags: "",
    active: true,
  };
}

export function tourToForm(t: Tour): TourForm {
  return {
    title: t.title,
    description: t.description,
    price: fromMinor(t.price_minor, t.currency),
    currency: t.currency,
    duration_days: String(t.duration_days),
    season_months: [...t.season_months],
    departures: [...t.departures],
    difficulty: t.difficulty,
    group_min: String(t.group_min),
    group_max: String(t.group_max),
    tags: t.tags.join(", "),
    active: t.active,
  };
}

/** Splits "a, b,,c " into ["a", "b", "c"]. */
export function parseTags(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const int = (s: string): number => {
  const n = Number(s.trim());
  return Number.isInteger(n) && n >= 0 ? n : -1;
};

export type TourFormProblem = { kind: "currency" } | { kind: "price"; digits: number };

/** The form as the core expects it, or the problem the UI explains before sending. */
export function tourFormToInput(f: TourForm): TourInput | TourFormProblem {
  const currency = f.currency.trim().toUpperCase();
  if (!looksLikeCurrency(currency)) return { kind: "currency" };
  const price = toMinor(f.price, currency);
  if (price === null) return { kind: "price", digits: currencyDigits(currency) };
  return {
    title: f.title,
    description: f.description,
    price_minor: price,
    currency,
    // Out-of-range numbers are sent as they are; the core answers with a precise error.
    duration_days: Math.max(0, int(f.duration_days)),
    season_months: [...f.season_months].sort((a, b) => a - b),
    departures: f.departures.filter((d) => d !== ""),
    difficulty: f.difficulty,
    group_min: Math.max(0, int(f.group_min)),
    group_max: Math.max(0, int(f.group_max)),
    tags: parseTags(f.tags),
    active: f.active,
  };
}

export function isProblem(x: TourInput | TourFormProblem): x is TourFormProblem {
  return "kind" in x;
}
