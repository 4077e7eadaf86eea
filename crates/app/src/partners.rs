//! Partners: guides, drivers and hotels assigned to clients.

use tourdesk_core::partner::{Partner, PartnerInput};
use tourdesk_core::{AppResult, PartnerId};
use tourdesk_store::partners;

use crate::access::Action;
use crate::{App, Session};

impl App {
    /// Every live partner.
    pub fn partner_list(&self, s: &Session) -> AppResult<Vec<Partner>> {
        let a = self.actor(s)?;
        self.store.read(|c| partners::list(c, a.tenant))
    }

    /// One partner.
    pub fn partner_get(&self, s: &Session, id: PartnerId) -> AppResult<Partner> {
        let a = self.actor(s)?;
        self.store.read(|c| partners::get(c, a.tenant, id))
    }

    /// Adds a partner.
    pub fn partner_create(&self, s: &Session, input: &PartnerInput) -> AppResult<Partner> {
        let _span = tracing::info_span!("partner_create").entered();
        let a = self.actor(s)?;
        let p = input.normalised(&self.phone_region(a.tenant)?)?;
        let id = PartnerId(self.new_uuid());
        let now = self.now();
        self.store
            .write(|tx| partners::insert(tx, a.tenant, id, &p, now))?;
        self.store.read(|c| partners::get(c, a.tenant, id))
    }

    /// Edits a partner.
    pub fn partner_update(
        &self,
        s: &Session,
        id: PartnerId,
        input: &PartnerInput,
    ) -> AppResult<Partner> {
        let _span = tracing::info_span!("partner_update").entered();
        let a = self.actor(s)?;
        let p = input.normalised(&self.phone_region(a.tenant)?)?;
        let now = self.now();
        self.store
            .write(|tx| partners::update(tx, a.tenant, id, &p, now))?;
        self.store.read(|c| partners::get(c, a.tenant, id))
    }

    /// Removes a partner (admins only); clients assigned to it lose the assignment.
    pub fn partner_delete(&self, s: &Session, id: PartnerId) -> AppResult<()> {
        let _span = tracing::info_span!("partner_delete").entered();
        let a = self.actor_for(s, Action::DeleteCatalogue)?;
        let now = self.now();
        self.store
            .write(|tx| partners::delete(tx, a.tenant, id, now))
    }
}
