//! Clients: the input form, the stored record, list queries and status history rows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::validate::{self, MAX_NAME};
use crate::{Actor, ClientId, FunnelStatus, HistoryId, Language, PartnerId, TourId, UserId};

/// Dietary needs a tour must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum Diet {
    /// No particular needs known.
    #[default]
    None,
    /// Halal food.
    Halal,
    /// Kosher food.
    Kosher,
    /// Vegetarian.
    Vegetarian,
    /// Vegan.
    Vegan,
    /// Something else, described in the notes.
    Other,
}

/// How to address the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum AddressForm {
    /// Not known yet.
    #[default]
    Unknown,
    /// Formal (Sie, vous, Вы, Pan/Pani…).
    Formal,
    /// Informal (du, tu, ты…).
    Informal,
}

/// What agents and managers must keep in mind when talking to the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct CulturalContext {
    /// Dietary needs.
    pub diet: Diet,
    /// Formal or informal address.
    pub address: AddressForm,
    /// The client's IANA time zone, e.g. "Europe/Warsaw".
    #[ts(optional = nullable)]
    pub time_zone: Option<String>,
    /// Free notes on culture and customs.
    pub notes: String,
}

/// The client form, for create and update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct ClientInput {
    /// Full name.
    pub name: String,
    /// Phone as typed; normalised to E.164.
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    /// E-mail.
    #[ts(optional = nullable)]
    pub email: Option<String>,
    /// Preferred language.
    pub language: Language,
    /// Cultural context.
    pub culture: CulturalContext,
    /// Notes.
    pub notes: String,
    /// Assigned manager.
    #[ts(optional = nullable)]
    pub manager_id: Option<UserId>,
    /// Assigned partner.
    #[ts(optional = nullable)]
    pub partner_id: Option<PartnerId>,
    /// Tours the client is interested in.
    pub tour_ids: Vec<TourId>,
}

impl ClientInput {
    /// Validates and normalises every field; `region` reads phones without a country code.
    pub fn normalised(&self, region: &str) -> AppResult<ClientInput> {
        let mut tours = self.tour_ids.clone();
        tours.sort();
        tours.dedup();
        if tours.len() > 100 {
            return Err(AppError::field(
                ErrorCode::OutOfRange,
                "tour_ids",
                "too many tours",
            ));
        }
        Ok(ClientInput {
            name: validate::required_text(&self.name, "name", MAX_NAME)?,
            phone: validate::optional_phone(self.phone.as_deref(), region, "phone")?,
            email: validate::optional_email(self.email.as_deref(), "email")?,
            language: self.language,
            culture: CulturalContext {
                diet: self.culture.diet,
                address: self.culture.address,
                time_zone: validate::time_zone(self.culture.time_zone.as_deref(), "time_zone")?,
                notes: validate::notes(&self.culture.notes, "culture_notes")?,
            },
            notes: validate::notes(&self.notes, "notes")?,
            manager_id: self.manager_id,
            partner_id: self.partner_id,
            tour_ids: tours,
        })
    }
}

/// A stored client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Client {
    /// Id.
    pub id: ClientId,
    /// Funnel status.
    pub status: FunnelStatus,
    /// Everything the form edits.
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: ClientInput,
    /// Manager's name, for display.
    #[ts(optional = nullable)]
    pub manager_name: Option<String>,
    /// Partner's name, for display.
    #[ts(optional = nullable)]
    pub partner_name: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Set while the client is in the bin.
    #[ts(optional = nullable)]
    pub deleted_at: Option<DateTime<Utc>>,
    /// Set when the client was merged into another.
    #[ts(optional = nullable)]
    pub merged_into: Option<ClientId>,
}

/// One line of the clients table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClientRow {
    /// Id.
    pub id: ClientId,
    /// Name.
    pub name: String,
    /// E.164 phone.
    #[ts(optional = nullable)]
    pub phone: Option<String>,
    /// E-mail.
    #[ts(optional = nullable)]
    pub email: Option<String>,
    /// Status.
    pub status: FunnelStatus,
    /// Language.
    pub language: Language,
    /// Manager id.
    #[ts(optional = nullable)]
    pub manager_id: Option<UserId>,
    /// Manager name.
    #[ts(optional = nullable)]
    pub manager_name: Option<String>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// How the clients table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClientSort {
    /// Recently changed first (with `desc`).
    #[default]
    Updated,
    /// Created time.
    Created,
    /// Name.
    Name,
    /// Funnel position.
    Status,
}

/// A clients-table query: search, filters, sort and page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct ClientQuery {
    /// Text searched in name, phone and e-mail, and in the text of the client's WhatsApp messages.
    #[ts(optional = nullable)]
    pub search: Option<String>,
    /// Only this status.
    #[ts(optional = nullable)]
    pub status: Option<FunnelStatus>,
    /// Only this language.
    #[ts(optional = nullable)]
    pub language: Option<Language>,
    /// Only this manager's clients.
    #[ts(optional = nullable)]
    pub manager_id: Option<UserId>,
    /// Show the bin (deleted clients) instead of live ones.
    #[serde(default)]
    pub deleted: bool,
    /// Sort column.
    #[serde(default)]
    pub sort: ClientSort,
    /// Descending.
    #[serde(default)]
    pub desc: bool,
    /// Page number from 0.
    #[serde(default)]
    pub page: u32,
    /// Rows per page (1–200; 0 means 50).
    #[serde(default)]
    pub page_size: u32,
}

impl ClientQuery {
    /// Page size clamped to 1–200, 50 by default.
    pub fn effective_page_size(&self) -> u32 {
        match self.page_size {
            0 => 50,
            n => n.min(200),
        }
    }
}

/// A page of the clients table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClientPage {
    /// The rows.
    pub rows: Vec<ClientRow>,
    /// How many rows match in all.
    pub total: u32,
}

/// A status change request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatusChangeInput {
    /// The client.
    pub client_id: ClientId,
    /// The new status.
    pub to: FunnelStatus,
    /// Why (may be empty for a drag on the board).
    pub reason: String,
    /// What shows it, e.g. a message id.
    #[ts(optional = nullable)]
    pub evidence: Option<String>,
}

/// One row of a client's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StatusChange {
    /// Id.
    pub id: HistoryId,
    /// The client.
    pub client_id: ClientId,
    /// Previous status; none for the first row.
    #[ts(optional = nullable)]
    pub from: Option<FunnelStatus>,
    /// New status.
    pub to: FunnelStatus,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: Actor,
    /// The user's or agent's name, for display.
    #[ts(optional = nullable)]
    pub actor_name: Option<String>,
    /// Why.
    pub reason: String,
    /// Evidence, e.g. the message it came from.
    #[ts(optional = nullable)]
    pub evidence: Option<String>,
}

/// A card on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BoardCard {
    /// Client id.
    pub id: ClientId,
    /// Name.
    pub name: String,
    /// Language.
    pub language: Language,
    /// Status.
    pub status: FunnelStatus,
    /// Last change to the client.
    pub updated_at: DateTime<Utc>,
}

/// One board column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BoardColumn {
    /// Status of the column.
    pub status: FunnelStatus,
    /// All clients in it.
    pub total: u32,
    /// The most recently changed cards (bounded).
    pub cards: Vec<BoardCard>,
}
