//! The languages Tourdesk tells apart.

use std::fmt;

/// A client language, or `Unknown` when the text is none of the seven or too weak to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English.
    En,
    /// Russian.
    Ru,
    /// Arabic.
    Ar,
    /// French.
    Fr,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Polish.
    Pl,
    /// None of the seven, or no evidence.
    Unknown,
}

impl Lang {
    /// The seven client languages, in a fixed order (index = `Lang::index`).
    pub const ALL: [Lang; 7] = [
        Lang::En,
        Lang::Ru,
        Lang::Ar,
        Lang::Fr,
        Lang::De,
        Lang::Es,
        Lang::Pl,
    ];

    /// ISO 639-1 code (`"en"`, …) or `"unknown"`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Ar => "ar",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::Pl => "pl",
            Lang::Unknown => "unknown",
        }
    }

    /// Parses an ISO 639-1 code of one of the seven languages (case-insensitive).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// Position in `Lang::ALL`, or `None` for `Unknown`.
    pub fn index(self) -> Option<usize> {
        Lang::ALL.iter().position(|l| *l == self)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
