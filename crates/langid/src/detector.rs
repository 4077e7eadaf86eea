//! Single-message detection: script rules for Arabic and Cyrillic, lingua (+ tuning) for Latin.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

use crate::english::EnglishLexicon;
use crate::lang::Lang;
use crate::russian::russian_probability;
use crate::script::ScriptCensus;

/// Confidence at or above which a detection may be acted on (e.g. answer the client in it).
pub const CONFIDENT: f64 = 0.8;

/// Index of the "none of the seven" bucket in a probability vector.
pub(crate) const OTHER: usize = 7;

/// The outcome of detecting one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// The best language, or `Unknown`.
    pub lang: Lang,
    /// How sure the detector is, 0.0..=1.0; 0 for `Unknown` from lack of evidence.
    pub confidence: f64,
    /// Probability per language in `Lang::ALL` order, then "none of the seven".
    pub(crate) probs: [f64; 8],
    /// How much evidence the text carries (letters, capped), used to weigh it in a conversation.
    pub(crate) weight: f64,
}

impl Detection {
    /// A detection that carries no evidence at all.
    pub fn unknown() -> Detection {
        Detection {
            lang: Lang::Unknown,
            confidence: 0.0,
            probs: [0.0; 8],
            weight: 0.0,
        }
    }

    /// True when `confidence >= CONFIDENT` and the language is one of the seven.
    pub fn is_confident(&self) -> bool {
        self.lang != Lang::Unknown && self.confidence >= CONFIDENT
    }

    /// Probability of `lang` (for `Unknown`: of "none of the seven").
    pub fn probability(&self, lang: Lang) -> f64 {
        self.probs[lang.index().unwrap_or(OTHER)]
    }
}

/// A language detector; build once (it loads models, ~1 s) and share, e.g. via `Detector::shared`.
pub struct Detector {
    latin: LanguageDetector,
    english: EnglishLexicon,
    cyrillic: whatlang::Detector,
}

/// The Latin-script languages handed to lingua, in `Lang::ALL` order with their `Lang`.
const LATIN: [(Language, Lang); 5] = [
    (Language::English, Lang::En),
    (Language::French, Lang::Fr),
    (Language::German, Lang::De),
    (Language::Spanish, Lang::Es),
    (Language::Polish, Lang::Pl),
];

impl Detector {
    /// Builds a detector with its language models preloaded.
    pub fn new() -> Detector {
        let languages: Vec<Language> = LATIN.iter().map(|(l, _)| *l).collect();
        let latin = LanguageDetectorBuilder::from_languages(&languages)
            .with_preloaded_language_models()
            .build();

        let cyrillic = whatlang::Detector::with_allowlist(vec![
            whatlang::Lang::Rus,
            whatlang::Lang::Ukr,
            whatlang::Lang::Bel,
            whatlang::Lang::Bul,
            whatlang::Lang::Srp,
            whatlang::Lang::Mkd,
        ]);
        Detector {
            latin,
            english: EnglishLexicon::load(),
            cyrillic,
        }
    }

    /// The process-wide detector, built on first use.
    pub fn shared() -> &'static Detector {
        static SHARED: OnceLock<Detector> = OnceLock::new();
        SHARED.get_or_init(Detector::new)
    }

    /// Detects the language of one message.
    pub fn detect(&self, text: &str) -> Detection {
        let census = ScriptCensus::of(text);
        let letters = census.letters();
        if letters == 0 {
            return Detection::unknown();
        }
        let weight = (letters as f64).min(60.0);
        let mut probs = [0.0; 8];
        if census.arabic * 2 > letters {
            let ar = Lang::Ar.index().unwrap_or(OTHER);
            let p = if census.non_arabic_arabic_script > 0 {
                0.6
            } else {
                0.99
            };
            probs[ar] = p;
            probs[OTHER] = 1.0 - p;
        } else if census.cyrillic * 2 > letters {
            let ru = Lang::Ru.index().unwrap_or(OTHER);
            let p = russian_probability(text, &census, &self.cyrillic);
            probs[ru] = p;
            probs[OTHER] = 1.0 - p;
        } else if census.latin * 2 > letters {
            self.latin_probs(text, &mut probs);
        } else {
            probs[OTHER] = 1.0;
        }
        finish(probs, weight)
    }

    fn latin_probs(&self, text: &str, probs: &mut [f64; 8]) {
        if let Some(pl) = Lang::Pl.index().filter(|_| clearly_polish(text)) {
            // Letters only Polish uses among the five, in two or more words: skip n-grams.
            for (i, p) in probs.iter_mut().enumerate().take(7) {
                *p = if i == pl { 0.99 } else { 0.0025 };
            }
            return;
        }
        let values = self.latin.compute_language_confidence_values(text);
        for (language, value) in values {
            if let Some((_, lang)) = LATIN.iter().find(|(l, _)| *l == language) {
                if let Some(i) = lang.index() {
                    probs[i] = value;
                }
            }
        }
        if probs.iter().all(|p| *p == 0.0) {
            probs[OTHER] = 1.0;
        } else {
            self.english.adjust(text, probs);
        }
    }
}

impl Default for Detector {
    fn default() -> Self {
        Detector::new()
    }
}

/// Two or more words with letters that, of the five Latin-script languages, only Polish uses,
/// and no letter that only French, German or Spanish uses.
fn clearly_polish(text: &str) -> bool {
    const POLISH: &[char] = &[
        'ą', 'ę', 'ł', 'ń', 'ś', 'ź', 'ż', 'ć', 'Ą', 'Ę', 'Ł', 'Ń', 'Ś', 'Ź', 'Ż', 'Ć',
    ];
    const OTHERS: &[char] = &[
        'à', 'â', 'ç', 'è', 'ê', 'ë', 'î', 'ï', 'ô', 'œ', 'ù', 'û', 'ÿ', 'ß', 'ä', 'ö', 'ü', 'ñ',
        'á', 'í', 'ú', 'é',
    ];
    if text.is_ascii() {
        return false;
    }
    let lower = text.to_lowercase();
    if lower.contains(OTHERS) {
        return false;
    }
    lower
        .split_whitespace()
        .filter(|w| w.contains(POLISH))
        .nth(1)
        .is_some()
}

/// Picks the best language of a probability vector and wraps it in a `Detection`.
fn finish(probs: [f64; 8], weight: f64) -> Detection {
    let mut best = OTHER;
    for i in 0..8 {
        if probs[i] > probs[best] {
            best = i;
        }
    }
    let lang = Lang::ALL.get(best).copied().unwrap_or(Lang::Unknown);
    Detection {
        lang,
        confidence: if lang == Lang::Unknown {
            0.0
        } else {
            probs[best]
        },
        probs,
        weight,
    }
}

/// Detects the language of one message with the shared detector.
pub fn detect(text: &str) -> Detection {
    Detector::shared().detect(text)
}
