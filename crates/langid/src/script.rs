//! Script census of a text: which alphabet its letters belong to.

/// Letter counts of a text by script, plus Cyrillic letters that Russian does not use.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScriptCensus {
    /// Latin letters (any accent).
    pub latin: usize,
    /// Cyrillic letters.
    pub cyrillic: usize,
    /// Arabic-script letters.
    pub arabic: usize,
    /// Letters of any other script (CJK, Greek, Hebrew, …).
    pub other: usize,
    /// Cyrillic letters outside the Russian alphabet (Ukrainian, Kazakh, Kyrgyz, Belarusian, Serbian…).
    pub non_russian_cyrillic: usize,
    /// Letters that rule out Ukrainian but not Kazakh or Kyrgyz (ы э ъ ё).
    pub russian_only: usize,
    /// Arabic-script letters used by Persian/Urdu but not by Arabic (پ چ ژ گ ک ی …).
    pub non_arabic_arabic_script: usize,
    /// Number of whitespace-separated words that hold at least one letter.
    pub words: usize,
}

impl ScriptCensus {
    /// Counts the letters of `text` by script.
    pub fn of(text: &str) -> ScriptCensus {
        let mut c = ScriptCensus::default();
        let mut in_word = false;
        for ch in text.chars() {
            if !ch.is_alphabetic() {
                if ch.is_whitespace() {
                    in_word = false;
                }
                continue;
            }
            if !in_word {
                c.words += 1;
                in_word = true;
            }
            let lower = ch.to_lowercase().next().unwrap_or(ch);
            match lower {
                'a'..='z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => c.latin += 1,
                '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}' => {
                    c.cyrillic += 1;
                    if matches!(lower, 'ы' | 'э' | 'ъ' | 'ё') {
                        c.russian_only += 1;
                    } else if !matches!(lower, 'а'..='я') {
                        c.non_russian_cyrillic += 1;
                    }
                }
                '\u{0600}'..='\u{06FF}'
                | '\u{0750}'..='\u{077F}'
                | '\u{08A0}'..='\u{08FF}'
                | '\u{FB50}'..='\u{FDFF}'
                | '\u{FE70}'..='\u{FEFF}' => {
                    c.arabic += 1;
                    if matches!(
                        lower,
                        'پ' | 'چ'
                            | 'ژ'
                            | 'گ'
                            | 'ک'
                            | 'ی'
                            | 'ٹ'
                            | 'ڈ'
                            | 'ڑ'
                            | 'ں'
                            | 'ے'
                            | 'ھ'
                            | 'ۀ'
                    ) {
                        c.non_arabic_arabic_script += 1;
                    }
                }
                _ => c.other += 1,
            }
        }
        c
    }

    /// All letters counted.
    pub fn letters(&self) -> usize {
        self.latin + self.cyrillic + self.arabic + self.other
    }
}
