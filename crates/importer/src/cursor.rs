//! A cursor over the bytes of one header: digits, separators, spaces and words.

use crate::names::starts_with_ci;

/// Cursor over a byte slice that holds valid UTF-8 (a line or its normalised copy).
pub(crate) struct Cur<'a> {
    pub(crate) s: &'a [u8],
    pub(crate) i: usize,
}

impl<'a> Cur<'a> {
    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline]
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// Skips spaces, tabs, and (in raw UTF-8) U+00A0, U+2009 and U+202F; returns bytes skipped.
    #[inline]
    pub(crate) fn spaces(&mut self) -> usize {
        let start = self.i;
        while self.s.get(self.i) == Some(&b' ') {
            self.i += 1;
        }
        if self.s.get(self.i).is_some_and(|b| *b != b'\t' && *b < 0xC2) {
            return self.i - start;
        }
        loop {
            let rest = self.s.get(self.i..).unwrap_or(&[]);
            match rest {
                [b' ' | b'\t', ..] => self.i += 1,
                [0xC2, 0xA0, ..] => self.i += 2,
                [0xE2, 0x80, 0xAF | 0x89, ..] => self.i += 3,
                _ => break,
            }
        }
        self.i - start
    }

    /// Reads 1..=max ASCII digits; returns value and digit count.
    #[inline]
    pub(crate) fn number(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.i;
        let mut v = 0u32;
        while let Some(b) = self.peek() {
            if !b.is_ascii_digit() || self.i - start >= max {
                break;
            }
            v = v * 10 + u32::from(b - b'0');
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 || self.peek().is_some_and(|b| b.is_ascii_digit()) {
            None
        } else {
            Some((v, n))
        }
    }

    /// The rest as text, up to `max` bytes (cut back to a character boundary).
    pub(crate) fn text(&self, max: usize) -> &'a str {
        let s: &'a [u8] = self.s;
        let rest = s.get(self.i..).unwrap_or(&[]);
        let window = &rest[..rest.len().min(max)];
        match std::str::from_utf8(window) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&window[..e.valid_up_to()]).unwrap_or(""),
        }
    }

    /// Consumes one of `words` (lower case; matched without case, beyond ASCII) if it starts
    /// here and ends at a word boundary; returns its index.
    pub(crate) fn word(&mut self, words: &[&str]) -> Option<usize> {
        let first = self.peek()?;
        if first.is_ascii_digit() || matches!(first, b'-' | b']' | b':' | b' ' | b',') {
            return None;
        }
        let found = if first.is_ascii() {
            self.ascii_word(words, first)
        } else {
            self.unicode_word(words)
        };
        let (k, len) = found?;
        self.i += len;
        Some(k)
    }

    /// `word` where the text starts with an ASCII byte: only ASCII words can match, by bytes.
    fn ascii_word(&self, words: &[&str], first: u8) -> Option<(usize, usize)> {
        let rest = self.s.get(self.i..).unwrap_or(&[]);
        let first = first.to_ascii_lowercase();
        words.iter().enumerate().find_map(|(k, w)| {
            let wb = w.as_bytes();
            let matches = wb.first() == Some(&first)
                && rest.len() >= wb.len()
                && rest[..wb.len()].eq_ignore_ascii_case(wb);
            (matches && self.ends_word(w, &rest[wb.len()..])).then_some((k, wb.len()))
        })
    }

    /// `word` where the text starts with a non-ASCII character.
    fn unicode_word(&self, words: &[&str]) -> Option<(usize, usize)> {
        let rest = self.text(64);
        let first_lower = rest.chars().next()?.to_lowercase().next()?;
        words.iter().enumerate().find_map(|(k, w)| {
            if !w.starts_with(first_lower) {
                return None;
            }
            let len = starts_with_ci(rest, w)?;
            self.ends_word(w, &rest.as_bytes()[len..])
                .then_some((k, len))
        })
    }

    /// Whether a word `w` followed by `after` ends there (no letter follows, or `w` ends in
    /// `.` or a space).
    fn ends_word(&self, w: &str, after: &[u8]) -> bool {
        if w.ends_with('.') || w.ends_with(' ') {
            return true;
        }
        match after.first() {
            None => true,
            Some(b) if b.is_ascii() => !b.is_ascii_alphabetic(),
            Some(_) => {
                let next = std::str::from_utf8(&after[..after.len().min(4)])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .or_else(|| {
                        let cut = (1..=after.len().min(4))
                            .rev()
                            .find(|n| std::str::from_utf8(&after[..*n]).is_ok())?;
                        std::str::from_utf8(&after[..cut]).ok()?.chars().next()
                    });
                next.is_none_or(|c| !c.is_alphabetic())
            }
        }
    }
}
