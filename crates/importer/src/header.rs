//! Recognises the date-and-time header that starts every message line of an export: the date
//! first or the time first, any calendar, AM/PM markers of every locale.

use crate::calendar::Calendar;
use crate::cursor::Cur;
use crate::header_date::{date, CalendarHints, DatePart};
use crate::names::{AM, PM};
use crate::text::Normalized;

/// A parsed header: raw date components (order not yet decided), time, where the body starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawHeader {
    /// The two day/month components in written order (the day first when `month_named`).
    pub x: u8,
    /// Second day/month component.
    pub y: u8,
    /// Full year: Gregorian, or the calendar's own for calendars with their own months
    /// (Islamic, Persian, …); 0 when the header has no year.
    pub year: u16,
    /// True when the year came first (yyyy/mm/dd).
    pub year_first: bool,
    /// True when the month was written as a name (`Mar`, `марта`) or marked (`6月`).
    pub month_named: bool,
    /// The calendar of the date.
    pub calendar: Calendar,
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

/// Words some locales put between date and time (Finnish "klo", German "um", English "at").
const TIME_WORDS: &[&str] = &["klo ", "kl. ", "um ", "at ", "à ", "o ", "в ", "a las "];

/// A time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Time {
    hour: u8,
    minute: u8,
    second: u8,
}

/// Parses the header at the start of `s` (already free of invisible marks when normalised).
pub fn parse_header_bytes(s: &[u8]) -> Option<RawHeader> {
    parse_with(s, CalendarHints::default())
}

/// [`parse_header_bytes`] with what is known of the file's calendar.
pub(crate) fn parse_with(s: &[u8], hints: CalendarHints) -> Option<RawHeader> {
    let mut c = Cur { s, i: 0 };
    let bracket = c.eat(b'[');
    c.spaces();
    let start = c.i;
    let (d, t, numeric_first) = match date_then_time(&mut c, hints) {
        Some((d, t)) => (d, t, !d.month_named),
        None => {
            c.i = start;
            let (t, d) = time_then_date(&mut c, hints)?;
            (d, t, false)
        }
    };
    let (body_start, loose) = terminator(&mut c, bracket)?;
    // Only the classic numeric date-first header may end with a bare space: for the others a
    // body line ("May 5, 10:00 works for me") would look like a header.
    if loose && !numeric_first {
        return None;
    }
    Some(RawHeader {
        x: d.x,
        y: d.y,
        year: d.year,
        year_first: d.year_first,
        month_named: d.month_named,
        calendar: d.calendar,
        hour: t.hour,
        minute: t.minute,
        second: t.second,
        body_start,
        loose,
    })
}

/// `13/06/2018, 21:25`, `Mar 5, 8:11 PM`, `2018. 6. 13. 오후 9:25`.
fn date_then_time(c: &mut Cur<'_>, hints: CalendarHints) -> Option<(DatePart, Time)> {
    let d = date(c, hints)?;
    let comma = c.eat(b',') || eat_str(c, "،") || eat_str(c, "，");
    let gap = c.spaces();
    if !comma && gap == 0 {
        return None;
    }
    if c.peek().is_some_and(|b| !b.is_ascii_digit()) {
        c.word(TIME_WORDS);
    }
    c.spaces();
    Some((d, time(c)?))
}

/// `19:23, 28 Aug 2013`, `9:05 PM 13/06/2018`.
fn time_then_date(c: &mut Cur<'_>, hints: CalendarHints) -> Option<(Time, DatePart)> {
    let t = time(c)?;
    let comma = c.eat(b',');
    let gap = c.spaces();
    if !comma && gap == 0 {
        return None;
    }
    Some((t, date(c, hints)?))
}

fn eat_str(c: &mut Cur<'_>, s: &str) -> bool {
    if c.s.get(c.i..).is_some_and(|r| r.starts_with(s.as_bytes())) {
        c.i += s.len();
        true
    } else {
        false
    }
}

/// `h:mm[:ss]` or `h.mm[.ss]`, with an AM/PM marker before or after.
fn time(c: &mut Cur<'_>) -> Option<Time> {
    let before = marker(c);
    if before.is_some() {
        c.spaces();
    }
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
    let after = marker(c);
    if after.is_none() {
        c.i = save;
    }
    c.eat(b'.');
    let hour = apply_marker(h, before.or(after))?;
    if m > 59 || sec > 59 {
        return None;
    }
    Some(Time {
        hour,
        minute: m as u8,
        second: sec as u8,
    })
}

/// What ends the header: `] ` (iOS), ` - `, `: `, or a bare space (`loose`).
fn terminator(c: &mut Cur<'_>, bracket: bool) -> Option<(usize, bool)> {
    if bracket {
        c.spaces();
        if !c.eat(b']') {
            return None;
        }
        c.spaces();
        return Some((c.i, false));
    }
    let s = c.s;
    let gap = c.spaces();
    let dash = c.peek() == Some(b'-') && matches!(s.get(c.i + 1), Some(b' ') | None);
    let colon = c.peek() == Some(b':') && matches!(s.get(c.i + 1), Some(b' '));
    if dash || colon {
        c.i += 1;
        c.spaces();
        Some((c.i, false))
    } else if gap > 0 && c.i < s.len() {
        Some((c.i, true))
    } else {
        None
    }
}

/// Reads an AM/PM marker; Some(false) = AM, Some(true) = PM.
fn marker(c: &mut Cur<'_>) -> Option<bool> {
    // Most headers have none: digits, separators and brackets cannot start one.
    if c.peek()
        .is_none_or(|b| b.is_ascii_digit() || matches!(b, b'-' | b']' | b':' | b','))
    {
        return None;
    }
    if c.word(AM).is_some() {
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

/// Characters of a line normalised for header parsing (the longest headers are ~35).
const NORMALISED_WINDOW: usize = 48;

/// Reusable header parser that tries the raw line first and a normalised copy when needed.
#[derive(Debug, Default)]
pub struct HeaderParser {
    norm: Normalized,
    forced: Option<Calendar>,
}

impl HeaderParser {
    /// A parser that reads years with no era mark outside the Gregorian range in `calendar`.
    pub(crate) fn with_calendar(calendar: Option<Calendar>) -> HeaderParser {
        HeaderParser {
            norm: Normalized::default(),
            forced: calendar,
        }
    }

    fn hints(&self, persian_digits: bool) -> CalendarHints {
        CalendarHints {
            forced: self.forced,
            persian_digits,
        }
    }

    /// Parses the header of `line`; `body_start` in the result is a byte offset into `line`.
    pub fn parse(&mut self, line: &str) -> Option<RawHeader> {
        let hints = self.hints(false);
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
                if let Some(mut h) = parse_with(rest.as_bytes(), hints) {
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
            if let Some(h) = parse_with(bytes, hints) {
                // A loose header followed closely by non-ASCII may hide an AM/PM marker written
                // with a no-break space ("p.\u{a0}m."): let the normalised parse decide.
                let near = &bytes[..bytes.len().min(h.body_start + 8)];
                if !h.loose || near.is_ascii() {
                    return Some(h);
                }
                return Some(self.parse_normalised(line).unwrap_or(h));
            }
        } else if first < 0x80 {
            // An ASCII letter starts a header only as a month name or a Japanese era.
            if !first.is_ascii_alphabetic() || !named_start(line) {
                return None;
            }
            if let Some(h) = parse_with(bytes, hints) {
                return Some(h);
            }
        } else if !self.may_start_after_marks(line) {
            return None;
        }
        let window = &bytes[..bytes.len().min(80)];
        if window.is_ascii() {
            return None;
        }
        self.parse_normalised(line)
    }

    /// A line starting with a non-ASCII character: invisible marks, then a digit (of any
    /// script), `[`, a month name or an era.
    fn may_start_after_marks(&self, line: &str) -> bool {
        let visible = line.trim_start_matches(crate::text::is_invisible);
        match visible.chars().next() {
            Some(c) if c == '[' || crate::text::ascii_digit(c).is_some() => true,
            Some(c) if c.is_alphabetic() => named_start(visible),
            _ => false,
        }
    }

    /// Parses a normalised copy of the line's start (ASCII digits, plain spaces, no marks).
    fn parse_normalised(&mut self, line: &str) -> Option<RawHeader> {
        self.norm.fill(line, NORMALISED_WINDOW);
        let hints = self.hints(self.norm.persian_digits);
        let mut h = parse_with(&self.norm.bytes, hints)?;
        h.body_start = self.norm.original_offset(h.body_start);
        Some(h)
    }
}

/// Whether `s` starts with a month name or an era mark, as a header with letters first does.
fn named_start(s: &str) -> bool {
    if crate::names::month_name(s).is_some_and(|(_, len)| {
        s[len..].starts_with(|c: char| c == ' ' || crate::text::is_space(c))
    }) {
        return true;
    }
    let era_then_digit = |name: &str| {
        s.strip_prefix(name)
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit() || c == ' '))
    };
    crate::calendar::JAPANESE_ERAS
        .iter()
        .any(|(n, _)| era_then_digit(n))
        || crate::names::ERA_PREFIXES
            .iter()
            .any(|(n, _)| era_then_digit(n))
}
