//! Turning the sidecar's wire shapes into what the app stores.

use chrono::{DateTime, TimeZone, Utc};
use tourdesk_app::core::message::{ChatKind, Direction, MessageKind, NewMessage};
use tourdesk_app::core::whatsapp::{SendStatus, WaState};
use tourdesk_app::{phone_of_wa_id, Inbound};
use tourdesk_whatsapp::{ConnectionState, WireMessage};

/// A unix-seconds time from WhatsApp, or `fallback` when it is missing (0).
pub fn wa_time(secs: u64, fallback: DateTime<Utc>) -> DateTime<Utc> {
    i64::try_from(secs)
        .ok()
        .filter(|s| *s > 0)
        .and_then(|s| Utc.timestamp_opt(s, 0).single())
        .unwrap_or(fallback)
}

/// A message from an event or `fetch_messages` as the app stores it.
pub fn inbound(m: &WireMessage, now: DateTime<Utc>) -> Inbound {
    let kind_of_chat = if m.is_group {
        ChatKind::Group
    } else {
        ChatKind::of_wa_chat_id(&m.chat_id)
    };
    let direction = if m.from_me {
        Direction::Out
    } else {
        Direction::In
    };
    let media = m.media.as_ref();
    let kind = MessageKind::from_wa_type(&m.kind);
    // The contact of a one-to-one chat is the other side, also for our own messages.
    let phone = if kind_of_chat == ChatKind::OneToOne {
        m.sender_phone
            .as_deref()
            .filter(|_| !m.from_me)
            .map(|d| format!("+{}", d.trim_start_matches('+')))
            .or_else(|| phone_of_wa_id(&m.chat_id))
    } else {
        None
    };
    let contact_name = if m.from_me || kind_of_chat != ChatKind::OneToOne {
        None
    } else {
        m.notify_name.clone()
    };
    Inbound {
        message: NewMessage {
            wa_chat_id: m.chat_id.clone(),
            chat_kind: kind_of_chat,
            chat_title: if kind_of_chat == ChatKind::OneToOne {
                contact_name.clone().unwrap_or_default()
            } else {
                String::new()
            },
            client_id: None,
            wa_message_id: Some(m.wa_id.stable.clone()),
            direction,
            sent_at: wa_time(m.timestamp, now),
            author: m.author.clone().filter(|_| m.is_group),
            kind,
            body: m.body.clone(),
            media_path: media.and_then(|x| x.path.clone()),
            media_mime: media.and_then(|x| x.mimetype.clone()),
            quoted_wa_message_id: m
                .quoted
                .as_ref()
                .map(|q| q.stable.clone().unwrap_or_else(|| q.id.clone())),
            status: if m.from_me {
                Some(
                    m.ack
                        .and_then(SendStatus::from_ack)
                        .unwrap_or(SendStatus::Sent),
                )
            } else {
                None
            },
        },
        contact_name,
        phone,
        outbox_key: m
            .idempotency_key
            .clone()
            .filter(|_| m.from_me && m.via_sidecar),
    }
}

/// The supervisor's state as the app shows it.
pub fn wa_state(s: &ConnectionState) -> WaState {
    match s {
        ConnectionState::Stopped => WaState::NotConnected,
        ConnectionState::Starting => WaState::Starting,
        ConnectionState::Qr { qr } => WaState::Qr { qr: qr.clone() },
        ConnectionState::PairingCode { code, .. } => WaState::PairingCode { code: code.clone() },
        ConnectionState::Authenticated => WaState::Authenticated,
        ConnectionState::Ready { account } => WaState::Ready {
            account: account.clone(),
        },
        ConnectionState::Degraded {
            code,
            reason,
            next_retry_at,
            ..
        } => WaState::Degraded {
            code: code.clone(),
            reason: reason.clone(),
            next_retry_at: next_retry_at
                .and_then(|ms| i64::try_from(ms).ok())
                .and_then(|ms| Utc.timestamp_millis_opt(ms).single()),
        },
        ConnectionState::Conflict { reason, .. } => WaState::Conflict {
            reason: reason.clone(),
        },
        ConnectionState::Banned { code, reason, .. } => WaState::Banned {
            code: code.clone(),
            reason: reason.clone(),
        },
        ConnectionState::LoggedOut { reason } => WaState::LoggedOut {
            reason: reason.clone(),
        },
        ConnectionState::Failed { code, reason, .. } => WaState::Failed {
            code: code.clone(),
            reason: reason.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(chat: &str, from_me: bool) -> WireMessage {
        let v = serde_json::json!({
            "wa_id": {"stable": "100:0:ABC", "serialized": "x", "account": "100", "from_me": from_me, "id": "ABC"},
            "chat_id": chat,
            "from_me": from_me,
            "timestamp": 1_780_000_000u64,
            "type": "chat",
            "body": "Здравствуйте",
            "notify_name": "Aigul",
            "sender_phone": "79161234567",
        });
        serde_json::from_value(v).expect("wire message")
    }

    #[test]
    fn a_contacts_message_carries_their_phone_and_name() {
        let i = inbound(&wire("79161234567@c.us", false), Utc::now());
        assert_eq!(i.phone.as_deref(), Some("+79161234567"));
        assert_eq!(i.contact_name.as_deref(), Some("Aigul"));
        assert_eq!(i.message.direction, Direction::In);
        assert_eq!(i.message.status, None);
        assert_eq!(i.message.wa_message_id.as_deref(), Some("100:0:ABC"));
    }

    #[test]
    fn our_own_message_from_the_phone_is_outgoing_and_names_nobody() {
        let i = inbound(&wire("79161234567@c.us", true), Utc::now());
        assert_eq!(i.message.direction, Direction::Out);
        assert_eq!(i.message.status, Some(SendStatus::Sent));
        assert_eq!(i.contact_name, None);
        assert_eq!(i.phone.as_deref(), Some("+79161234567"), "the chat's phone");
    }

    #[test]
    fn a_group_message_links_no_phone() {
        let mut w = wire("1203630@g.us", false);
        w.is_group = true;
        let i = inbound(&w, Utc::now());
        assert_eq!(i.message.chat_kind, ChatKind::Group);
        assert_eq!(i.phone, None);
    }

    #[test]
    fn an_lid_chat_without_a_sender_phone_has_no_phone() {
        let mut w = wire("2444@lid", false);
        w.sender_phone = None;
        assert_eq!(inbound(&w, Utc::now()).phone, None);
    }

    #[test]
    fn a_missing_time_falls_back_to_now() {
        let now = Utc::now();
        assert_eq!(wa_time(0, now), now);
        assert_eq!(wa_time(1_780_000_000, now).timestamp(), 1_780_000_000);
    }
}
