//! First run, sign-in and the admin recovery code. Passwords are hashed with argon2id.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::Rng;
use tourdesk_core::org::{NewOrg, OrgCreated, Session, User};
use tourdesk_core::validate::{self, MAX_NAME};
use tourdesk_core::{AppError, AppResult, ErrorCode, Role, TenantId, UserId};
use tourdesk_store::{tenants, users};

use crate::App;

/// Hashes a password (or recovery code) with argon2id and a random salt.
pub(crate) fn hash_secret(secret: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("hash password: {e}")))
}

/// Checks a secret against a stored argon2 hash.
pub(crate) fn verify_secret(secret: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A recovery code: 4 groups of 5 characters from an alphabet without look-alikes.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..4)
        .map(|_| {
            (0..5)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The error for a second organisation in a data folder (or a folder that already has several).
fn one_org_per_folder() -> AppError {
    AppError::new(
        ErrorCode::OneOrgPerFolder,
        "this data folder already has an organisation; Tourdesk serves one organisation per data folder",
    )
}

impl App {
    /// The organisation this data folder serves (its WhatsApp, its outbox); `None` before the
    /// first run created one. A folder holding several (made before the one-per-folder rule)
    /// is refused with `one_org_per_folder` rather than serving only the first.
    pub fn folder_org(&self) -> AppResult<Option<TenantId>> {
        let all = self.store.read(tenants::all)?;
        match all.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            many => {
                tracing::error!(
                    organisations = many.len(),
                    "a data folder with several organisations"
                );
                Err(one_org_per_folder())
            }
        }
    }

    /// True when no organisation exists yet (show "create your organisation").
    pub fn is_first_run(&self) -> AppResult<bool> {
        Ok(self.store.read(tenants::count)? == 0)
    }

    /// Creates the organisation of this data folder with its first admin, who is signed in.
    /// The recovery code is returned once and stored only as a hash. The desktop, the CLI and
    /// the demo seed serve one organisation per data folder: a second one is refused
    /// (`one_org_per_folder`), so none is ever half-served.
    pub fn org_create(&self, input: &NewOrg) -> AppResult<OrgCreated> {
        let _span = tracing::info_span!("org_create").entered();
        if !self.is_first_run()? {
            return Err(one_org_per_folder());
        }
        self.org_create_unchecked(input)
    }

    /// Creates an organisation beside others in the same database, with no one-per-folder
    /// check: for the store's multi-tenant tests (isolation) and a server that serves many.
    /// Never the desktop's or the CLI's way.
    pub fn org_create_unchecked(&self, input: &NewOrg) -> AppResult<OrgCreated> {
        let _span = tracing::info_span!("org_create").entered();
        let org_name = validate::required_text(&input.org_name, "org_name", MAX_NAME)?;
        let admin_name = validate::required_text(&input.admin_name, "admin_name", MAX_NAME)?;
        let email = validate::email(&input.email, "email")?;
        validate::password(&input.password, "password")?;
        let recovery_code = new_recovery_code();
        let recovery_hash = hash_secret(&normalise_code(&recovery_code))?;
        let password_hash = hash_secret(&input.password)?;
        let now = self.now();
        let tenant_id = TenantId(self.new_uuid());
        let user = User {
            id: UserId(self.new_uuid()),
            name: admin_name,
            email,
            role: Role::Admin,
            active: true,
        };
        self.store.write(|tx| {
            tenants::insert(tx, tenant_id, &org_name, &recovery_hash, now)?;
            users::insert(tx, tenant_id, &user, &password_hash, now)
        })?;
        tracing::info!(tenant = %tenant_id, "organisation created");
        Ok(OrgCreated {
            session: Session {
                tenant_id,
                org_name,
                user,
            },
            recovery_code,
        })
    }

    /// Signs in with e-mail and password.
    pub fn sign_in(&self, email: &str, password: &str) -> AppResult<Session> {
        let _span = tracing::info_span!("sign_in").entered();
        let wrong = || AppError::new(ErrorCode::InvalidCredentials, "wrong e-mail or password");
        let email = validate::email(email, "email").map_err(|_| wrong())?;
        let candidates = self.store.read(|c| users::find_by_email(c, &email))?;
        let found = candidates
            .into_iter()
            .find(|u| verify_secret(password, &u.password_hash));
        let Some(found) = found else {
            return Err(wrong());
        };
        if !found.user.active {
            return Err(AppError::new(
                ErrorCode::UserInactive,
                "this user was deactivated by an admin",
            ));
        }
        let org = self.store.read(|c| tenants::get(c, found.tenant_id))?;
        Ok(Session {
            tenant_id: found.tenant_id,
            org_name: org.name,
            user: found.user,
        })
    }

    /// Resets an admin's forgotten password with the organisation's recovery code. Returns a
    /// new recovery code (the old one stops working). A deactivated admin is refused
    /// (`user_inactive`) while another active admin remains.
    pub fn reset_admin_password(
        &self,
        email: &str,
        recovery_code: &str,
        new_password: &str,
    ) -> AppResult<String> {
        let _span = tracing::info_span!("reset_admin_password").entered();
        let wrong = || {
            AppError::new(
                ErrorCode::InvalidRecoveryCode,
                "the e-mail or recovery code is wrong",
            )
        };
        validate::password(new_password, "password")?;
        let email = validate::email(email, "email").map_err(|_| wrong())?;
        let code = normalise_code(recovery_code);
        let candidates = self.store.read(|c| users::find_by_email(c, &email))?;
        for cand in candidates
            .into_iter()
            .filter(|u| u.user.role == Role::Admin)
        {
            let org = self.store.read(|c| tenants::get(c, cand.tenant_id))?;
            if verify_secret(&code, &org.recovery_hash) {
                let next = new_recovery_code();
                let next_hash = hash_secret(&normalise_code(&next))?;
                let pw_hash = hash_secret(new_password)?;
                let now = self.now();
                self.store.write(|tx| {
                    // A deactivated admin comes back this way only when nobody else could.
                    if !cand.user.active && users::active_admins(tx, cand.tenant_id)? > 0 {
                        return Err(AppError::new(
                            ErrorCode::UserInactive,
                            "this admin was deactivated by another admin",
                        ));
                    }
                    users::set_password(tx, cand.tenant_id, cand.user.id, &pw_hash, now)?;
                    users::update_role_active(
                        tx,
                        cand.tenant_id,
                        cand.user.id,
                        Role::Admin,
                        true,
                        now,
                    )?;
                    tenants::set_recovery_hash(tx, cand.tenant_id, &next_hash)
                })?;
                tracing::info!(tenant = %cand.tenant_id, "admin password reset with recovery code");
                return Ok(next);
            }
        }
        Err(wrong())
    }

    /// Changes the signed-in user's own password.
    pub fn change_password(&self, s: &Session, old: &str, new: &str) -> AppResult<()> {
        let a = self.actor(s)?;
        validate::password(new, "password")?;
        self.verify_own_password(s, old)?;
        let hash = hash_secret(new)?;
        let now = self.now();
        self.store
            .write(|tx| users::set_password(tx, a.tenant, a.user, &hash, now))?;
        // The encrypted key file follows the password it was sealed with (best effort).
        self.ai_fallback_rekey(old, new);
        Ok(())
    }

    /// Checks `password` is the signed-in user's current sign-in password
    /// (`invalid_credentials` when it is not).
    pub(crate) fn verify_own_password(&self, s: &Session, password: &str) -> AppResult<()> {
        let a = self.actor(s)?;
        let me = self
            .store
            .read(|c| users::find_by_email(c, &s.user.email))?;
        let ok = me
            .iter()
            .any(|u| u.user.id == a.user && verify_secret(password, &u.password_hash));
        if ok {
            Ok(())
        } else {
            Err(AppError::new(
                ErrorCode::InvalidCredentials,
                "the current password is wrong",
            ))
        }
    }
}
