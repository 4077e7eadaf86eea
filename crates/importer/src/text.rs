//! Invisible characters and digit forms that real exports carry, and how they are normalised.

/// True for the direction marks and other invisible characters WhatsApp sprinkles into exports.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Maps Arabic-Indic and Eastern Arabic-Indic digits to ASCII; other characters unchanged.
pub fn ascii_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8),
        '\u{0660}'..='\u{0669}' => Some(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => Some(b'0' + (c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// Removes invisible characters anywhere in `s` and trims it (used for author names).
pub fn clean_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if is_space(c) { ' ' } else { c })
        .collect();
    cleaned.trim().to_string()
}

/// True for the no-break and narrow spaces exports use in headers and bodies.
pub fn is_space(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}')
}

/// Strips invisible characters and spaces from both ends of `s`.
pub fn trim_invisible(s: &str) -> &str {
    let b = s.as_bytes();
    let plain = |x: &u8| x.is_ascii_graphic();
    if b.first().is_some_and(plain) && b.last().is_some_and(plain) {
        return s;
    }
    s.trim_matches(|c: char| c.is_whitespace() || is_invisible(c))
}

/// A header-sized window of a line rewritten to ASCII digits and plain spaces, with a map back.
#[derive(Debug, Default)]
pub struct Normalized {
    /// The normalised bytes.
    pub bytes: Vec<u8>,
    /// For each normalised byte, the byte offset in the original line where its character ends.
    pub ends: Vec<usize>,
    /// Extended Arabic-Indic (Persian) digits were seen.
    pub persian_digits: bool,
}

impl Normalized {
    /// Normalises at most `max_chars` characters of `line` into `self` (reusing its buffers).
    pub fn fill(&mut self, line: &str, max_chars: usize) {
        self.bytes.clear();
        self.ends.clear();
        self.persian_digits = false;
        for (taken, (i, c)) in line.char_indices().enumerate() {
            if taken >= max_chars {
                break;
            }
            let end = i + c.len_utf8();
            if is_invisible(c) {
                continue;
            }
            if let Some(d) = ascii_digit(c) {
                self.persian_digits |= ('\u{06F0}'..='\u{06F9}').contains(&c);
                self.push(d, end);
            } else if is_space(c) {
                self.push(b' ', end);
            } else if c == '\u{060C}' {
                self.push(b',', end);
            } else {
                let mut tmp = [0u8; 4];
                for b in c.encode_utf8(&mut tmp).bytes() {
                    self.push(b, end);
                }
            }
        }
    }

    fn push(&mut self, b: u8, end: usize) {
        self.bytes.push(b);
        self.ends.push(end);
    }

    /// Original byte offset that corresponds to normalised position `pos`.
    pub fn original_offset(&self, pos: usize) -> usize {
        if pos == 0 {
            0
        } else {
            self.ends.get(pos - 1).copied().unwrap_or(0)
        }
    }
}
