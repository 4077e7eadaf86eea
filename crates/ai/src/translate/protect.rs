//! Token protection: tour names, URLs, e-mails, phone numbers and emoji are swapped for
//! placeholders (⟦1⟧, ⟦2⟧, …) before the model sees the text, and put back afterwards.

use std::sync::LazyLock;

use regex::Regex;

/// Opening bracket of a placeholder.
pub const PLACEHOLDER_OPEN: char = '⟦';
/// Closing bracket of a placeholder.
pub const PLACEHOLDER_CLOSE: char = '⟧';

/// What a protected token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A tour name from the catalogue.
    TourName,
    /// A web link.
    Url,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// One emoji or a run of them.
    Emoji,
    /// Text that already looked like a placeholder.
    Literal,
}

impl TokenKind {
    /// A stable snake_case name for the UI.
    pub fn code(self) -> &'static str {
        match self {
            TokenKind::TourName => "tour_name",
            TokenKind::Url => "url",
            TokenKind::Email => "email",
            TokenKind::Phone => "phone",
            TokenKind::Emoji => "emoji",
            TokenKind::Literal => "literal",
        }
    }
}

/// One token taken out of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedToken {
    /// The placeholder standing in for it, e.g. `⟦1⟧`.
    pub placeholder: String,
    /// The original text.
    pub original: String,
    /// What it is.
    pub kind: TokenKind,
}

/// A text with its tokens replaced by placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedText {
    /// The text sent to the model.
    pub text: String,
    /// The tokens, in order of their placeholders.
    pub tokens: Vec<ProtectedToken>,
}

/// Pattern of text that already looks like a placeholder (protected so it cannot collide).
static LITERAL: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"⟦[^⟧\s]{0,16}⟧").ok());
/// Pattern of web links.
static URL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)(?-u:\b)(?:https?://|www\.)[^\s<>"'«»]+"#).ok());
/// Pattern of e-mail addresses.
static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?-u:\b)").ok()
});
/// Pattern of phone numbers: international (+…) or 10+ digits, or the Russian 8 (xxx) form.
static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"\+[0-9](?:[ \-.()]{0,2}[0-9]){6,14}|(?-u:\b)[78] ?\(?[0-9]{3}\)? ?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}(?-u:\b)|(?-u:\b)[0-9]{10,15}(?-u:\b)").ok()
});
/// Pattern of emoji runs (pictographs, flags, skin tones, joiners, variation selectors).
static EMOJI: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[\u{FE0F}\u{200D}\u{20E3}\u{1F3FB}-\u{1F3FF}])*").ok()
});

/// Finds protectable tokens; build it once per tour catalogue and reuse it.
#[derive(Debug, Clone)]
pub struct Protector {
    tour_names: Option<Regex>,
}

impl Protector {
    /// A protector for the given tour names (matched case-insensitively, longest first).
    pub fn new<S: AsRef<str>>(tour_names: &[S]) -> Self {
        let mut names: Vec<&str> = tour_names
            .iter()
            .map(AsRef::as_ref)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        names.dedup();
        let tour_names = if names.is_empty() {
            None
        } else {
            // Word boundaries are checked in code: a Unicode `\b` would push the regex off its
            // fast engine.
            let alternatives: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
            Regex::new(&format!("(?i)(?:{})", alternatives.join("|"))).ok()
        };
        Self { tour_names }
    }

    /// Replaces every token with a numbered placeholder.
    pub fn protect(&self, text: &str) -> ProtectedText {
        let mut spans: Vec<(usize, usize, u8, TokenKind)> = Vec::new();
        let patterns: [(Option<&Regex>, TokenKind); 6] = [
            (LITERAL.as_ref(), TokenKind::Literal),
            (URL.as_ref(), TokenKind::Url),
            (EMAIL.as_ref(), TokenKind::Email),
            (self.tour_names.as_ref(), TokenKind::TourName),
            (PHONE.as_ref(), TokenKind::Phone),
            (EMOJI.as_ref(), TokenKind::Emoji),
        ];
        for (priority, (pattern, kind)) in patterns.into_iter().enumerate() {
            let Some(pattern) = pattern else { continue };
            for found in pattern.find_iter(text) {
                let end = if kind == TokenKind::Url {
                    trim_url_end(text, found.start(), found.end())
                } else {
                    found.end()
                };
                let whole_words =
                    kind != TokenKind::TourName || at_word_edges(text, found.start(), end);
                if end > found.start() && whole_words {
                    spans.push((found.start(), end, priority as u8, kind));
                }
            }
        }
        spans.sort_by_key(|&(start, end, priority, _)| (start, priority, std::cmp::Reverse(end)));
        let mut out = String::with_capacity(text.len() + 16);
        let mut tokens = Vec::new();
        let mut cursor = 0;
        for (start, end, _, kind) in spans {
            if start < cursor {
                continue; // overlaps a token already taken
            }
            out.push_str(&text[cursor..start]);
            let placeholder = format!("{PLACEHOLDER_OPEN}{}{PLACEHOLDER_CLOSE}", tokens.len() + 1);
            out.push_str(&placeholder);
            tokens.push(ProtectedToken {
                placeholder,
                original: text[start..end].to_owned(),
                kind,
            });
            cursor = end;
        }
        out.push_str(&text[cursor..]);
        ProtectedText { text: out, tokens }
    }
}

/// True when the span neither starts inside a word nor ends inside one (a span edge that is
/// itself not a letter or digit needs no boundary).
fn at_word_edges(text: &str, start: usize, end: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let span = &text[start..end];
    let clean_start = !word(span.chars().next()) || !word(text[..start].chars().next_back());
    let clean_end = !word(span.chars().next_back()) || !word(text[end..].chars().next());
    clean_start && clean_end
}

/// Drops trailing punctuation that ends a sentence rather than the link.
fn trim_url_end(text: &str, start: usize, end: usize) -> usize {
    let mut end = end;
    while end > start {
        let Some(last) = text[start..end].chars().next_back() else {
            break;
        };
        let unbalanced_paren = last == ')'
            && text[start..end].matches('(').count() < text[start..end].matches(')').count();
        if matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | ']' | '}' | '»' | '"' | '\''
        ) || unbalanced_paren
        {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Puts the originals back in place of their placeholders (every occurrence).
pub fn restore(text: &str, tokens: &[ProtectedToken]) -> String {
    if tokens.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    // Bounded by the text length: each step consumes at least one character.
    while let Some(open) = rest.find(PLACEHOLDER_OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match tokens
            .iter()
            .find(|t| after.starts_with(t.placeholder.as_str()))
        {
            Some(token) => {
                out.push_str(&token.original);
                rest = &after[token.placeholder.len()..];
            }
            None => {
                out.push(PLACEHOLDER_OPEN);
                rest = &after[PLACEHOLDER_OPEN.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{restore, Protector, TokenKind};

    #[test]
    fn every_kind_of_token_is_replaced_and_restored() {
        let text = "Тур Dubai Marina Deluxe 🌴🏖️ подробнее https://example.com/t?id=42. Пишите sales@example.com или +971 50 123 4567 👍🏽";
        let protector = Protector::new(&["Dubai Marina Deluxe"]);
        let protected = protector.protect(text);
        let kinds: Vec<TokenKind> = protected.tokens.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                TokenKind::TourName,
                TokenKind::Emoji,
                TokenKind::Url,
                TokenKind::Email,
                TokenKind::Phone,
                TokenKind::Emoji
            ]
        );
        assert_eq!(protected.tokens[2].original, "https://example.com/t?id=42");
        assert!(!protected.text.contains("example.com") && !protected.text.contains("Dubai"));
        assert_eq!(restore(&protected.text, &protected.tokens), text);
    }

    #[test]
    fn tour_names_match_regardless_of_case_and_keep_their_original_spelling() {
        let protected = Protector::new(&["Golden Ring"]).protect("I liked the golden ring tour");
        assert_eq!(protected.text, "I liked the ⟦1⟧ tour");
        assert_eq!(protected.tokens[0].original, "golden ring");
    }

    #[test]
    fn a_tour_name_inside_a_longer_word_is_left_alone() {
        let protector = Protector::new(&["Ring", "Сочи"]);
        assert!(protector.protect("Ringo and Сочинский").tokens.is_empty());
        assert_eq!(protector.protect("the Ring, в Сочи!").tokens.len(), 2);
    }

    #[test]
    fn prices_and_dates_are_not_mistaken_for_phone_numbers() {
        let protected =
            Protector::new::<&str>(&[]).protect("1 200 $ с 15.05.2025 по 2025-05-22, 10:30");
        assert!(protected.tokens.is_empty(), "{:?}", protected.tokens);
    }

    #[test]
    fn text_that_looks_like_a_placeholder_is_protected_too() {
        let protected = Protector::new::<&str>(&[]).protect("see ⟦1⟧ here");
        assert_eq!(protected.tokens.len(), 1);
        assert_eq!(protected.tokens[0].kind, TokenKind::Literal);
        assert_eq!(restore(&protected.text, &protected.tokens), "see ⟦1⟧ here");
    }
}
