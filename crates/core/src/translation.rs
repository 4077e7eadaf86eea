//! The chat translator as the UI sees it: a message's translation into the manager's language
//! and the preview of a reply in the client's language. Model failures are data here (a status
//! and an error code), never errors: the message stays readable and nothing blocks the inbox.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ai::AiFailure;
use crate::{Language, MessageId};

/// How a translation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum TranslationStatus {
    /// Translated; `text` holds it.
    #[default]
    Ok,
    /// The model call failed; `error` says why. Show the original with "retry".
    Failed,
    /// No AI provider is set up; the translator says how to set one up.
    NotConfigured,
    /// Nothing to translate: the text is already in the target language, or has no words.
    NotNeeded,
}

impl TranslationStatus {
    /// Every status, in declaration order.
    pub const ALL: [TranslationStatus; 4] = [
        TranslationStatus::Ok,
        TranslationStatus::Failed,
        TranslationStatus::NotConfigured,
        TranslationStatus::NotNeeded,
    ];

    /// The stable snake_case code (the same text serde writes).
    pub fn code(self) -> &'static str {
        match self {
            TranslationStatus::Ok => "ok",
            TranslationStatus::Failed => "failed",
            TranslationStatus::NotConfigured => "not_configured",
            TranslationStatus::NotNeeded => "not_needed",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One problem the checker found in a translation (run in code, never trusted to the model).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct TranslationFlag {
    /// `token_missing`, `token_repeated`, `unknown_placeholder` (a tour name, link, e-mail,
    /// phone or emoji did not survive), `fact_missing` (a number, price, date or time of the
    /// original is missing or changed) or `fact_added` (the translation has one the original
    /// does not).
    pub code: String,
    /// What it is about: the token as written ("Golden Ring", a link), or the value
    /// ("15.05", "1200", "USD", "10:30").
    pub value: String,
}

/// A message's translation into one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MessageTranslation {
    /// The message.
    pub message_id: MessageId,
    /// The target language (the manager's).
    pub language: Language,
    /// The language the message is written in, when known.
    #[ts(optional = nullable)]
    pub source_language: Option<Language>,
    /// The translated text (status `ok` only).
    #[ts(optional = nullable)]
    pub text: Option<String>,
    /// Translated, failed, not configured, or not needed.
    pub status: TranslationStatus,
    /// Why it failed (status `failed`; `not_configured` too).
    #[ts(optional = nullable)]
    pub error: Option<AiFailure>,
    /// Problems the checker found (status `ok`); empty when every token and value survived.
    pub flags: Vec<TranslationFlag>,
}

/// The preview of a reply before sending: the manager's text in the client's language, editable,
/// with a back-translation into the manager's language to check the meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReplyPreview {
    /// False when the client's language is the manager's or is not known: send as typed.
    pub needed: bool,
    /// The client's language (`unknown` when it could not be told).
    pub client_language: Language,
    /// The manager's language (the text as typed).
    pub manager_language: Language,
    /// The text to send: the translation (status `ok`), the text as typed (`not_needed`), or
    /// empty (`failed`, `not_configured`: sending untranslated needs an explicit choice).
    pub text: String,
    /// The translation rendered back into the manager's language (status `ok`), else empty.
    pub back_translation: String,
    /// Problems the checker found in the translation.
    pub flags: Vec<TranslationFlag>,
    /// Translated, failed, not configured, or not needed.
    pub status: TranslationStatus,
    /// Why it failed, when it did.
    #[ts(optional = nullable)]
    pub error: Option<AiFailure>,
}

#[cfg(test)]
mod tests {
    use super::TranslationStatus;

    #[test]
    fn statuses_round_trip_through_their_codes() {
        for s in TranslationStatus::ALL {
            assert_eq!(TranslationStatus::from_code(s.code()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).ok(),
                Some(format!("\"{}\"", s.code()))
            );
        }
    }
}
