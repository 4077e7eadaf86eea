//! Streaming parse of an export's text, line by line from any `BufRead`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::BufRead;

use tourdesk_core::import::ImportNote;

use crate::calendar::Calendar;
use crate::chat::{Attachment, Chat, Message, NONE};
use crate::date::{
    infer_years, today, DateOrder, DateOrderBasis, LocalDateTime, OrderEvidence, RawStamp,
};
use crate::encoding::{sniff, Encoding, Utf16Reader};
use crate::error::ImportError;
use crate::header::HeaderParser;
use crate::kind::{classify_lines, MessageKind};
use crate::text::{clean_name, is_invisible};

/// Caller's choices for parsing.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Force day-first or month-first instead of deciding from the file.
    pub date_order: Option<DateOrder>,
    /// The calendar of years written without an era mark outside the Gregorian range (by
    /// default a year in 1300–1650 is Islamic, or Persian when written in Persian digits).
    pub calendar: Option<Calendar>,
    /// The day the export was written (the file's date): headers without a year get theirs by
    /// counting back from it. Default: today.
    pub reference_date: Option<LocalDateTime>,
}

/// Most characters of an unreadable line quoted in the error.
const QUOTED_LINE_CHARS: usize = 120;

/// Longest author name accepted before `: ` (longer means the colon belongs to the text).
const MAX_AUTHOR_CHARS: usize = 80;
/// How many recently seen author spellings are compared before hashing.
const RECENT_AUTHORS: usize = 8;

/// Parses an export from a reader, one line at a time, straight out of the reader's buffer.
pub fn parse_reader<R: BufRead>(reader: R, options: &ParseOptions) -> Result<Chat, ImportError> {
    parse_reader_sized(reader, options, 0)
}

/// `parse_reader` with the input's size known, to size the text store once.
pub(crate) fn parse_reader_sized<R: BufRead>(
    mut reader: R,
    options: &ParseOptions,
    size_hint: u64,
) -> Result<Chat, ImportError> {
    let mut builder = ChatBuilder::new(options, size_hint);
    let head: Vec<u8> = reader.fill_buf()?.iter().take(4).copied().collect();
    match sniff(&head) {
        (Encoding::Utf8, _) => feed(&mut reader, &mut builder)?,
        (encoding, bom) => {
            reader.consume(bom);
            let mut utf16 = Utf16Reader::new(reader, encoding);
            feed(&mut utf16, &mut builder)?;
            builder.replaced += utf16.replaced;
        }
    }
    builder.finish(options)
}

/// Feeds every line of UTF-8 `reader` to `builder`, straight out of the reader's buffer.
fn feed<R: BufRead>(reader: &mut R, builder: &mut ChatBuilder) -> Result<(), ImportError> {
    // Holds a line that straddles two buffer fills.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let len = buf.len();
        let mut start = 0;
        // Finish a line carried over from the previous fill.
        if !carry.is_empty() {
            match memchr::memchr(b'\n', buf) {
                Some(nl) => {
                    carry.extend_from_slice(&buf[..=nl]);
                    builder.push_bytes(&carry);
                    carry.clear();
                    start = nl + 1;
                }
                None => {
                    carry.extend_from_slice(buf);
                    reader.consume(len);
                    continue;
                }
            }
        }
        // Whole lines of this fill: validate them as one block, then split as &str.
        let whole = match memchr::memrchr(b'\n', &buf[start..]) {
            Some(last) => start + last + 1,
            None => start,
        };
        match simdutf8::basic::from_utf8(&buf[start..whole]) {
            Ok(block) => {
                let mut from = 0;
                for nl in memchr::memchr_iter(b'\n', block.as_bytes()) {
                    builder.push_valid(block.get(from..=nl).unwrap_or(""));
                    from = nl + 1;
                }
            }
            Err(_) => {
                let mut at = start;
                while let Some(nl) = memchr::memchr(b'\n', &buf[at..whole]) {
                    builder.push_bytes(&buf[at..at + nl + 1]);
                    at += nl + 1;
                }
            }
        }
        start = whole;
        carry.extend_from_slice(&buf[start..]);
        reader.consume(len);
    }
    if !carry.is_empty() {
        builder.push_bytes(&carry);
    }
    Ok(())
}

/// Parses an export held in a string.
pub fn parse_str(text: &str, options: &ParseOptions) -> Result<Chat, ImportError> {
    parse_reader(text.as_bytes(), options)
}

/// Accumulates lines into a `Chat`.
struct ChatBuilder {
    chat: Chat,
    headers: HeaderParser,
    evidence: OrderEvidence,
    author_ids: HashMap<String, u32>,
    raw_author_ids: HashMap<String, u32, BuildHasherDefault<FxHasher>>,
    recent_authors: Vec<(String, u32)>,
    open_multiline: bool,
    open: Option<Message>,
    stray_lines: usize,
    lossy_lines: usize,
    content_lines: usize,
    too_long: usize,
    /// Replacement characters written while decoding UTF-16.
    replaced: usize,
    /// The first non-empty line read before any header: line number (from 1) and text.
    first_unread: Option<(usize, String)>,
}

impl ChatBuilder {
    fn new(options: &ParseOptions, size_hint: u64) -> ChatBuilder {
        let mut chat = Chat::default();
        // Bodies take most of the file; cap the guess so a lying hint cannot reserve too much.
        let reserve = usize::try_from(size_hint.min(1 << 32)).unwrap_or(0);
        chat.text.reserve(reserve);
        chat.messages.reserve(reserve / 64);
        ChatBuilder {
            chat,
            headers: HeaderParser::with_calendar(options.calendar),
            evidence: OrderEvidence::default(),
            author_ids: HashMap::new(),
            raw_author_ids: HashMap::default(),
            recent_authors: Vec::new(),
            open_multiline: false,
            open: None,
            stray_lines: 0,
            lossy_lines: 0,
            content_lines: 0,
            too_long: 0,
            replaced: 0,
            first_unread: None,
        }
    }

    /// Takes one already validated line (with or without its line break).
    fn push_valid(&mut self, raw: &str) {
        let mut line = raw.strip_suffix('\n').unwrap_or(raw);
        line = line.strip_suffix('\r').unwrap_or(line);
        if self.chat.lines == 0 {
            line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
        }
        self.chat.lines += 1;
        self.push_line(line);
    }

    fn push_bytes(&mut self, raw: &[u8]) {
        let mut line = raw;
        if let Some(l) = line.strip_suffix(b"\n") {
            line = l;
        }
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        if self.chat.lines == 0 {
            if let Some(l) = line.strip_prefix(b"\xEF\xBB\xBF") {
                line = l;
            }
        }
        self.chat.lines += 1;
        match simdutf8::basic::from_utf8(line) {
            Ok(s) => self.push_line(s),
            Err(_) => {
                self.lossy_lines += 1;
                let s = String::from_utf8_lossy(line).into_owned();
                self.push_line(&s);
            }
        }
    }

    fn push_line(&mut self, line: &str) {
        if self.content_lines == 0 && !line.trim().is_empty() {
            self.content_lines = 1;
        }
        if let Some(h) = self.headers.parse(line) {
            self.close();
            self.evidence.add(&h);
            let rest = line.get(h.body_start..).unwrap_or("");
            let (author, body) = self.split_author(rest);
            let start = self.chat.text.len();
            self.open_multiline = false;
            push_text(&mut self.chat.text, body);
            self.open = Some(Message {
                start,
                len: 0,
                author,
                attachment: NONE,
                stamp: RawStamp::of(&h),
                kind: if author == NONE {
                    MessageKind::System
                } else {
                    MessageKind::Text
                },
            });
            self.set_open_len();
        } else if self.open.is_some() {
            self.open_multiline = true;
            self.chat.text.push('\n');
            push_text(&mut self.chat.text, line);
            self.set_open_len();
        } else if !line.trim().is_empty() {
            self.stray_lines += 1;
            if self.first_unread.is_none() {
                let quoted: String = line.chars().take(QUOTED_LINE_CHARS).collect();
                self.first_unread = Some((self.chat.lines, quoted));
            }
        }
    }

    fn set_open_len(&mut self) {
        if let Some(m) = self.open.as_mut() {
            let len = self.chat.text.len() - m.start;
            match u32::try_from(len) {
                Ok(l) => m.len = l,
                Err(_) => {
                    // A single message over 4 GiB: keep what fits, drop the rest.
                    self.too_long += 1;
                    let keep =
                        floor_char_boundary(&self.chat.text, m.start + u32::MAX as usize / 2);
                    self.chat.text.truncate(keep);
                    m.len = (keep - m.start) as u32;
                }
            }
        }
    }

    /// Splits `Author: text` into an author id (`NONE` for a system event) and the body.
    fn split_author<'l>(&mut self, rest: &'l str) -> (u32, &'l str) {
        let (name, body) = match find_colon_space(rest) {
            Some(i) => (&rest[..i], &rest[i + 2..]),
            None => match rest.strip_suffix(':') {
                Some(name) => (name, ""),
                None => return (NONE, rest),
            },
        };
        // Chats have few authors: the spellings seen last are checked before anything else.
        if let Some((_, id)) = self.recent_authors.iter().find(|(raw, _)| raw == name) {
            return (*id, body);
        }
        if !plausible_author(name) {
            return (NONE, rest);
        }
        let id = self.lookup_author(name);
        if self.recent_authors.len() < RECENT_AUTHORS {
            self.recent_authors.push((name.to_string(), id));
        } else {
            let slot = self.chat.messages.len() % RECENT_AUTHORS;
            self.recent_authors[slot] = (name.to_string(), id);
        }
        (id, body)
    }

    fn lookup_author(&mut self, name: &str) -> u32 {
        if let Some(id) = self.raw_author_ids.get(name) {
            return *id;
        }
        // First time this exact spelling is seen: merge spellings that differ only in
        // invisible marks or surrounding spaces.
        let clean = if name.is_ascii() {
            name.trim().to_string()
        } else {
            clean_name(name)
        };
        let id = match self.author_ids.get(&clean) {
            Some(id) => *id,
            None => {
                let id = self.chat.authors.len() as u32;
                self.chat.authors.push(clean.clone());
                self.author_ids.insert(clean, id);
                id
            }
        };
        self.raw_author_ids.insert(name.to_string(), id);
        id
    }

    /// Classifies the open message and stores it.
    fn close(&mut self) {
        let Some(mut m) = self.open.take() else {
            return;
        };
        // Blank lines after the last text line belong to the gap, not to the message.
        let kept = self
            .chat
            .text
            .get(m.start..)
            .map_or(0, |b| b.trim_end().len());
        self.chat.text.truncate(m.start + kept);
        m.len = kept as u32;
        let body = self.chat.text.get(m.start..).unwrap_or("");
        if m.author != NONE {
            let c = classify_lines(body, self.open_multiline);
            m.kind = c.kind;
            if let Some((a, b)) = c.file_name {
                if let Some(name) = body.get(a..b) {
                    m.attachment = self.chat.attachments.len() as u32;
                    self.chat.attachments.push(Attachment {
                        file_name: name.to_string(),
                        zip_entry: None,
                        size: None,
                    });
                }
            }
        }
        let lead = body.len() - body.trim_start_matches(is_invisible).len();
        m.start += lead;
        m.len -= lead as u32;
        self.chat.messages.push(m);
    }

    fn finish(mut self, options: &ParseOptions) -> Result<Chat, ImportError> {
        self.close();
        if self.chat.messages.is_empty() && self.content_lines > 0 {
            let (line, text) = self.first_unread.take().unwrap_or_default();
            return Err(ImportError::NotAWhatsAppExport {
                lines: self.chat.lines,
                line,
                text,
            });
        }
        let order = match options.date_order {
            Some(o) => (o, DateOrderBasis::Caller),
            None => self.evidence.decide(),
        };
        self.chat.order = Some(order);
        self.chat.evidence = self.evidence.summary();
        self.settle_years(options);
        self.chat.calendar = self
            .chat
            .messages
            .iter()
            .map(|m| m.stamp.calendar())
            .find(|c| *c != Calendar::Gregorian)
            .unwrap_or_default();
        self.warn(order.0);
        Ok(self.chat)
    }

    /// Gives the headers without a year one, counted back from the file's date.
    fn settle_years(&mut self, options: &ParseOptions) {
        let inferred = self
            .chat
            .messages
            .iter()
            .filter(|m| m.stamp.year_inferred())
            .count();
        if inferred == 0 {
            return;
        }
        let reference = options.reference_date.unwrap_or_else(today);
        infer_years(
            self.chat.messages.iter_mut().map(|m| &mut m.stamp),
            (reference.year, reference.month, reference.day),
        );
        self.chat.years_inferred = inferred;
    }

    /// Records the problems that did not stop parsing.
    fn warn(&mut self, order: DateOrder) {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let w = &mut self.chat.warnings;
        if self.lossy_lines > 0 {
            w.push(ImportNote::InvalidUtf8 {
                lines: count(self.lossy_lines),
            });
        }
        if self.replaced > 0 {
            w.push(ImportNote::InvalidUtf16 {
                count: count(self.replaced),
            });
        }
        if self.stray_lines > 0 {
            w.push(ImportNote::LinesBeforeFirstMessage {
                lines: count(self.stray_lines),
            });
        }
        if self.too_long > 0 {
            w.push(ImportNote::MessagesCut {
                count: count(self.too_long),
            });
        }
        let impossible = self
            .chat
            .messages
            .iter()
            .filter(|m| m.stamp.resolve(order).is_none())
            .count();
        if impossible > 0 {
            w.push(ImportNote::ImpossibleDates {
                count: count(impossible),
                month_first: order == DateOrder::MonthFirst,
            });
        }
    }
}

/// Appends `s` to the arena with no-break and narrow spaces turned into plain spaces.
fn push_text(arena: &mut String, s: &str) {
    let mut rest = s;
    // U+00A0 is C2 A0; U+2007, U+2009, U+202F are E2 80 87/89/AF.
    while let Some(i) = memchr::memchr2(0xC2, 0xE2, rest.as_bytes()) {
        let b = rest.as_bytes();
        let width = match (b[i], b.get(i + 1), b.get(i + 2)) {
            (0xC2, Some(0xA0), _) => 2,
            (0xE2, Some(0x80), Some(0x87 | 0x89 | 0xAF)) => 3,
            _ => 0,
        };
        if width == 0 {
            // Another character with that lead byte: copy through it and go on.
            let next = rest[i..].chars().next().map_or(1, char::len_utf8);
            arena.push_str(&rest[..i + next]);
            rest = &rest[i + next..];
            continue;
        }
        arena.push_str(&rest[..i]);
        arena.push(' ');
        rest = &rest[i + width..];
    }
    arena.push_str(rest);
}

/// Whether the text before `: ` can be an author name (not a system text holding a colon).
fn plausible_author(name: &str) -> bool {
    let visible = name.trim_matches(|c: char| is_invisible(c) || c.is_whitespace());
    !visible.is_empty()
        && (visible.len() <= MAX_AUTHOR_CHARS || visible.chars().count() <= MAX_AUTHOR_CHARS)
        && !visible.contains(['"', '“', '”', '«', '»'])
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offset of the first `": "` in `s`.
fn find_colon_space(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', &bytes[from..]) {
        let at = from + i;
        if bytes.get(at + 1) == Some(&b' ') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// A small, fast hasher for author names (not DoS-resistant; names come from one local file).
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
