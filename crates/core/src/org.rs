//! Organisations, users and roles.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{TenantId, UserId};

/// A user's role in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users, settings and backups, and does everything a manager does.
    Admin,
    /// A sales manager.
    Manager,
}

impl Role {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
        }
    }
    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "admin" => Some(Role::Admin),
            "manager" => Some(Role::Manager),
            _ => None,
        }
    }
}

/// A user as the UI sees it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Sign-in e-mail.
    pub email: String,
    /// Role.
    pub role: Role,
    /// False once deactivated.
    pub active: bool,
}

/// The signed-in user and their organisation; the shell keeps it, the UI never sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Session {
    /// The organisation.
    pub tenant_id: TenantId,
    /// Organisation name.
    pub org_name: String,
    /// The user.
    pub user: User,
}

/// What the first-run form sends.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewOrg {
    /// Organisation name.
    pub org_name: String,
    /// The first admin's name.
    pub admin_name: String,
    /// The first admin's e-mail.
    pub email: String,
    /// The first admin's password.
    pub password: String,
}

/// Result of creating an organisation: the session and the recovery code, shown once.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct OrgCreated {
    /// The admin, signed in.
    pub session: Session,
    /// Resets a forgotten admin password; stored only as a hash.
    pub recovery_code: String,
}

/// What the "add user" form sends.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewUser {
    /// Display name.
    pub name: String,
    /// Sign-in e-mail.
    pub email: String,
    /// Initial password.
    pub password: String,
    /// Role.
    pub role: Role,
}

/// Organisation-wide settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrgSettings {
    /// ISO 3166 region used to read phone numbers written without a country code.
    pub default_region: String,
    /// How many automatic backups to keep.
    pub backups_keep: u32,
}

/// Whether the installation has an organisation yet (first run) and who is signed in.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StartupState {
    /// True when no organisation exists: show "create your organisation".
    pub first_run: bool,
    /// The signed-in session, if any.
    #[ts(optional = nullable)]
    pub session: Option<Session>,
}
