//! A first funnel status suggested from signals in the conversation, with reason and source.

use serde::Serialize;

use crate::chat::Chat;
use crate::keywords::{keywords, lowercase, CURRENCY_SIGNS, CURRENCY_WORDS, PARTY};
use crate::kind::MessageKind;

/// The funnel statuses are the core domain's, so a suggestion can be stored as it is.
pub use tourdesk_core::FunnelStatus;

/// A suggested status, why, and which message (export index) it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusSuggestion {
    /// The suggested status.
    pub status: FunnelStatus,
    /// Human-readable reason, naming the signal found.
    pub reason: String,
    /// Stable code of the signal found, for translated display: `first_contact`,
    /// `service_after_sale`, `paid`, `negotiation`, `price`, `two_way` or `dates_or_party`.
    pub signal: String,
    /// The signal's value: the quoted word or price, or for `two_way` the client/other message
    /// counts as `"3/2"` (empty for `first_contact`).
    pub signal_value: String,
    /// Index of the message the signal came from (`None` for the default).
    pub message_index: Option<usize>,
}

/// Suggests a first funnel status. `client` is the client's author name when known; prices
/// count when the organisation (anyone but the client) quotes them.
pub fn suggest_status(chat: &Chat, client: Option<&str>) -> StatusSuggestion {
    // Authors compared by id, not by name, and no date resolved: this runs over every message.
    let client_id = client.map(|c| chat.author_id(c));
    suggest_status_of(
        chat.texts()
            .filter(|(_, _, kind, _)| *kind == MessageKind::Text)
            .map(|(index, author, _, text)| {
                let from_client = match (client_id, author) {
                    (Some(c), Some(a)) => Some(a) == c,
                    _ => true,
                };
                (index, from_client, text)
            }),
        client.is_some(),
    )
}

/// [`suggest_status`] over any conversation's text messages, oldest first, each as
/// `(index, from_client, text)` (e.g. history fetched from WhatsApp Web). `client_known`: false
/// when nobody could be told apart as the client (then every message counts as the client's and
/// prices count from anyone).
pub fn suggest_status_of<'a>(
    messages: impl IntoIterator<Item = (usize, bool, &'a str)>,
    client_known: bool,
) -> StatusSuggestion {
    let mut best = StatusSuggestion {
        status: FunnelStatus::NewLead,
        reason: "first contact only: no dates, party size, price or payment found".to_string(),
        signal: "first_contact".to_string(),
        signal_value: String::new(),
        message_index: None,
    };
    let mut sold_at: Option<usize> = None;
    let mut client_msgs = 0usize;
    let mut org_msgs = 0usize;
    // Replaces `best` when `status` is stronger; reason and value are only built then.
    let offer = |best: &mut StatusSuggestion,
                 status: FunnelStatus,
                 index: usize,
                 signal: &str,
                 describe: &dyn Fn() -> (String, String)| {
        if status > best.status {
            let (value, reason) = describe();
            *best = StatusSuggestion {
                status,
                reason,
                signal: signal.to_string(),
                signal_value: value,
                message_index: Some(index),
            };
        }
    };
    for (index, from_client, text) in messages {
        if best.status == FunnelStatus::Service {
            break; // nothing is stronger
        }
        if from_client {
            client_msgs += 1;
        } else {
            org_msgs += 1;
        }
        let found = keywords().scan(text);
        if let (Some(at), Some(w)) = (sold_at, found.service) {
            offer(
                &mut best,
                FunnelStatus::Service,
                index,
                "service_after_sale",
                &|| {
                    let reason = format!("after the sale (message {at}), service talk: \"{w}\"");
                    (w.to_string(), reason)
                },
            );
        }
        if let Some(w) = found.paid {
            sold_at.get_or_insert(index);
            offer(&mut best, FunnelStatus::Sold, index, "paid", &|| {
                (
                    w.to_string(),
                    format!("payment or confirmed booking: \"{w}\""),
                )
            });
        }
        if best.status >= FunnelStatus::Sold {
            continue; // only service talk after the sale can still raise it
        }
        if let Some(w) = found.negotiation {
            offer(
                &mut best,
                FunnelStatus::Negotiation,
                index,
                "negotiation",
                &|| {
                    (
                        w.to_string(),
                        format!("discount, booking or payment talk: \"{w}\""),
                    )
                },
            );
        }
        if best.status >= FunnelStatus::ProposalSent {
            continue;
        }
        // Prices and party sizes need a number: most messages have none and skip these.
        let lower = text
            .bytes()
            .any(|b| b.is_ascii_digit())
            .then(|| lowercase(text));
        if let (Some(lower), true) = (&lower, !client_known || !from_client) {
            if let Some(p) = find_price(lower) {
                offer(
                    &mut best,
                    FunnelStatus::ProposalSent,
                    index,
                    "price",
                    &|| (p.clone(), format!("price quoted: \"{p}\"")),
                );
            }
        }
        if client_msgs >= 3 && org_msgs >= 2 {
            offer(&mut best, FunnelStatus::Warmed, index, "two_way", &|| {
                let reason = format!(
                    "two-way conversation: {client_msgs} client and {org_msgs} other messages"
                );
                (format!("{client_msgs}/{org_msgs}"), reason)
            });
        }
        if best.status >= FunnelStatus::Qualified {
            continue;
        }
        let qualified = found
            .month
            .or_else(|| lower.as_deref().and_then(find_party));
        if let Some(w) = qualified {
            offer(
                &mut best,
                FunnelStatus::Qualified,
                index,
                "dates_or_party",
                &|| {
                    (
                        w.to_string(),
                        format!("travel dates or party size: \"{w}\""),
                    )
                },
            );
        }
    }
    best
}

/// "2 adults", "3 человека": a number followed by a party word.
fn find_party(text: &str) -> Option<&'static str> {
    let mut prev_number = false;
    for token in text.split_whitespace() {
        if prev_number {
            if let Some(w) = PARTY.iter().find(|w| token.starts_with(*w)) {
                return Some(w);
            }
        }
        prev_number = !token.is_empty() && token.chars().all(|c| c.is_ascii_digit());
    }
    None
}

/// A number with a currency sign or word right before or after it.
fn find_price(text: &str) -> Option<String> {
    let mut tokens = text.split_whitespace().peekable();
    let mut prev = "";
    while let Some(t) = tokens.next() {
        let next = tokens.peek().copied().unwrap_or("");
        if let Some(p) = price_at(prev, t, next) {
            return Some(p);
        }
        prev = t;
    }
    None
}

/// The price `t` makes with its neighbours, if it is a number with a currency.
fn price_at(prev: &str, t: &str, next: &str) -> Option<String> {
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if t.contains(CURRENCY_SIGNS) {
        return Some(t.to_string());
    }
    let trimmed = t.trim_start_matches(|c: char| c.is_ascii_digit() || ",.' ".contains(c));
    let cur = |s: &str| {
        let s = s.trim_matches(|c: char| c.is_ascii_punctuation());
        CURRENCY_WORDS.contains(&s)
    };
    if !trimmed.is_empty() && cur(trimmed) {
        return Some(t.to_string());
    }
    if cur(next) || next.starts_with(CURRENCY_SIGNS) {
        return Some(format!("{t} {next}"));
    }
    if cur(prev) || prev.ends_with(CURRENCY_SIGNS) {
        return Some(format!("{prev} {t}"));
    }
    None
}
