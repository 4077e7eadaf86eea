//! Who may do what: the one place roles are enforced, and where every session is re-checked
//! against the store before a use case runs.

use tourdesk_core::{AppError, AppResult, ErrorCode, Role, TenantId};
use tourdesk_store::users;

use crate::{Actor, App, Session};

/// Actions some roles may not take. Everything not listed here is open to every signed-in user
/// of the organisation (its own data only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Add users.
    AddUser,
    /// Change a user's role.
    ChangeRole,
    /// Deactivate or reactivate a user.
    SetUserActive,
    /// Change organisation-wide settings.
    ChangeOrgSettings,
    /// Create a backup by hand or restore one.
    ManageBackups,
    /// Delete tours and partners from the catalogue.
    DeleteCatalogue,
    /// Set up the AI provider: settings, API key, connection test.
    ManageAi,
    /// Log the organisation's WhatsApp out and change its WhatsApp settings.
    ManageWhatsApp,
}

impl Action {
    /// Every guarded action (tests walk this list).
    pub const ALL: [Action; 8] = [
        Action::AddUser,
        Action::ChangeRole,
        Action::SetUserActive,
        Action::ChangeOrgSettings,
        Action::ManageBackups,
        Action::DeleteCatalogue,
        Action::ManageAi,
        Action::ManageWhatsApp,
    ];

    /// Whether `role` may take this action.
    pub fn allowed(self, role: Role) -> bool {
        match role {
            Role::Admin => true,
            Role::Manager => false,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Action::AddUser => "add users",
            Action::ChangeRole => "change roles",
            Action::SetUserActive => "deactivate users",
            Action::ChangeOrgSettings => "change organisation settings",
            Action::ManageBackups => "manage backups",
            Action::DeleteCatalogue => "delete tours and partners",
            Action::ManageAi => "set up the AI provider",
            Action::ManageWhatsApp => "log WhatsApp out or change its settings",
        }
    }
}

impl App {
    /// Re-reads the session's user: must exist in its organisation and be active.
    pub(crate) fn actor(&self, s: &Session) -> AppResult<Actor> {
        let user = self
            .store
            .read(|c| users::get(c, s.tenant_id, s.user.id))
            .map_err(|e| match e.code {
                ErrorCode::NotFound => {
                    AppError::new(ErrorCode::NotSignedIn, "please sign in again")
                }
                _ => e,
            })?;
        if !user.active {
            return Err(AppError::new(
                ErrorCode::UserInactive,
                "this user was deactivated",
            ));
        }
        Ok(Actor {
            tenant: s.tenant_id,
            user: user.id,
            role: user.role,
        })
    }

    /// Checks that the session may use WhatsApp (connect, link, reconnect: any active user);
    /// returns its organisation.
    pub fn wa_may_use(&self, s: &Session) -> AppResult<TenantId> {
        Ok(self.actor(s)?.tenant)
    }

    /// Checks that the session may manage WhatsApp (log out, settings: admins only); returns
    /// its organisation.
    pub fn wa_may_manage(&self, s: &Session) -> AppResult<TenantId> {
        Ok(self.actor_for(s, Action::ManageWhatsApp)?.tenant)
    }

    /// [`App::actor`] plus the role check for a guarded action.
    pub(crate) fn actor_for(&self, s: &Session, action: Action) -> AppResult<Actor> {
        let actor = self.actor(s)?;
        if !action.allowed(actor.role) {
            tracing::warn!(action = action.name(), "refused by role");
            return Err(AppError::forbidden(action.name()));
        }
        Ok(actor)
    }
}
