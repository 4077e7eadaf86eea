//! Who the client is: the participant who is not one of the organisation's own names.

use serde::Serialize;

use crate::chat::Chat;
use crate::text::clean_name;

/// The client of a conversation as far as the export tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientGuess {
    /// The client's name as written in the export (or the file name), if one could be chosen.
    pub name: Option<String>,
    /// Phone number in `+digits` form, from the author or the file name.
    pub phone: Option<String>,
    /// More than two participants wrote: a group chat, not one client.
    pub is_group: bool,
    /// Participants who are not the organisation's own names.
    pub others: Vec<String>,
}

/// Connectors between "WhatsApp Chat" and the contact in localised export file names.
const CONNECTORS: &[&str] = &[
    " with ", " con ", " mit ", " с ", " avec ", " z ", " ze ", " مع ", " com ", " met ", " ile ",
    " - ",
];

/// The contact named by an export file name ("WhatsApp Chat with +62 821-…", "Чат WhatsApp с Иван").
pub fn contact_from_file_name(file_name: &str) -> Option<String> {
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = stem
        .strip_suffix(".txt")
        .or_else(|| stem.strip_suffix(".zip"))
        .or_else(|| stem.strip_suffix(".TXT"))
        .or_else(|| stem.strip_suffix(".ZIP"))
        .unwrap_or(stem);
    let lower = stem.to_lowercase();
    let anchor = ["whatsapp", "واتساب"]
        .iter()
        .filter_map(|w| lower.find(w).map(|i| i + w.len()))
        .min()?;
    // `lower` and `stem` differ in byte length only for rare characters; map by char count.
    let anchor_chars = lower.get(..anchor)?.chars().count();
    let after: String = stem.chars().skip(anchor_chars).collect();
    let after_lower = after.to_lowercase();
    let (pos, conn) = CONNECTORS
        .iter()
        .filter_map(|c| after_lower.find(c).map(|p| (p, c.len())))
        .min_by_key(|(p, _)| *p)?;
    let name_chars = after_lower.get(..pos + conn)?.chars().count();
    let name: String = after.chars().skip(name_chars).collect();
    let name = strip_copy_suffix(name.trim());
    let name = clean_name(name);
    (!name.is_empty()).then_some(name)
}

/// Drops the " (1)" a browser or phone appends to a repeated download.
fn strip_copy_suffix(s: &str) -> &str {
    if let Some(open) = s.rfind(" (") {
        let inner = &s[open + 2..];
        if let Some(num) = inner.strip_suffix(')') {
            if !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()) {
                return s[..open].trim_end();
            }
        }
    }
    s
}

/// `+digits` if `s` is written as a phone number (`+62 821-5555-0101`, `(495) 123-45-67`).
pub fn phone_from(s: &str) -> Option<String> {
    let s = clean_name(s);
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    if s.is_empty() || !s.chars().all(allowed) {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if !(7..=15).contains(&digits.len()) {
        return None;
    }
    Some(if s.trim_start().starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    })
}

/// Names the client: the participant not among `own_names` (case-insensitive), else the contact
/// in the file name; phone from the author when it is a number, else from the file name.
pub fn identify_client(chat: &Chat, own_names: &[String], file_name: Option<&str>) -> ClientGuess {
    let own: Vec<String> = own_names
        .iter()
        .map(|n| clean_name(n).to_lowercase())
        .collect();
    let participants = chat.participants();
    let others: Vec<String> = participants
        .iter()
        .filter(|p| !own.contains(&p.to_lowercase()))
        .map(|p| p.to_string())
        .collect();
    let is_group = participants.len() > 2;
    let from_file = file_name.and_then(contact_from_file_name);
    let name = if is_group {
        from_file.clone()
    } else if others.len() == 1 {
        others.first().cloned()
    } else {
        from_file
            .clone()
            .filter(|f| others.is_empty() || others.iter().any(|o| o == f))
            .or_else(|| (others.len() == 1).then(|| others[0].clone()))
    };
    let phone = name
        .as_deref()
        .and_then(phone_from)
        .or_else(|| from_file.as_deref().and_then(phone_from));
    ClientGuess {
        name,
        phone,
        is_group,
        others,
    }
}
