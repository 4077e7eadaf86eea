//! What a message is: text, omitted media, a named attachment, deleted, view-once, or system.

use serde::Serialize;

use crate::text::{is_invisible, trim_invisible};

/// The kind of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Ordinary text written by a participant.
    Text,
    /// Media left out of a text-only export ("<Media omitted>", "image omitted", …).
    MediaOmitted,
    /// A file named in the message ("<attached: …>", "… (file attached)").
    Attachment,
    /// A deleted message ("This message was deleted", "You deleted this message").
    Deleted,
    /// A view-once photo, video or voice message.
    ViewOnce,
    /// An event written by WhatsApp itself (encryption notice, group changes, calls…).
    System,
}

impl MessageKind {
    /// True for every kind but `System`.
    pub fn is_user(self) -> bool {
        self != MessageKind::System
    }
}

/// Localised "media omitted" phrases as they appear inside `<…>` (lower-case).
const MEDIA_OMITTED: &[&str] = &[
    "media omitted",
    "multimedia omitido",
    "médias omis",
    "medias omis",
    "medien ausgeschlossen",
    "medien weggelassen",
    "без медиафайлов",
    "медиафайл пропущен",
    "pominięto multimedia",
    "multimedia pominięte",
    "تم استبعاد الوسائط",
    "الوسائط محذوفة",
    "mídia oculta",
    "media omessi",
    "medya dahil edilmedi",
    "media tidak disertakan",
    "media weggelaten",
];
/// Words that mark iOS-style "<kind> omitted" lines (lower-case, matched as a whole body).
const OMITTED_WORDS: &[&str] = &[
    "omitted",
    "omitido",
    "omitida",
    "omis",
    "omise",
    "absent",
    "absente",
    "weggelassen",
    "ausgelassen",
    "отсутствует",
    "пропущено",
    "пропущен",
    "pominięto",
    "pominięty",
    "تم استبعاد",
    "محذوف",
];
/// Labels of iOS attachment lines, `<label: file>` (lower-case).
const ATTACHED_LABELS: &[&str] = &[
    "attached",
    "anhang",
    "adjunto",
    "pièce jointe",
    "piece jointe",
    "вложение",
    "załącznik",
    "مرفق",
    "anexo",
    "allegato",
];
/// Android's "(file attached)" phrases (lower-case, without parentheses).
const FILE_ATTACHED: &[&str] = &[
    "file attached",
    "datei angehängt",
    "archivo adjunto",
    "fichier joint",
    "файл прикреплен",
    "файл прикреплён",
    "plik załączony",
    "załączono plik",
    "ملف مرفق",
    "arquivo anexado",
    "file allegato",
    "dosya ekli",
    "file terlampir",
    "bestand bijgevoegd",
];
/// Deleted-message phrases (lower-case, without trailing full stop).
const DELETED: &[&str] = &[
    "this message was deleted",
    "you deleted this message",
    "данное сообщение удалено",
    "это сообщение удалено",
    "сообщение удалено",
    "вы удалили данное сообщение",
    "вы удалили это сообщение",
    "se eliminó este mensaje",
    "eliminaste este mensaje",
    "ce message a été supprimé",
    "vous avez supprimé ce message",
    "diese nachricht wurde gelöscht",
    "du hast diese nachricht gelöscht",
    "ta wiadomość została usunięta",
    "usunięto tę wiadomość",
    "usunąłeś tę wiadomość",
    "تم حذف هذه الرسالة",
    "لقد حذفت هذه الرسالة",
    "you deleted this message as admin",
];
/// View-once markers (lower-case, matched as substrings of a short body).
const VIEW_ONCE: &[&str] = &[
    "view once",
    "просмотр один раз",
    "одноразов",
    "visualización única",
    "ver una vez",
    "vue unique",
    "voir une fois",
    "einmal ansehen",
    "einmalige ansicht",
    "wyświetl raz",
    "jednorazow",
    "عرض مرة واحدة",
    "العرض لمرة واحدة",
];

/// A classified body: its kind and, for attachments, the byte range of the file name in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// The kind.
    pub kind: MessageKind,
    /// Byte range of the attached file's name inside the body.
    pub file_name: Option<(usize, usize)>,
}

/// Classifies the body of a message that has an author; `multiline` says whether the body may
/// hold more than one line (saves a scan when not).
pub(crate) fn classify_lines(body: &str, multiline: bool) -> Classified {
    let plain = |kind| Classified {
        kind,
        file_name: None,
    };
    let first_line = match multiline.then(|| memchr::memchr(b'\n', body.as_bytes())) {
        Some(Some(i)) => &body[..i],
        _ => body,
    };
    let starts_invisible = body.starts_with(is_invisible);
    let first = trim_invisible(first_line);
    if first.is_empty() {
        return plain(MessageKind::Text);
    }
    if first.ends_with('>') || first.ends_with(')') {
        if let Some(range) = attachment_name(first_line) {
            return Classified {
                kind: MessageKind::Attachment,
                file_name: Some(range),
            };
        }
    }
    // Everything below is a short marker line; long texts are plain text.
    if first.len() > 80 {
        return plain(if starts_invisible {
            MessageKind::System
        } else {
            MessageKind::Text
        });
    }
    let bare = trim_invisible(first.trim_end_matches('.'));
    if bare == "null" {
        return plain(MessageKind::ViewOnce);
    }
    if DELETED.iter().any(|p| eq_fold(bare, p)) {
        return plain(MessageKind::Deleted);
    }
    let bracketed = bare.starts_with('<') && bare.ends_with('>');
    let ios_omitted = bare.len() < 40 && ends_with_fold(bare, " omitted");
    if !(starts_invisible || bracketed || ios_omitted) {
        return plain(MessageKind::Text);
    }
    let lower = bare.to_lowercase();
    if VIEW_ONCE.iter().any(|p| lower.contains(p)) {
        return plain(MessageKind::ViewOnce);
    }
    if bracketed {
        let inner = trim_invisible(&lower[1..lower.len() - 1]);
        if MEDIA_OMITTED.contains(&inner) || OMITTED_WORDS.iter().any(|w| inner.contains(w)) {
            return plain(MessageKind::MediaOmitted);
        }
    }
    if lower.split_whitespace().count() <= 4 && OMITTED_WORDS.iter().any(|w| has_word(&lower, w)) {
        return plain(MessageKind::MediaOmitted);
    }
    if starts_invisible {
        // iOS marks the events it writes itself with a leading U+200E.
        return plain(MessageKind::System);
    }
    plain(MessageKind::Text)
}

/// `text` equals the lower-case `phrase` ignoring case, without allocating.
fn eq_fold(text: &str, phrase: &str) -> bool {
    text.len() == phrase.len()
        && (!phrase.as_bytes()[0].is_ascii()
            || text.as_bytes()[0].to_ascii_lowercase() == phrase.as_bytes()[0])
        && text.chars().flat_map(char::to_lowercase).eq(phrase.chars())
}

/// `text` ends with the ASCII lower-case `suffix`, ignoring ASCII case.
fn ends_with_fold(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .any(|w| w == word)
        || (word.contains(' ') && text.contains(word))
}

/// Finds the file name in an attachment line, as a byte range into `line`.
fn attachment_name(line: &str) -> Option<(usize, usize)> {
    let lead = line.len()
        - line
            .trim_start_matches(|c: char| is_invisible(c) || c == ' ')
            .len();
    let t = line[lead..].trim_end();
    // <attached: NAME> / < attached: NAME > / <Anhang: NAME>
    if let Some(inner) = t.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
        let inner_start = lead + 1;
        let colon = inner.find(':')?;
        let label = trim_invisible(&inner[..colon]).to_lowercase();
        if !ATTACHED_LABELS.contains(&label.as_str()) {
            return None;
        }
        let name = &inner[colon + 1..];
        return span_of(line, inner_start + colon + 1, name);
    }
    // NAME <attached>
    if t.ends_with('>') {
        let open = t.rfind('<')?;
        let label = trim_invisible(&t[open + 1..t.len() - 1]).to_lowercase();
        if ATTACHED_LABELS.contains(&label.as_str()) {
            return span_of(line, lead, &t[..open]);
        }
        return None;
    }
    // NAME (file attached)
    if t.ends_with(')') {
        let open = t.rfind(" (")?;
        let phrase = trim_invisible(&t[open + 2..t.len() - 1]).to_lowercase();
        if FILE_ATTACHED.contains(&phrase.as_str()) || looks_like_media_file(&t[..open]) {
            return span_of(line, lead, &t[..open]);
        }
    }
    None
}

/// The trimmed span of `part` (which starts at byte `offset` of `line`) if it looks like a file name.
fn span_of(line: &str, offset: usize, part: &str) -> Option<(usize, usize)> {
    let trimmed_start = part.len()
        - part
            .trim_start_matches(|c: char| is_invisible(c) || c.is_whitespace())
            .len();
    let name = trim_invisible(part);
    if name.is_empty() || !has_extension(name) {
        return None;
    }
    let start = offset + trimmed_start;
    let end = start + name.len();
    (line.get(start..end) == Some(name)).then_some((start, end))
}

fn has_extension(name: &str) -> bool {
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// WhatsApp's own media file names (IMG-20210428-WA0001.jpg, PTT-…, 2015-08-04-PHOTO-….jpg).
fn looks_like_media_file(name: &str) -> bool {
    let name = trim_invisible(name);
    has_extension(name)
        && !name.contains(' ')
        && (name.contains("-WA")
            || name.contains("-PHOTO-")
            || name.contains("-VIDEO-")
            || name.contains("-AUDIO-"))
}
