//! Extraction of the facts that must survive translation: numbers, dates, times, currencies.
//!
//! Handles Arabic-Indic digits, digit groups separated by spaces, commas, dots or apostrophes,
//! decimal commas, day+month names in the seven languages (either order, ranges such as
//! "15–22 мая"), numeric dates (15.05, 15.05.2025, 2025-05-15) and times (10:30, 10:30 pm).

use super::calendar::{month_of_two_words, month_of_word};
use super::currency::{currency_of_symbol, currency_of_word};
use super::lexer::{lex, normalise, Tok, Token};

/// A value that must read the same in the original and the translation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    /// A number in canonical form ("1200", "3.5").
    Number(String),
    /// A calendar date; the year only when written.
    Date {
        /// Day of the month.
        day: u8,
        /// Month, 1–12.
        month: u8,
        /// Year, when given.
        year: Option<u16>,
    },
    /// A time of day (24-hour).
    Time {
        /// Hour 0–23.
        hour: u8,
        /// Minute 0–59.
        minute: u8,
    },
    /// A currency next to an amount, as an ISO code.
    Currency(&'static str),
}

impl std::fmt::Display for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fact::Number(value) => f.write_str(value),
            Fact::Date {
                day,
                month,
                year: Some(year),
            } => write!(f, "{day:02}.{month:02}.{year}"),
            Fact::Date {
                day,
                month,
                year: None,
            } => write!(f, "{day:02}.{month:02}"),
            Fact::Time { hour, minute } => write!(f, "{hour:02}:{minute:02}"),
            Fact::Currency(code) => f.write_str(code),
        }
    }
}

/// Extracts the facts of a text; placeholders (⟦n⟧) are skipped.
pub fn extract_facts(text: &str) -> Vec<Fact> {
    let normalised = normalise(text);
    let tokens = lex(&normalised);
    facts_of(&tokens)
}

/// Ordinal endings that may follow a day number ("15th", "1er", "15-го").
const ORDINAL_SUFFIXES: [&str; 12] = [
    "st", "nd", "rd", "th", "er", "re", "e", "ème", "eme", "го", "ого", "е",
];

/// Words between a day and a month ("15 of May", "15 de mayo").
const LINKING_WORDS: [&str; 4] = ["of", "de", "du", "del"];

/// Walks the tokens and collects facts.
fn facts_of(tokens: &[Token]) -> Vec<Fact> {
    let mut facts = Vec::new();
    let mut i = 0;
    // Each step advances `i` by at least one.
    while i < tokens.len() {
        match &tokens[i].tok {
            Tok::Date(fact) | Tok::Time(fact) => {
                facts.push(fact.clone());
                i += 1;
            }
            Tok::Num { canonical, .. } => {
                if let Some((dates, next)) = day_first(tokens, i) {
                    facts.extend(dates);
                    i = next;
                } else {
                    facts.push(Fact::Number(canonical.clone()));
                    i += 1;
                }
            }
            Tok::Word(_) => {
                if let Some((dates, next)) = month_first(tokens, i) {
                    facts.extend(dates);
                    i = next;
                    continue;
                }
                push_currency(tokens, i, &mut facts);
                i += 1;
            }
            Tok::Sym(_) => {
                push_currency(tokens, i, &mut facts);
                i += 1;
            }
        }
    }
    facts
}

/// Adds a currency fact when token `i` is a currency right next to a number.
fn push_currency(tokens: &[Token], i: usize, facts: &mut Vec<Fact>) {
    let code = match &tokens[i].tok {
        Tok::Sym(c) => currency_of_symbol(*c),
        Tok::Word(w) => currency_of_word(w),
        _ => None,
    };
    let Some(code) = code else { return };
    let is_amount = |j: Option<usize>| {
        j.and_then(|j| tokens.get(j))
            .is_some_and(|t| matches!(t.tok, Tok::Num { .. }))
    };
    if is_amount(i.checked_sub(1)) || is_amount(Some(i + 1)) {
        facts.push(Fact::Currency(code));
    }
}

/// A plain day number (1–31) at `i`.
fn day_at(tokens: &[Token], i: usize) -> Option<u8> {
    match tokens.get(i).map(|t| &t.tok) {
        Some(Tok::Num {
            small: Some(day), ..
        }) if (1..=31).contains(day) => Some(*day as u8),
        _ => None,
    }
}

/// A dash at `i`.
fn dash_at(tokens: &[Token], i: usize) -> bool {
    matches!(
        tokens.get(i).map(|t| &t.tok),
        Some(Tok::Sym('-' | '–' | '—'))
    )
}

/// Skips an ordinal ending glued to the day (optionally after a hyphen); returns the new index.
fn skip_ordinal(tokens: &[Token], i: usize) -> usize {
    let glued_word = |j: usize| match tokens.get(j) {
        Some(Token {
            tok: Tok::Word(w),
            spaced: false,
        }) => ORDINAL_SUFFIXES.contains(&w.as_str()),
        _ => false,
    };
    if glued_word(i) {
        i + 1
    } else if dash_at(tokens, i) && !tokens.get(i).is_some_and(|t| t.spaced) && glued_word(i + 1) {
        i + 2
    } else {
        i
    }
}

/// The month named at `i` and how many tokens it takes.
fn month_at(tokens: &[Token], i: usize) -> Option<(u8, usize)> {
    let Some(Tok::Word(word)) = tokens.get(i).map(|t| &t.tok) else {
        return None;
    };
    if let Some(Tok::Word(next)) = tokens.get(i + 1).map(|t| &t.tok) {
        if let Some(month) = month_of_two_words(word, next) {
            return Some((month, 2));
        }
    }
    month_of_word(word).map(|m| (m, 1))
}

/// An optional year (after an optional comma or "de") at `i`; returns it and the new index.
fn year_at(tokens: &[Token], i: usize) -> (Option<u16>, usize) {
    let mut j = i;
    let joins_year = |tok: Option<&Tok>| match tok {
        Some(Tok::Sym(',')) => true,
        Some(Tok::Word(w)) => w == "de" || w == "del",
        _ => false,
    };
    if joins_year(tokens.get(j).map(|t| &t.tok)) {
        j += 1;
    }
    match tokens.get(j).map(|t| &t.tok) {
        Some(Tok::Num {
            small: Some(year), ..
        }) if (1900..=2200).contains(year) => (Some(*year), j + 1),
        _ => (None, i),
    }
}

/// "15 мая", "15. Mai", "15th of May", "15 de mayo de 2025", "15–22 мая", "15 مايو".
fn day_first(tokens: &[Token], i: usize) -> Option<(Vec<Fact>, usize)> {
    let first = day_at(tokens, i)?;
    let mut days = vec![first];
    let mut j = skip_ordinal(tokens, i + 1);
    if dash_at(tokens, j) {
        if let Some(second) = day_at(tokens, j + 1) {
            days.push(second);
            j = skip_ordinal(tokens, j + 2);
        }
    }
    if matches!(tokens.get(j).map(|t| &t.tok), Some(Tok::Sym('.'))) {
        j += 1;
    }
    if matches!(tokens.get(j).map(|t| &t.tok), Some(Tok::Word(w)) if LINKING_WORDS.contains(&w.as_str()))
    {
        j += 1;
    }
    let (month, taken) = month_at(tokens, j)?;
    let (year, next) = year_at(tokens, j + taken);
    let dates = days
        .into_iter()
        .map(|day| Fact::Date { day, month, year })
        .collect();
    Some((dates, next))
}

/// "May 15", "May 15th, 2025", "May 15–22".
fn month_first(tokens: &[Token], i: usize) -> Option<(Vec<Fact>, usize)> {
    let (month, taken) = month_at(tokens, i)?;
    let mut j = i + taken;
    if matches!(tokens.get(j).map(|t| &t.tok), Some(Tok::Sym('.'))) {
        j += 1;
    }
    let first = day_at(tokens, j)?;
    let mut days = vec![first];
    j = skip_ordinal(tokens, j + 1);
    if dash_at(tokens, j) {
        if let Some(second) = day_at(tokens, j + 1) {
            days.push(second);
            j = skip_ordinal(tokens, j + 2);
        }
    }
    let (year, next) = year_at(tokens, j);
    let dates = days
        .into_iter()
        .map(|day| Fact::Date { day, month, year })
        .collect();
    Some((dates, next))
}

#[cfg(test)]
mod tests {
    use super::{extract_facts, Fact};

    fn num(value: &str) -> Fact {
        Fact::Number(value.to_owned())
    }

    fn date(day: u8, month: u8, year: Option<u16>) -> Fact {
        Fact::Date { day, month, year }
    }

    #[test]
    fn digit_groups_with_spaces_commas_dots_and_apostrophes_read_the_same() {
        for text in ["1 200", "1,200", "1.200", "1'200", "1\u{202F}200", "١٢٠٠"] {
            assert_eq!(extract_facts(text), vec![num("1200")], "{text}");
        }
        assert_eq!(extract_facts("1 200,50"), vec![num("1200.5")]);
        assert_eq!(extract_facts("1,200.50"), vec![num("1200.5")]);
        assert_eq!(extract_facts("3,5 часа"), vec![num("3.5")]);
    }

    #[test]
    fn prices_yield_the_amount_and_the_currency_in_either_order() {
        let expected = vec![num("1200"), Fact::Currency("USD")];
        assert_eq!(extract_facts("1 200 $"), expected);
        assert_eq!(extract_facts("1 200 долларов"), expected);
        let mut swapped = extract_facts("$1,200");
        swapped.sort();
        let mut sorted = expected.clone();
        sorted.sort();
        assert_eq!(swapped, sorted);
    }

    #[test]
    fn day_and_month_names_are_read_in_all_seven_languages() {
        let cases = [
            "15 мая",
            "15 May",
            "May 15th",
            "le 15 mai",
            "am 15. Mai",
            "el 15 de mayo",
            "15 maja",
            "15 مايو",
            "١٥ أيار",
        ];
        for text in cases {
            assert_eq!(extract_facts(text), vec![date(15, 5, None)], "{text}");
        }
    }

    #[test]
    fn years_ranges_and_numeric_dates_are_read() {
        assert_eq!(
            extract_facts("15 de mayo de 2025"),
            vec![date(15, 5, Some(2025))]
        );
        assert_eq!(extract_facts("May 15, 2025"), vec![date(15, 5, Some(2025))]);
        assert_eq!(
            extract_facts("15–22 мая"),
            vec![date(15, 5, None), date(22, 5, None)]
        );
        assert_eq!(extract_facts("15.05.2025"), vec![date(15, 5, Some(2025))]);
        assert_eq!(extract_facts("2025-05-15"), vec![date(15, 5, Some(2025))]);
        assert_eq!(extract_facts("с 15.05"), vec![date(15, 5, None)]);
        assert_eq!(extract_facts("15 تشرين الأول"), vec![date(15, 10, None)]);
    }

    #[test]
    fn times_read_the_same_in_twelve_and_twenty_four_hour_form() {
        assert_eq!(extract_facts("в 22:30"), extract_facts("at 10:30 pm"));
    }

    #[test]
    fn a_price_with_a_decimal_point_is_not_taken_for_a_date() {
        assert_eq!(
            extract_facts("10.05 €"),
            vec![num("10.05"), Fact::Currency("EUR")]
        );
    }

    #[test]
    fn placeholders_contribute_no_numbers() {
        assert_eq!(extract_facts("⟦1⟧ и ⟦12⟧ за 5"), vec![num("5")]);
    }

    #[test]
    fn prices_are_read_the_way_each_language_writes_them() {
        let cases = [
            ("1 200 €", "EUR"),
            ("1.200 €", "EUR"),
            ("€1,200", "EUR"),
            ("1 200 zł", "PLN"),
            ("1200 دولار", "USD"),
            ("USD 1200", "USD"),
            ("1 200 евро", "EUR"),
            ("1.200 euros", "EUR"),
        ];
        for (text, currency) in cases {
            let mut facts = extract_facts(text);
            facts.sort();
            assert_eq!(facts, vec![num("1200"), Fact::Currency(currency)], "{text}");
        }
    }

    #[test]
    fn ordinals_and_german_day_dots_still_read_as_dates() {
        assert_eq!(extract_facts("le 1er mai"), vec![date(1, 5, None)]);
        assert_eq!(extract_facts("15-го мая"), vec![date(15, 5, None)]);
        assert_eq!(extract_facts("am 15.05."), vec![date(15, 5, None)]);
        assert_eq!(
            extract_facts("3rd of June 2026"),
            vec![date(3, 6, Some(2026))]
        );
    }

    #[test]
    fn counts_next_to_words_that_are_not_months_stay_numbers() {
        assert_eq!(
            extract_facts("2 взрослых и 1 ребёнок"),
            vec![num("2"), num("1")]
        );
        assert_eq!(extract_facts("in 2025"), vec![num("2025")]);
    }
}
