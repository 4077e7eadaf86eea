//! User management: admins add managers, change roles, deactivate and reactivate users.

use tourdesk_core::org::{NewUser, User};
use tourdesk_core::validate::{self, MAX_NAME};
use tourdesk_core::{AppError, AppResult, ErrorCode, Role, UserId};
use tourdesk_store::users;

use crate::access::Action;
use crate::auth::hash_secret;
use crate::{App, Session};

impl App {
    /// Every user of the organisation (any signed-in user may see who their colleagues are).
    pub fn user_list(&self, s: &Session) -> AppResult<Vec<User>> {
        let a = self.actor(s)?;
        self.store.read(|c| users::list(c, a.tenant))
    }

    /// Adds a user (admins only).
    pub fn user_add(&self, s: &Session, input: &NewUser) -> AppResult<User> {
        let _span = tracing::info_span!("user_add").entered();
        let a = self.actor_for(s, Action::AddUser)?;
        let user = User {
            id: UserId(self.new_uuid()),
            name: validate::required_text(&input.name, "name", MAX_NAME)?,
            email: validate::email(&input.email, "email")?,
            role: input.role,
            active: true,
        };
        validate::password(&input.password, "password")?;
        let hash = hash_secret(&input.password)?;
        let now = self.now();
        self.store
            .write(|tx| users::insert(tx, a.tenant, &user, &hash, now))?;
        Ok(user)
    }

    /// Changes a user's role (admins only; the last active admin stays an admin).
    pub fn user_set_role(&self, s: &Session, id: UserId, role: Role) -> AppResult<User> {
        let _span = tracing::info_span!("user_set_role").entered();
        let a = self.actor_for(s, Action::ChangeRole)?;
        self.change_user(a.tenant, id, |u| u.role = role)
    }

    /// Deactivates or reactivates a user (admins only; the last active admin cannot go).
    pub fn user_set_active(&self, s: &Session, id: UserId, active: bool) -> AppResult<User> {
        let _span = tracing::info_span!("user_set_active").entered();
        let a = self.actor_for(s, Action::SetUserActive)?;
        self.change_user(a.tenant, id, |u| u.active = active)
    }

    fn change_user(
        &self,
        tenant: tourdesk_core::TenantId,
        id: UserId,
        f: impl FnOnce(&mut User),
    ) -> AppResult<User> {
        let now = self.now();
        self.store.write(|tx| {
            let mut user = users::get(tx, tenant, id)?;
            let was_admin = user.role == Role::Admin && user.active;
            f(&mut user);
            users::update_role_active(tx, tenant, id, user.role, user.active, now)?;
            let is_admin = user.role == Role::Admin && user.active;
            if was_admin && !is_admin && users::active_admins(tx, tenant)? == 0 {
                return Err(AppError::new(
                    ErrorCode::LastAdmin,
                    "the organisation must keep at least one active admin",
                ));
            }
            Ok(user)
        })
    }
}
