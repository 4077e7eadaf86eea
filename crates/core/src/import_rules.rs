//! Pure rules of the history import: how names and texts compare, the no-duplicate key, local
//! export times read in a zone, media kinds from file names, and stable synthetic chat ids.

use chrono::{DateTime, Duration, NaiveDateTime, SecondsFormat, TimeZone, Utc};

use crate::message::{Direction, MessageKind};
use crate::validate;
use crate::{AppError, AppResult, ErrorCode};

/// Longest status evidence kept (the history row's limit).
pub const MAX_EVIDENCE: usize = 500;

/// A name compared loosely: invisible marks dropped, trimmed, lower-cased.
pub fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| !is_invisible(*c))
        .collect::<String>()
        .trim()
        .to_lowercase()
}

pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// FNV-1a, 64 bits: stable across builds (the std hasher is not).
pub fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The text as the duplicate check compares it (see the module docs).
pub fn normalise_text(text: &str) -> String {
    let mut t = text.trim();
    let edited = "<this message was edited>";
    if t.len() >= edited.len()
        && t.is_char_boundary(t.len() - edited.len())
        && t[t.len() - edited.len()..].eq_ignore_ascii_case(edited)
    {
        t = t[..t.len() - edited.len()].trim_end();
    }
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// What a message is compared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// A text, by the hash of its normalised form.
    Text(u64),
    /// Any attachment.
    Media,
    /// Deleted for everyone.
    Deleted,
}

pub fn class_of(kind: MessageKind, body: &str, deleted: bool) -> Option<Class> {
    if deleted || kind == MessageKind::Deleted {
        return Some(Class::Deleted);
    }
    match kind {
        MessageKind::Text => Some(Class::Text(fnv(&normalise_text(body)))),
        MessageKind::System => None,
        _ => Some(Class::Media),
    }
}

pub type DedupeKey = (Direction, Class, i64);

pub fn dedupe_key(direction: Direction, class: Class, at: DateTime<Utc>) -> DedupeKey {
    (direction, class, at.timestamp().div_euclid(60))
}

/// A local date-time as written in an export (`2019-01-30T20:49:00`) in `tz`, as UTC. In a DST
/// overlap the earlier reading is taken; a time inside a DST gap is read an hour later.
pub fn local_to_utc(local: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S").ok()?;
    let zoned = tz.from_local_datetime(&naive).earliest().or_else(|| {
        tz.from_local_datetime(&(naive + Duration::hours(1)))
            .earliest()
    })?;
    Some(zoned.with_timezone(&Utc))
}

pub fn parse_zone(zone: &str, field: &str) -> AppResult<chrono_tz::Tz> {
    let name = validate::time_zone(Some(zone), field)?.ok_or_else(|| {
        AppError::field(
            ErrorCode::Required,
            field,
            "choose the time zone of the export",
        )
    })?;
    name.parse::<chrono_tz::Tz>()
        .map_err(|_| AppError::field(ErrorCode::UnknownTimeZone, field, "unknown time zone"))
}

pub fn utc_iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A MIME type and message kind from an attachment's file name.
pub fn media_of_name(name: &str) -> (MessageKind, &'static str) {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => (MessageKind::Image, "image/jpeg"),
        "png" => (MessageKind::Image, "image/png"),
        "gif" => (MessageKind::Image, "image/gif"),
        "heic" => (MessageKind::Image, "image/heic"),
        "webp" => (MessageKind::Sticker, "image/webp"),
        "opus" | "ogg" => (MessageKind::Audio, "audio/ogg"),
        "mp3" => (MessageKind::Audio, "audio/mpeg"),
        "m4a" | "aac" => (MessageKind::Audio, "audio/mp4"),
        "amr" => (MessageKind::Audio, "audio/amr"),
        "wav" => (MessageKind::Audio, "audio/wav"),
        "mp4" => (MessageKind::Video, "video/mp4"),
        "3gp" => (MessageKind::Video, "video/3gpp"),
        "mov" => (MessageKind::Video, "video/quicktime"),
        "pdf" => (MessageKind::Document, "application/pdf"),
        "vcf" => (MessageKind::Contact, "text/vcard"),
        "txt" => (MessageKind::Document, "text/plain"),
        _ => (MessageKind::Document, "application/octet-stream"),
    }
}

/// One line of evidence: line breaks folded, at most [`MAX_EVIDENCE`] characters.
pub fn evidence_text(text: &str) -> Option<String> {
    let one_line: String = text
        .split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let clipped: String = one_line.chars().take(MAX_EVIDENCE).collect();
    (!clipped.is_empty()).then_some(clipped)
}

/// The stable synthetic chat id of a conversation without a phone.
pub fn chat_key(is_group: bool, title: &str, participants: &[&str]) -> String {
    if is_group {
        let mut p: Vec<String> = participants.iter().map(|p| name_key(p)).collect();
        p.sort();
        format!(
            "import:group:{:016x}",
            fnv(&format!("{}\n{}", name_key(title), p.join("\n")))
        )
    } else {
        format!("import:contact:{:016x}", fnv(&name_key(title)))
    }
}

/// The file name without folders or extension.
pub fn stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    match base.rsplit_once('.') {
        Some((s, ext)) if ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("zip") => {
            s.to_string()
        }
        _ => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_compare_without_invisible_marks_spacing_or_the_edited_marker() {
        assert_eq!(
            normalise_text("  \u{200E}Hello\u{a0} there\r\nfriend  "),
            "Hello there friend"
        );
        assert_eq!(
            normalise_text("Price is 500 EUR <This message was edited>"),
            "Price is 500 EUR"
        );
        assert_ne!(fnv("a"), fnv("b"));
    }

    #[test]
    fn local_times_are_read_in_the_zone_including_dst_edges() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().expect("zone");
        let t = local_to_utc("2024-07-01T10:00:00", berlin).expect("time");
        assert_eq!(utc_iso(t), "2024-07-01T08:00:00Z");
        // 02:30 does not exist on 31 March 2024 in Berlin: read an hour later.
        let gap = local_to_utc("2024-03-31T02:30:00", berlin).expect("time");
        assert_eq!(utc_iso(gap), "2024-03-31T01:30:00Z");
        // 02:30 happens twice on 27 October 2024: the earlier one.
        let twice = local_to_utc("2024-10-27T02:30:00", berlin).expect("time");
        assert_eq!(utc_iso(twice), "2024-10-27T00:30:00Z");
    }

    #[test]
    fn the_duplicate_key_drops_seconds_and_tells_direction_and_content_apart() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("time")
                .with_timezone(&Utc)
        };
        let ok = class_of(MessageKind::Text, "ok", false).expect("text");
        let a = dedupe_key(Direction::In, ok, at("2024-05-01T10:00:05Z"));
        assert_eq!(a, dedupe_key(Direction::In, ok, at("2024-05-01T10:00:59Z")));
        assert_ne!(a, dedupe_key(Direction::In, ok, at("2024-05-01T10:01:00Z")));
        assert_ne!(
            a,
            dedupe_key(Direction::Out, ok, at("2024-05-01T10:00:05Z"))
        );
        let photo = class_of(MessageKind::Image, "", false).expect("media");
        assert_eq!(
            photo,
            class_of(MessageKind::Video, "caption", false).expect("media")
        );
        assert_eq!(class_of(MessageKind::Text, "x", true), Some(Class::Deleted));
        assert_eq!(class_of(MessageKind::System, "joined", false), None);
    }

    #[test]
    fn synthetic_chat_ids_are_stable_and_ignore_case_marks_and_member_order() {
        let a = chat_key(false, "Anna \u{200E}", &[]);
        assert_eq!(a, chat_key(false, "anna", &[]));
        assert!(a.starts_with("import:contact:"));
        let g = chat_key(true, "Trip", &["Bo", "Al"]);
        assert_eq!(g, chat_key(true, "trip", &["al", "bo"]));
        assert_ne!(g, chat_key(true, "Trip", &["Al"]));
    }

    #[test]
    fn file_stems_media_kinds_and_evidence_lines() {
        assert_eq!(
            stem("exports/WhatsApp Chat with Anna.txt"),
            "WhatsApp Chat with Anna"
        );
        assert_eq!(stem("C:\\x\\chat.ZIP"), "chat");
        assert_eq!(stem("notes.md"), "notes.md");
        assert_eq!(
            media_of_name("IMG-1.JPG"),
            (MessageKind::Image, "image/jpeg")
        );
        assert_eq!(media_of_name("PTT-1.opus").0, MessageKind::Audio);
        assert_eq!(media_of_name("noext").1, "application/octet-stream");
        assert_eq!(
            evidence_text("  two\nlines\t here "),
            Some("two lines here".into())
        );
        assert_eq!(evidence_text(" \n "), None);
        assert_eq!(
            evidence_text(&"a".repeat(900)).map(|e| e.chars().count()),
            Some(MAX_EVIDENCE)
        );
    }
}
