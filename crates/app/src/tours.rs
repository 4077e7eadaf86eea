//! Tours: the catalogue clients can be interested in.

use tourdesk_core::tour::{Tour, TourInput};
use tourdesk_core::{AppResult, TourId};
use tourdesk_store::tours;

use crate::access::Action;
use crate::{App, Session};

impl App {
    /// Every live tour.
    pub fn tour_list(&self, s: &Session) -> AppResult<Vec<Tour>> {
        let a = self.actor(s)?;
        self.store.read(|c| tours::list(c, a.tenant))
    }

    /// One tour.
    pub fn tour_get(&self, s: &Session, id: TourId) -> AppResult<Tour> {
        let a = self.actor(s)?;
        self.store.read(|c| tours::get(c, a.tenant, id))
    }

    /// Adds a tour.
    pub fn tour_create(&self, s: &Session, input: &TourInput) -> AppResult<Tour> {
        let _span = tracing::info_span!("tour_create").entered();
        let a = self.actor(s)?;
        let t = input.normalised()?;
        let id = TourId(self.new_uuid());
        let now = self.now();
        self.store
            .write(|tx| tours::insert(tx, a.tenant, id, &t, now))?;
        self.store.read(|c| tours::get(c, a.tenant, id))
    }

    /// Edits a tour.
    pub fn tour_update(&self, s: &Session, id: TourId, input: &TourInput) -> AppResult<Tour> {
        let _span = tracing::info_span!("tour_update").entered();
        let a = self.actor(s)?;
        let t = input.normalised()?;
        let now = self.now();
        self.store
            .write(|tx| tours::update(tx, a.tenant, id, &t, now))?;
        self.store.read(|c| tours::get(c, a.tenant, id))
    }

    /// Removes a tour from the catalogue (admins only).
    pub fn tour_delete(&self, s: &Session, id: TourId) -> AppResult<()> {
        let _span = tracing::info_span!("tour_delete").entered();
        let a = self.actor_for(s, Action::DeleteCatalogue)?;
        let now = self.now();
        self.store.write(|tx| tours::delete(tx, a.tenant, id, now))
    }
}
