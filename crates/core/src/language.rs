//! The client languages Tourdesk serves, plus "unknown".

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A client's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    En,
    /// Russian.
    Ru,
    /// Arabic (right-to-left).
    Ar,
    /// French.
    Fr,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Polish.
    Pl,
    /// Not known yet.
    #[default]
    Unknown,
}

impl Language {
    /// Every value, known languages first.
    pub const ALL: [Language; 8] = [
        Language::En,
        Language::Ru,
        Language::Ar,
        Language::Fr,
        Language::De,
        Language::Es,
        Language::Pl,
        Language::Unknown,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
            Language::Ar => "ar",
            Language::Fr => "fr",
            Language::De => "de",
            Language::Es => "es",
            Language::Pl => "pl",
            Language::Unknown => "unknown",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Whether text in this language is written right to left.
    pub fn is_rtl(self) -> bool {
        matches!(self, Language::Ar)
    }
}
