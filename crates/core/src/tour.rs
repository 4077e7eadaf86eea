//! Tours (products): the form, its rules and the stored record.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::validate::{self, MAX_NAME, MAX_SHORT};
use crate::TourId;

/// How demanding a tour is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    /// Anyone can do it.
    #[default]
    Easy,
    /// Some fitness needed.
    Moderate,
    /// Good fitness needed.
    Hard,
    /// Experience needed.
    Expert,
}

/// The tour form, for create and update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TourInput {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Price in minor units of the currency (e.g. cents).
    #[ts(type = "number")]
    pub price_minor: i64,
    /// ISO-4217 currency code.
    pub currency: String,
    /// Duration in days.
    pub duration_days: u32,
    /// Months (1–12) in which the tour runs.
    pub season_months: Vec<u8>,
    /// Fixed departure dates (YYYY-MM-DD), when the tour has them.
    pub departures: Vec<NaiveDate>,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Smallest group.
    pub group_min: u32,
    /// Largest group.
    pub group_max: u32,
    /// Tags such as "halal-friendly".
    pub tags: Vec<String>,
    /// Offered now.
    pub active: bool,
}

impl TourInput {
    /// Validates and normalises the form.
    pub fn normalised(&self) -> AppResult<TourInput> {
        let currency = self.currency.trim().to_uppercase();
        if crate::currency::minor_digits(&currency).is_none() {
            return Err(AppError::field(
                ErrorCode::InvalidCurrency,
                "currency",
                "the currency must be an ISO-4217 code such as USD, EUR or KGS",
            ));
        }
        if self.price_minor < 0 || self.price_minor > 1_000_000_000_000 {
            return Err(range("price_minor", "the price must be zero or more"));
        }
        if !(1..=365).contains(&self.duration_days) {
            return Err(range("duration_days", "the duration must be 1 to 365 days"));
        }
        if self.group_min < 1 || self.group_max < self.group_min || self.group_max > 1000 {
            return Err(range(
                "group_max",
                "the group size must be at least 1 and max not below min",
            ));
        }
        let mut months = self.season_months.clone();
        if months.iter().any(|m| !(1..=12).contains(m)) {
            return Err(range("season_months", "months are 1 to 12"));
        }
        months.sort_unstable();
        months.dedup();
        let mut departures = self.departures.clone();
        if departures.len() > 366 {
            return Err(range("departures", "too many departure dates"));
        }
        departures.sort_unstable();
        departures.dedup();
        let mut tags = Vec::new();
        for tag in &self.tags {
            let t = validate::required_text(tag, "tags", 60)?.to_lowercase();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        if tags.len() > 30 {
            return Err(range("tags", "too many tags"));
        }
        Ok(TourInput {
            title: validate::required_text(&self.title, "title", MAX_NAME)?,
            description: validate::notes(&self.description, "description")?,
            price_minor: self.price_minor,
            currency,
            duration_days: self.duration_days,
            season_months: months,
            departures,
            difficulty: self.difficulty,
            group_min: self.group_min,
            group_max: self.group_max,
            tags,
            active: self.active,
        })
        .and_then(|t| {
            if t.tags.iter().any(|x| x.chars().count() > MAX_SHORT) {
                Err(range("tags", "tag too long"))
            } else {
                Ok(t)
            }
        })
    }
}

fn range(field: &str, message: &str) -> AppError {
    AppError::field(ErrorCode::OutOfRange, field, message)
}

/// A stored tour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Tour {
    /// Id.
    pub id: TourId,
    /// The form fields.
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: TourInput,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}
