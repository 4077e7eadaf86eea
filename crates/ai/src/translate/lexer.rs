//! The lexer of the fact checker: normalises a text (Arabic-Indic digits, spaces, case,
//! placeholders) and splits it into numbers, words, symbols, numeric dates and times.

use std::sync::LazyLock;

use regex::Regex;

use super::currency::{currency_of_symbol, currency_of_word};
use super::facts::Fact;
use super::protect::{PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN};

/// A lexical token of the normalised text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A number; `small` is its value when it is a plain integer below 10 000.
    Num {
        canonical: String,
        small: Option<u16>,
    },
    /// A lower-case word.
    Word(String),
    /// Any other visible character.
    Sym(char),
    /// A numeric date.
    Date(Fact),
    /// A time of day.
    Time(Fact),
}

/// A token and whether whitespace preceded it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) spaced: bool,
}

/// `2025-05-15`.
static ISO_DATE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})").ok());
/// `15.05.2025`, `15/05/25`, `15-05-2025`.
static DMY_DATE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})([./-])(\d{1,2})[./-](\d{4}|\d{2})").ok());
/// `15.05` (day and two-digit month).
static DM_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^(\d{1,2})\.(\d{2})").ok());
/// `10:30`.
static TIME: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^(\d{1,2}):(\d{2})").ok());

/// Lower-cases, maps Arabic-Indic digits and separators to ASCII, unifies spaces and blanks
/// placeholders.
pub(crate) fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_placeholder = false;
    for c in text.chars() {
        if in_placeholder {
            if c == PLACEHOLDER_CLOSE {
                in_placeholder = false;
            }
            continue;
        }
        match c {
            PLACEHOLDER_OPEN => {
                in_placeholder = true;
                out.push(' ');
            }
            '٠'..='٩' => out.push(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
            '۰'..='۹' => out.push(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
            '٫' => out.push('.'),
            '٬' => out.push(','),
            '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}' => out.push(' '),
            c if c.is_whitespace() => out.push(' '),
            c if c.is_uppercase() => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    out
}

/// True for characters that continue a word (letters and Arabic marks).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphabetic()
        || ('\u{064B}'..='\u{065F}').contains(&c)
        || c == '\u{0670}'
        || c == '\u{0640}'
}

/// Splits the normalised text into tokens.
pub(crate) fn lex(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut pos = 0;
    let mut spaced = true;
    // Each iteration consumes at least one character, so the loop is bounded by the length.
    while let Some(c) = text[pos..].chars().next() {
        if c == ' ' {
            spaced = true;
            pos += 1;
            continue;
        }
        let (tok, len) = if c.is_ascii_digit() {
            lex_numeric(text, pos, tokens.last())
        } else if is_word_char(c) {
            let len: usize = text[pos..]
                .chars()
                .take_while(|&c| is_word_char(c))
                .map(char::len_utf8)
                .sum();
            (Tok::Word(text[pos..pos + len].to_owned()), len)
        } else {
            (Tok::Sym(c), c.len_utf8())
        };
        tokens.push(Token { tok, spaced });
        spaced = false;
        pos += len.max(1);
    }
    tokens
}

/// Lexes a date, time or number starting at `pos`; returns the token and its byte length.
fn lex_numeric(text: &str, pos: usize, previous: Option<&Token>) -> (Tok, usize) {
    let rest = &text[pos..];
    let next_is_digit = |len: usize| {
        rest[len..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    };
    let number = |m: &regex::Captures<'_>, i: usize| {
        m.get(i)
            .and_then(|g| g.as_str().parse::<u16>().ok())
            .unwrap_or(0)
    };

    if let Some(m) = ISO_DATE.as_ref().and_then(|r| r.captures(rest)) {
        let len = m.get(0).map_or(0, |g| g.end());
        if let Some(date) =
            date(number(&m, 3), number(&m, 2), Some(number(&m, 1))).filter(|_| !next_is_digit(len))
        {
            return (Tok::Date(date), len);
        }
    }
    if let Some(m) = DMY_DATE.as_ref().and_then(|r| r.captures(rest)) {
        let len = m.get(0).map_or(0, |g| g.end());
        let year = number(&m, 4);
        let year = if year < 100 { 2000 + year } else { year };
        let (first, second) = (number(&m, 1), number(&m, 3));
        let parsed = date(first, second, Some(year)).or_else(|| date(second, first, Some(year)));
        if let Some(date) = parsed.filter(|_| !next_is_digit(len)) {
            return (Tok::Date(date), len);
        }
    }
    if let Some(m) = TIME.as_ref().and_then(|r| r.captures(rest)) {
        let len = m.get(0).map_or(0, |g| g.end());
        let (hour, minute) = (number(&m, 1), number(&m, 2));
        if hour <= 24 && minute <= 59 && !next_is_digit(len) {
            let hour = adjust_meridiem(hour, &rest[len..]);
            return (
                Tok::Time(Fact::Time {
                    hour: (hour % 24) as u8,
                    minute: minute as u8,
                }),
                len,
            );
        }
    }
    if let Some(m) = DM_DATE.as_ref().and_then(|r| r.captures(rest)) {
        let len = m.get(0).map_or(0, |g| g.end());
        let after = &rest[len..];
        let continues = after.starts_with(|c: char| c.is_ascii_digit())
            || (after.starts_with(['.', ','])
                && after[1..].starts_with(|c: char| c.is_ascii_digit()));
        let money_before = previous.is_some_and(|t| is_currency_token(&t.tok));
        if !continues && !money_before && !currency_follows(after) {
            if let Some(date) = date(number(&m, 1), number(&m, 2), None) {
                return (Tok::Date(date), len);
            }
        }
    }
    lex_number(rest)
}

/// A valid date fact, or `None`.
fn date(day: u16, month: u16, year: Option<u16>) -> Option<Fact> {
    let valid = (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && year.is_none_or(|y| (1900..=2200).contains(&y));
    valid.then_some(Fact::Date {
        day: day as u8,
        month: month as u8,
        year,
    })
}

/// Applies a following "am"/"pm" to a 12-hour clock value.
fn adjust_meridiem(hour: u16, after: &str) -> u16 {
    let word: String = after
        .trim_start()
        .chars()
        .filter(|c| *c != '.')
        .take(2)
        .collect();
    match word.as_str() {
        "pm" if hour < 12 => hour + 12,
        "am" if hour == 12 => 0,
        _ => hour,
    }
}

/// True when a currency symbol or word comes right after (spaces allowed).
fn currency_follows(after: &str) -> bool {
    let after = after.trim_start();
    let Some(first) = after.chars().next() else {
        return false;
    };
    if currency_of_symbol(first).is_some() {
        return true;
    }
    let word: String = after.chars().take_while(|&c| is_word_char(c)).collect();
    !word.is_empty() && currency_of_word(&word).is_some()
}

/// True for a currency symbol or word token.
fn is_currency_token(tok: &Tok) -> bool {
    match tok {
        Tok::Sym(c) => currency_of_symbol(*c).is_some(),
        Tok::Word(w) => currency_of_word(w).is_some(),
        _ => false,
    }
}

/// Lexes a number with optional digit groups and decimals.
fn lex_number(rest: &str) -> (Tok, usize) {
    let bytes = rest.as_bytes();
    let digits_at = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let first = digits_at(0);
    let mut integer = rest[..first].to_owned();
    let mut len = first;
    let mut group_separator: Option<u8> = None;
    if first <= 3 {
        // Each group consumes four bytes, so this is bounded by the text length.
        while let Some(&separator) = bytes.get(len) {
            let allowed = matches!(separator, b' ' | b',' | b'.' | b'\'')
                && group_separator.is_none_or(|s| s == separator);
            if !allowed || digits_at(len + 1) != 3 {
                break;
            }
            group_separator = Some(separator);
            integer.push_str(&rest[len + 1..len + 4]);
            len += 4;
        }
    }
    let mut fraction = String::new();
    if let Some(&separator) = bytes.get(len) {
        if matches!(separator, b'.' | b',') && group_separator != Some(separator) {
            let count = digits_at(len + 1);
            if count > 0 {
                fraction = rest[len + 1..len + 1 + count].to_owned();
                len += 1 + count;
            }
        }
    }
    let integer_part = integer.trim_start_matches('0');
    let integer_part = if integer_part.is_empty() {
        "0"
    } else {
        integer_part
    };
    let fraction_part = fraction.trim_end_matches('0');
    let canonical = if fraction_part.is_empty() {
        integer_part.to_owned()
    } else {
        format!("{integer_part}.{fraction_part}")
    };
    let small = (group_separator.is_none() && fraction.is_empty())
        .then(|| integer.parse::<u16>().ok())
        .flatten()
        .filter(|v| *v < 10_000);
    (Tok::Num { canonical, small }, len.max(1))
}
