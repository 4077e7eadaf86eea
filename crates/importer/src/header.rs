//! Recognises the date-and-time header that starts every message line of an export.

use crate::text::Normalized;

/// A parsed header: raw date components (order not yet decided), time, where the body starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawHeader {
    /// The two day/month components in written order.
    pub x: u8,
    /// Second day/month component.
    pub y: u8,
    /// Full year.
    pub year: u16,
    /// True when the year came first (yyyy/mm/dd).
    pub year_first: bool,
    /// Hour 0..=23 after applying AM/PM.
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Second (0 when the export has none).
    pub second: u8,
    /// Byte offset in the parsed slice where the text after the header begins.
    pub body_start: usize,
    /// True when only whitespace separated the header from the text (no `-`, `:` or `]`).
    pub loose: bool,
}

/// Markers meaning "before noon", as written (compared case-insensitively, longest first).
const AM: &[&str] = &[
    "a. m.", "a.m.", "a. m", "a.m", "am", "vorm.", "vorm", "vm.", "fm.", "ap.", "π.μ.", "πμ", "ص",
    "午前", "上午", "오전", "öö",
];
/// Markers meaning "after noon".
const PM: &[&str] = &[
    "p. m.", "p.m.", "p. m", "p.m", "pm", "nachm.", "nachm", "nm.", "em.", "ip.", "μ.μ.", "μμ",
    "م", "午後", "下午", "오후", "ös",
];
/// Words some locales put between date and time (Finnish "klo", German "um", English "at").
const TIME_WORDS: &[&str] = &["klo ", "kl. ", "um ", "at ", "à ", "o ", "в "];

/// Cursor over a byte slice.
struct Cur<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    #[inline]
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    #[inline]
    /// Skips spaces, tabs, and (in raw UTF-8) U+00A0, U+2009 and U+202F; returns bytes skipped.
    fn spaces(&mut self) -> usize {
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
    fn number(&mut self, max: usize) -> Option<(u32, usize)> {
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
    /// Consumes one of `words` (ASCII case-insensitive) if it starts here and ends at a boundary.
    fn word(&mut self, words: &[&str]) -> Option<usize> {
        let rest = self.s.get(self.i..).unwrap_or(&[]);
        let first = rest.first()?.to_ascii_lowercase();
        if first.is_ascii_digit() || matches!(first, b'-' | b']' | b':' | b' ') {
            return None;
        }
        for (k, w) in words.iter().enumerate() {
            let w = w.as_bytes();
            if w.first().map(u8::to_ascii_lowercase) != Some(first) {
                continue;
            }
            if rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w) {
                let next = rest.get(w.len()).copied();
                let boundary = match next {
                    None => true,
                    Some(b) => !(b.is_ascii_alphabetic() || (b >= 0x80 && !w.ends_with(b" "))),
                };
                if boundary || w.ends_with(b".") || w.ends_with(b" ") {
                    self.i += w.len();
                    return Some(k);
                }
            }
        }
        None
    }
}

/// Parses the header at the start of `s` (already free of invisible marks when normalised).
pub fn parse_header_bytes(s: &[u8]) -> Option<RawHeader> {
    let mut c = Cur { s, i: 0 };
    let bracket = c.eat(b'[');
    c.spaces();
    // Date: three numbers with the same separator, optionally followed by a space each.
    let (n1, d1) = c.number(4)?;
    let sep = c.peek().filter(|b| matches!(b, b'/' | b'.' | b'-'))?;
    c.i += 1;
    c.eat(b' ');
    let (n2, d2) = c.number(4)?;
    if !c.eat(sep) {
        return None;
    }
    c.eat(b' ');
    let (n3, d3) = c.number(4)?;
    c.eat(b'.');
    let (x, y, year, year_first) = date_parts([(n1, d1), (n2, d2), (n3, d3)])?;
    let comma = c.eat(b',');
    let gap = c.spaces();
    if !comma && gap == 0 {
        return None;
    }
    if c.peek().is_some_and(|b| !b.is_ascii_digit()) {
        c.word(TIME_WORDS);
    }
    c.spaces();
    let before = marker(&mut c);
    if before.is_some() {
        c.spaces();
    }
    // Time: h:mm[:ss] or h.mm[.ss].
    let (h, _) = c.number(2)?;
    let tsep = c.peek().filter(|b| matches!(b, b':' | b'.'))?;
    c.i += 1;
    let (m, md) = c.number(2)?;
    if md != 2 {
        return None;
    }
    let mut sec = 0;
    let save = c.i;
    if c.eat(tsep) {
        match c.number(2) {
            Some((v, 2)) => sec = v,
            _ => c.i = save,
        }
    }
    let save = c.i;
    c.spaces();
    let after = marker(&mut c);
    if after.is_none() {
        c.i = save;
    }
    c.eat(b'.');
    let hour = apply_marker(h, before.or(after))?;
    if m > 59 || sec > 59 {
        return None;
    }
    // Terminator.
    let mut loose = false;
    let body_start = if bracket {
        c.spaces();
        if !c.eat(b']') {
            return None;
        }
        c.spaces();
        c.i
    } else {
        let gap = c.spaces();
        let dash = c.peek() == Some(b'-') && matches!(s.get(c.i + 1), Some(b' ') | None);
        let colon = c.peek() == Some(b':') && matches!(s.get(c.i + 1), Some(b' '));
        if dash || colon {
            c.i += 1;
            c.spaces();
            c.i
        } else if gap > 0 && c.i < s.len() {
            loose = true;
            c.i
        } else {
            return None;
        }
    };
    Some(RawHeader {
        x,
        y,
        year,
        year_first,
        hour,
        minute: m as u8,
        second: sec as u8,
        body_start,
        loose,
    })
}

/// Finds the year among three date numbers and returns the other two in written order.
fn date_parts(n: [(u32, usize); 3]) -> Option<(u8, u8, u16, bool)> {
    let long = |i: usize| n[i].1 >= 3;
    let yi = match (long(0), long(1), long(2)) {
        (true, false, false) => 0,
        (false, true, false) => 1,
        (false, false, true) => 2,
        (false, false, false) if n[0].0 > 31 => 0,
        (false, false, false) => 2,
        _ => return None,
    };
    let mut year = n[yi].0;
    if n[yi].1 <= 2 {
        year += 2000;
    }
    if !(1970..=2199).contains(&year) {
        return None;
    }
    let ((a, ad), (b, bd)) = match yi {
        0 => (n[1], n[2]),
        1 => (n[0], n[2]),
        _ => (n[0], n[1]),
    };
    if ad > 2 || bd > 2 || a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
        return None;
    }
    Some((a as u8, b as u8, year as u16, yi == 0))
}

/// Reads an AM/PM marker; Some(false) = AM, Some(true) = PM.
fn marker(c: &mut Cur<'_>) -> Option<bool> {
    // Most headers have none: digits, separators and brackets cannot start one.
    if c.peek()
        .is_none_or(|b| b.is_ascii_digit() || matches!(b, b'-' | b']' | b':' | b','))
    {
        return None;
    }
    if let Some(k) = c.word(AM) {
        let _ = k;
        return Some(false);
    }
    c.word(PM).map(|_| true)
}

fn apply_marker(h: u32, pm: Option<bool>) -> Option<u8> {
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    (h <= 23).then_some(h as u8)
}

/// Characters of a line normalised for header parsing (the longest headers are ~30).
const NORMALISED_WINDOW: usize = 48;

/// Reusable header parser that tries the raw line first and a normalised copy when needed.
#[derive(Debug, Default)]
pub struct HeaderParser {
    norm: Normalized,
}

impl HeaderParser {
    /// Parses the header of `line`; `body_start` in the result is a byte offset into `line`.
    pub fn parse(&mut self, line: &str) -> Option<RawHeader> {
        // Leading direction marks (U+200E/U+200F, 3 bytes each) before an ASCII header.
        let mut skip = 0;
        while matches!(
            line.as_bytes().get(skip..skip + 3),
            Some([0xE2, 0x80, 0x8E | 0x8F])
        ) {
            skip += 3;
        }
        if skip > 0 {
            let rest = &line[skip..];
            if rest
                .as_bytes()
                .first()
                .is_some_and(|b| b.is_ascii_digit() || *b == b'[')
            {
                if let Some(mut h) = parse_header_bytes(rest.as_bytes()) {
                    if !h.loose {
                        h.body_start += skip;
                        return Some(h);
                    }
                }
            }
        }
        let bytes = line.as_bytes();
        let first = *bytes.first()?;
        if first.is_ascii_digit() || first == b'[' {
            if let Some(h) = parse_header_bytes(bytes) {
                // A loose header followed closely by non-ASCII may hide an AM/PM marker written
                // with a no-break space ("p.\u{a0}m."): let the normalised parse decide.
                let near = &bytes[..bytes.len().min(h.body_start + 8)];
                if !h.loose || near.is_ascii() {
                    return Some(h);
                }
                self.norm.fill(line, NORMALISED_WINDOW);
                return match parse_header_bytes(&self.norm.bytes) {
                    Some(mut n) => {
                        n.body_start = self.norm.original_offset(n.body_start);
                        Some(n)
                    }
                    None => Some(h),
                };
            }
            let window = &bytes[..bytes.len().min(80)];
            if window.is_ascii() {
                return None;
            }
        } else if first < 0x80 {
            return None;
        }
        // Non-ASCII start: only invisible marks followed by a digit or '[' can begin a header.
        let starts_like_header = line
            .chars()
            .find(|c| !crate::text::is_invisible(*c))
            .is_some_and(|c| c == '[' || crate::text::ascii_digit(c).is_some());
        if !starts_like_header {
            return None;
        }
        self.norm.fill(line, NORMALISED_WINDOW);
        let mut h = parse_header_bytes(&self.norm.bytes)?;
        h.body_start = self.norm.original_offset(h.body_start);
        Some(h)
    }
}
