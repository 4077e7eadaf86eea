//! Tourdesk domain: ids, roles, funnel, languages, entities and the validation rules for them.
//! Nothing here does IO; time and randomness are passed in by callers.

pub mod ai;
pub mod client;
pub mod currency;
pub mod desktop;
pub mod error;
pub mod funnel;
pub mod ids;
pub mod import;
pub mod import_rules;
pub mod language;
pub mod message;
pub mod org;
pub mod partner;
pub mod tour;
pub mod translation;
pub mod validate;
pub mod whatsapp;

pub use error::{AppError, AppResult, ErrorCode};
pub use funnel::{Actor, FunnelStatus};
pub use ids::*;
pub use language::Language;
pub use org::Role;
