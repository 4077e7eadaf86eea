//! The checker run in code after the model: every placeholder back exactly once, and the same
//! numbers, dates, times and currencies on both sides. Mismatches become flags, never silence.

use std::sync::LazyLock;

use regex::Regex;

use super::facts::{extract_facts, Fact};
use super::protect::{restore, ProtectedText, ProtectedToken, Protector};

/// One problem found in a translation, shown in the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckFlag {
    /// A protected token (tour name, link, e-mail, phone, emoji) is missing.
    TokenMissing {
        /// The token that did not come back.
        token: ProtectedToken,
    },
    /// A protected token came back more than once.
    TokenRepeated {
        /// The repeated token.
        token: ProtectedToken,
        /// How often it appears.
        count: usize,
    },
    /// The model invented a placeholder that was never sent.
    UnknownPlaceholder {
        /// The placeholder text, e.g. `⟦7⟧`.
        placeholder: String,
    },
    /// A number, date, time or currency of the original is missing or changed.
    FactMissing {
        /// The original's value.
        fact: Fact,
    },
    /// The translation has a number, date, time or currency the original does not.
    FactAdded {
        /// The translation's value.
        fact: Fact,
    },
}

impl CheckFlag {
    /// A stable snake_case code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            CheckFlag::TokenMissing { .. } => "token_missing",
            CheckFlag::TokenRepeated { .. } => "token_repeated",
            CheckFlag::UnknownPlaceholder { .. } => "unknown_placeholder",
            CheckFlag::FactMissing { .. } => "fact_missing",
            CheckFlag::FactAdded { .. } => "fact_added",
        }
    }
}

impl std::fmt::Display for CheckFlag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckFlag::TokenMissing { token } => {
                write!(f, "{} \"{}\" is missing", token.kind.code(), token.original)
            }
            CheckFlag::TokenRepeated { token, count } => {
                write!(
                    f,
                    "{} \"{}\" appears {count} times",
                    token.kind.code(),
                    token.original
                )
            }
            CheckFlag::UnknownPlaceholder { placeholder } => {
                write!(f, "unknown placeholder {placeholder}")
            }
            CheckFlag::FactMissing { fact } => {
                write!(f, "{fact} of the original is missing or changed")
            }
            CheckFlag::FactAdded { fact } => write!(f, "{fact} is not in the original"),
        }
    }
}

/// Any placeholder-looking text in a model reply.
static PLACEHOLDER: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"⟦[^⟧\s]{0,16}⟧").ok());

/// Restores the model's protected translation and checks it against the protected source.
/// Returns the final text and the flags (empty when everything survived).
pub fn finish_translation(source: &ProtectedText, translated: &str) -> (String, Vec<CheckFlag>) {
    let mut flags = check_placeholders(source, translated);
    flags.extend(compare_facts(
        &extract_facts(&source.text),
        &extract_facts(translated),
    ));
    (restore(translated, &source.tokens), flags)
}

/// Checks a translation the manager edited by hand against the original, both unprotected.
pub fn check_edited(source: &str, edited: &str, protector: &Protector) -> Vec<CheckFlag> {
    let protected = protector.protect(source);
    let mut flags = Vec::new();
    let mut blanked = edited.to_owned();
    for token in &protected.tokens {
        let count = edited.matches(token.original.as_str()).count();
        match count {
            0 => flags.push(CheckFlag::TokenMissing {
                token: token.clone(),
            }),
            1 => {}
            _ if protected
                .tokens
                .iter()
                .filter(|t| t.original == token.original)
                .count()
                < count =>
            {
                flags.push(CheckFlag::TokenRepeated {
                    token: token.clone(),
                    count,
                });
            }
            _ => {}
        }
        blanked = blanked.replace(token.original.as_str(), " ");
    }
    flags.dedup();
    flags.extend(compare_facts(
        &extract_facts(&protected.text),
        &extract_facts(&blanked),
    ));
    flags
}

/// Every sent placeholder exactly once, and no invented ones.
fn check_placeholders(source: &ProtectedText, translated: &str) -> Vec<CheckFlag> {
    let mut flags = Vec::new();
    let found: Vec<&str> = PLACEHOLDER
        .as_ref()
        .map(|r| r.find_iter(translated).map(|m| m.as_str()).collect())
        .unwrap_or_default();
    for token in &source.tokens {
        match found.iter().filter(|p| **p == token.placeholder).count() {
            1 => {}
            0 => flags.push(CheckFlag::TokenMissing {
                token: token.clone(),
            }),
            count => flags.push(CheckFlag::TokenRepeated {
                token: token.clone(),
                count,
            }),
        }
    }
    for placeholder in found {
        if !source.tokens.iter().any(|t| t.placeholder == placeholder) {
            flags.push(CheckFlag::UnknownPlaceholder {
                placeholder: placeholder.to_owned(),
            });
        }
    }
    flags
}

/// Same day and month, and the same year when both sides give one.
fn same_date(a: &Fact, b: &Fact) -> bool {
    match (a, b) {
        (
            Fact::Date {
                day: d1,
                month: m1,
                year: y1,
            },
            Fact::Date {
                day: d2,
                month: m2,
                year: y2,
            },
        ) => d1 == d2 && m1 == m2 && (y1.is_none() || y2.is_none() || y1 == y2),
        _ => false,
    }
}

/// One side's facts with a matched mark each.
struct Side {
    facts: Vec<Fact>,
    matched: Vec<bool>,
}

impl Side {
    fn new(facts: Vec<Fact>) -> Self {
        let matched = vec![false; facts.len()];
        Self { facts, matched }
    }

    /// Months mentioned by any date on this side.
    fn months(&self) -> Vec<u8> {
        self.facts
            .iter()
            .filter_map(|f| {
                if let Fact::Date { month, .. } = f {
                    Some(*month)
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Pairs equal facts; what is left over is flagged. Dates that differ only in layout
/// ("from May 15 to 22" vs "с 15 по 22 мая") are reconciled through their day numbers.
pub fn compare_facts(source: &[Fact], translated: &[Fact]) -> Vec<CheckFlag> {
    let mut src = Side::new(source.to_vec());
    let mut dst = Side::new(translated.to_vec());

    // 1. Whole dates.
    pair(&mut src, &mut dst, same_date);
    // 2. Numbers, times and currencies (currencies as a set: "$100 and $200" vs "100 and 200 USD").
    pair(&mut src, &mut dst, |a, b| {
        a == b && !matches!(a, Fact::Date { .. })
    });
    for side in [&mut src, &mut dst] {
        let (facts, matched) = (&side.facts, &mut side.matched);
        for (i, fact) in facts.iter().enumerate() {
            if matches!(fact, Fact::Currency(_))
                && !matched[i]
                && facts
                    .iter()
                    .enumerate()
                    .any(|(j, f)| j != i && f == fact && matched[j])
            {
                matched[i] = true;
            }
        }
    }
    // 3. Leftover dates against leftover bare day numbers on the other side, when the other
    //    side names the same month somewhere.
    reconcile_dates(&mut src, &mut dst);
    reconcile_dates(&mut dst, &mut src);

    let mut flags = Vec::new();
    for (fact, matched) in src.facts.iter().zip(&src.matched) {
        if !matched {
            flags.push(CheckFlag::FactMissing { fact: fact.clone() });
        }
    }
    for (fact, matched) in dst.facts.iter().zip(&dst.matched) {
        if !matched {
            flags.push(CheckFlag::FactAdded { fact: fact.clone() });
        }
    }
    flags
}

/// Greedily pairs unmatched facts of both sides that satisfy `same`.
fn pair(src: &mut Side, dst: &mut Side, same: impl Fn(&Fact, &Fact) -> bool) {
    for i in 0..src.facts.len() {
        if src.matched[i] {
            continue;
        }
        if let Some(j) =
            (0..dst.facts.len()).find(|&j| !dst.matched[j] && same(&src.facts[i], &dst.facts[j]))
        {
            src.matched[i] = true;
            dst.matched[j] = true;
        }
    }
}

/// Matches each unmatched date of `a` with an unmatched bare number equal to its day on `b`,
/// provided `b` mentions that month in one of its dates.
fn reconcile_dates(a: &mut Side, b: &mut Side) {
    let months = b.months();
    for i in 0..a.facts.len() {
        let Fact::Date { day, month, year } = a.facts[i] else {
            continue;
        };
        if a.matched[i] || !months.contains(&month) {
            continue;
        }
        let Some(j) = unmatched_number(b, day.into()) else {
            continue;
        };
        a.matched[i] = true;
        b.matched[j] = true;
        // "22 мая 2025" against "May 15 to 22, 2025": the year stands alone on the other side.
        if let Some(k) = year.and_then(|y| unmatched_number(b, y)) {
            b.matched[k] = true;
        }
    }
}

/// The index of an unmatched bare number with this value.
fn unmatched_number(side: &Side, value: u16) -> Option<usize> {
    let text = value.to_string();
    (0..side.facts.len())
        .find(|&j| !side.matched[j] && matches!(&side.facts[j], Fact::Number(n) if *n == text))
}

#[cfg(test)]
mod tests {
    use super::{check_edited, finish_translation, CheckFlag};
    use crate::translate::facts::Fact;
    use crate::translate::Protector;

    fn flags_between(source: &str, translated: &str) -> Vec<CheckFlag> {
        let protected = Protector::new::<&str>(&[]).protect(source);
        finish_translation(&protected, translated).1
    }

    #[test]
    fn a_faithful_translation_with_reformatted_values_raises_no_flag() {
        assert_eq!(
            flags_between(
                "Вылет 15 мая, цена 1 200 $ на двоих",
                "Departure on May 15, price $1,200 for two"
            ),
            vec![]
        );
        assert_eq!(flags_between("с 15 по 22 мая", "from May 15 to 22"), vec![]);
        assert_eq!(
            flags_between("с 15 по 22 мая 2025", "from May 15 to 22, 2025"),
            vec![]
        );
        assert_eq!(
            flags_between(
                "с 15.05 по 22.05 в 10:30",
                "from 15 May to 22 May at 10:30 am"
            ),
            vec![]
        );
    }

    #[test]
    fn a_changed_day_is_flagged_as_missing_and_added() {
        let flags = flags_between("Вылет 15 мая", "Departure on 16 May");
        assert!(
            flags.contains(&CheckFlag::FactMissing {
                fact: Fact::Date {
                    day: 15,
                    month: 5,
                    year: None
                }
            }),
            "{flags:?}"
        );
        assert!(
            flags.contains(&CheckFlag::FactAdded {
                fact: Fact::Date {
                    day: 16,
                    month: 5,
                    year: None
                }
            }),
            "{flags:?}"
        );
    }

    #[test]
    fn a_changed_price_or_currency_is_flagged() {
        assert!(!flags_between("1 200 $", "$1,300").is_empty());
        assert!(!flags_between("1 200 $", "1,200 €").is_empty());
    }

    #[test]
    fn lost_duplicated_and_invented_placeholders_are_flagged() {
        let protected =
            Protector::new(&["Golden Ring"]).protect("Golden Ring 🌴 https://x.example/a");
        let (_, flags) = finish_translation(&protected, "⟦1⟧ ⟦1⟧ ⟦9⟧");
        let codes: Vec<&str> = flags.iter().map(CheckFlag::code).collect();
        assert_eq!(
            codes,
            vec![
                "token_repeated",
                "token_missing",
                "token_missing",
                "unknown_placeholder"
            ]
        );
    }

    #[test]
    fn a_hand_edited_translation_is_checked_against_the_original() {
        let protector = Protector::new(&["Golden Ring"]);
        let source = "Golden Ring, 15 мая, 1 200 $ 🌴";
        assert_eq!(
            check_edited(source, "Golden Ring, May 15, $1,200 🌴", &protector),
            vec![]
        );
        let flags = check_edited(source, "Golden Ring, May 16, $1,200", &protector);
        let codes: Vec<&str> = flags.iter().map(CheckFlag::code).collect();
        assert_eq!(
            codes,
            vec!["token_missing", "fact_missing", "fact_added"],
            "{flags:?}"
        );
    }
}
