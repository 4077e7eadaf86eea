//! Partners: guides, drivers, hotels and others who serve the tours.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::validate::{self, MAX_NAME};
use crate::{Language, PartnerId};

/// What a partner does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    /// A local guide.
    #[default]
    Guide,
    /// A driver.
    Driver,
    /// A hotel or guest house.
    Hotel,
    /// Anything else.
    Other,
}

/// The partner form, for create and update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct PartnerInput {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: PartnerKind,
    /// Phone as typed; normalised to E.164.
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    /// Telegram chat: `@username` or a numeric chat id.
    #[ts(optional = nullable)]
    pub telegram_chat: Option<String>,
    /// Languages the partner speaks.
    pub languages: Vec<Language>,
    /// Notes.
    pub notes: String,
}

impl PartnerInput {
    /// Validates and normalises the form.
    pub fn normalised(&self, region: &str) -> AppResult<PartnerInput> {
        let mut languages: Vec<Language> = self
            .languages
            .iter()
            .copied()
            .filter(|l| *l != Language::Unknown)
            .collect();
        languages.dedup();
        let mut seen = Vec::new();
        languages.retain(|l| {
            let fresh = !seen.contains(l);
            seen.push(*l);
            fresh
        });
        Ok(PartnerInput {
            name: validate::required_text(&self.name, "name", MAX_NAME)?,
            kind: self.kind,
            phone: validate::optional_phone(self.phone.as_deref(), region, "phone")?,
            telegram_chat: telegram_chat(self.telegram_chat.as_deref())?,
            languages,
            notes: validate::notes(&self.notes, "notes")?,
        })
    }
}

/// `@username` (5–32 letters, digits, underscores) or a numeric chat id such as -1001234567890.
fn telegram_chat(value: Option<&str>) -> AppResult<Option<String>> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let bad = || {
        AppError::field(
            ErrorCode::InvalidChoice,
            "telegram_chat",
            "a Telegram chat is @username or a numeric chat id",
        )
    };
    if let Some(user) = v.strip_prefix('@') {
        let ok = (5..=32).contains(&user.len())
            && user.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        return if ok {
            Ok(Some(v.to_string()))
        } else {
            Err(bad())
        };
    }
    let digits = v.strip_prefix('-').unwrap_or(v);
    if !digits.is_empty() && digits.len() <= 20 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(v.to_string()))
    } else {
        Err(bad())
    }
}

/// A stored partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Partner {
    /// Id.
    pub id: PartnerId,
    /// The form fields.
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: PartnerInput,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}
