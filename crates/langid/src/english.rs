//! Lexical evidence for short Latin-script texts: is every word an English word?

use std::collections::HashSet;

use crate::lang::Lang;

/// Lower-case English words, one a line (SCOWL via Debian `wamerican`; see data/README.md).
static WORDS: &str = include_str!("../data/english-words.txt");

/// For 2–3-word texts whose words are all English, English wins when lingua gives it at least
/// this share of the leading language's probability.
const ALL_ENGLISH_SHARE: f64 = 0.55;
/// For 2–3-word texts with a non-English word, the best other language wins over English when
/// it has at least this share of English's probability.
const NOT_ENGLISH_SHARE: f64 = 0.5;

/// The English word list, loaded once with the detector.
pub(crate) struct EnglishLexicon {
    words: HashSet<&'static str>,
}

impl EnglishLexicon {
    /// Indexes the embedded word list.
    pub(crate) fn load() -> EnglishLexicon {
        EnglishLexicon {
            words: WORDS.lines().filter(|w| !w.is_empty()).collect(),
        }
    }

    /// Adjusts Latin-language probabilities (indexed like `Lang::ALL`) of a 2–3-word text.
    pub(crate) fn adjust(&self, text: &str, probs: &mut [f64; 8]) {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        if !(2..=3).contains(&words.len()) {
            return;
        }
        let Some(en) = Lang::En.index() else {
            return;
        };
        let all_known = words.iter().all(|w| self.words.contains(w.as_str()));
        let argmax = |p: &[f64; 8], skip: Option<usize>| {
            (0..7)
                .filter(|i| Some(*i) != skip)
                .fold(None, |best: Option<usize>, i| match best {
                    Some(b) if p[b] >= p[i] => Some(b),
                    _ => Some(i),
                })
        };
        let Some(top) = argmax(probs, None) else {
            return;
        };
        if all_known {
            if top != en && probs[en] >= ALL_ENGLISH_SHARE * probs[top] {
                probs.swap(en, top);
            }
        } else if top == en {
            if let Some(alt) = argmax(probs, Some(en)) {
                if probs[alt] >= NOT_ENGLISH_SHARE * probs[en] {
                    probs.swap(en, alt);
                }
            }
        }
    }
}
