//! The seven client languages.

/// A language clients write in (and managers may work in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    /// English.
    En,
    /// Russian.
    Ru,
    /// Arabic (right to left).
    Ar,
    /// French.
    Fr,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Polish.
    Pl,
}

impl Language {
    /// All seven, in a fixed order.
    pub const ALL: [Language; 7] = [
        Language::En,
        Language::Ru,
        Language::Ar,
        Language::Fr,
        Language::De,
        Language::Es,
        Language::Pl,
    ];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ru => "ru",
            Language::Ar => "ar",
            Language::Fr => "fr",
            Language::De => "de",
            Language::Es => "es",
            Language::Pl => "pl",
        }
    }

    /// Parses an ISO 639-1 code (case-insensitive).
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The English name, as used in prompts.
    pub fn english_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Ru => "Russian",
            Language::Ar => "Arabic",
            Language::Fr => "French",
            Language::De => "German",
            Language::Es => "Spanish",
            Language::Pl => "Polish",
        }
    }

    /// True for right-to-left scripts (Arabic).
    pub fn is_rtl(self) -> bool {
        self == Language::Ar
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn codes_round_trip_and_only_arabic_is_right_to_left() {
        for language in Language::ALL {
            assert_eq!(Language::from_code(language.code()), Some(language));
            assert_eq!(language.is_rtl(), language == Language::Ar);
        }
        assert_eq!(Language::from_code("PL"), Some(Language::Pl));
        assert_eq!(Language::from_code("it"), None);
    }
}
