//! Organisation settings and each user's UI language.

use tourdesk_core::org::OrgSettings;
use tourdesk_core::{validate, AppError, AppResult, ErrorCode};
use tourdesk_store::{tenants, users};

use crate::access::Action;
use crate::{App, Session};

/// The UI languages.
pub const UI_LANGUAGES: [&str; 2] = ["ru", "en"];

impl App {
    /// The organisation's settings.
    pub fn settings_get(&self, s: &Session) -> AppResult<OrgSettings> {
        let a = self.actor(s)?;
        Ok(self.store.read(|c| tenants::get(c, a.tenant))?.settings)
    }

    /// Changes organisation settings (admins only).
    pub fn settings_update(&self, s: &Session, input: &OrgSettings) -> AppResult<OrgSettings> {
        let _span = tracing::info_span!("settings_update").entered();
        let a = self.actor_for(s, Action::ChangeOrgSettings)?;
        let settings = OrgSettings {
            default_region: validate::region(&input.default_region, "default_region")?,
            backups_keep: input.backups_keep,
        };
        if !(1..=100).contains(&settings.backups_keep) {
            return Err(AppError::field(
                ErrorCode::OutOfRange,
                "backups_keep",
                "keep 1 to 100 backups",
            ));
        }
        self.store
            .write(|tx| tenants::update_settings(tx, a.tenant, &settings))?;
        Ok(settings)
    }

    /// The signed-in user's UI language.
    pub fn ui_language_get(&self, s: &Session) -> AppResult<String> {
        let a = self.actor(s)?;
        self.store.read(|c| users::ui_language(c, a.tenant, a.user))
    }

    /// Saves the signed-in user's UI language ("ru" or "en").
    pub fn ui_language_set(&self, s: &Session, lang: &str) -> AppResult<()> {
        let a = self.actor(s)?;
        if !UI_LANGUAGES.contains(&lang) {
            return Err(AppError::field(
                ErrorCode::InvalidChoice,
                "ui_language",
                "the UI speaks ru or en",
            ));
        }
        self.store
            .write(|tx| users::set_ui_language(tx, a.tenant, a.user, lang))
    }
}
