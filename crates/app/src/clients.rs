//! Clients: create, edit, bin and restore, merge, list and board.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tourdesk_core::client::{
    BoardColumn, Client, ClientInput, ClientPage, ClientQuery, StatusChange,
};
use tourdesk_core::{
    Actor as ChangeActor, AppError, AppResult, ClientId, ErrorCode, FunnelStatus, HistoryId,
    TenantId,
};
use tourdesk_store::clients::{self, Linkable};
use tourdesk_store::{chats, history, tenants, Store};
use ts_rs::TS;

use crate::{App, Session};

/// A client with its status history, for the client page.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ClientDetail {
    /// The client.
    pub client: Client,
    /// Status changes, oldest first.
    pub history: Vec<StatusChange>,
}

/// Checks that every id the form links to is a live row of the same organisation.
fn check_links(store: &Store, tenant: TenantId, f: &ClientInput) -> AppResult<()> {
    store.read(|c| {
        let missing = |field: &str, what: &str| AppError {
            code: ErrorCode::NotFound,
            message: format!("{what} not found"),
            field: Some(field.into()),
            existing_id: None,
        };
        if let Some(m) = f.manager_id {
            if !clients::exists_live(c, Linkable::User, tenant, &m.to_string())? {
                return Err(missing("manager_id", "manager"));
            }
        }
        if let Some(p) = f.partner_id {
            if !clients::exists_live(c, Linkable::Partner, tenant, &p.to_string())? {
                return Err(missing("partner_id", "partner"));
            }
        }
        for t in &f.tour_ids {
            if !clients::exists_live(c, Linkable::Tour, tenant, &t.to_string())? {
                return Err(missing("tour_ids", "tour"));
            }
        }
        Ok(())
    })
}

/// A client to create together with its first history row: who or what created it and why.
pub(crate) struct NewLead<'a> {
    /// The client's fields, already normalised.
    pub input: &'a ClientInput,
    /// Where it starts in the funnel (`new_lead`, or what an import suggested).
    pub status: FunnelStatus,
    /// Who created it (a user, WhatsApp, an import).
    pub actor: ChangeActor,
    /// The history row's reason.
    pub reason: String,
    /// The history row's evidence, if any.
    pub evidence: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl App {
    /// The organisation's phone region (numbers typed without a country code are read in it).
    pub(crate) fn phone_region(&self, tenant: TenantId) -> AppResult<String> {
        Ok(self
            .store
            .read(|c| tenants::get(c, tenant))?
            .settings
            .default_region)
    }

    /// Inserts a client with its first history row, inside the caller's transaction: the one
    /// way a client comes into being (the clients page, WhatsApp, the import, the demo seed).
    pub(crate) fn insert_lead(
        &self,
        tx: &tourdesk_store::Connection,
        tenant: TenantId,
        lead: &NewLead<'_>,
    ) -> AppResult<ClientId> {
        let id = ClientId(self.new_uuid());
        clients::insert(tx, tenant, id, lead.input, lead.status, lead.at)?;
        history::insert(
            tx,
            tenant,
            &StatusChange {
                id: HistoryId(self.new_uuid()),
                client_id: id,
                from: None,
                to: lead.status,
                at: lead.at,
                actor: lead.actor.clone(),
                actor_name: None,
                reason: lead.reason.clone(),
                evidence: lead.evidence.clone(),
            },
        )?;
        Ok(id)
    }

    /// Creates a client in `new_lead`; the first history row records who created it.
    pub fn client_create(&self, s: &Session, input: &ClientInput) -> AppResult<Client> {
        let _span = tracing::info_span!("client_create").entered();
        let a = self.actor(s)?;
        let f = input.normalised(&self.phone_region(a.tenant)?)?;
        check_links(&self.store, a.tenant, &f)?;
        let lead = NewLead {
            input: &f,
            status: FunnelStatus::NewLead,
            actor: ChangeActor::User(a.user),
            reason: "created".into(),
            evidence: None,
            at: self.now(),
        };
        let id = self
            .store
            .write(|tx| self.insert_lead(tx, a.tenant, &lead))?;
        self.store.read(|c| clients::get(c, a.tenant, id))
    }

    /// Replaces the client's editable fields.
    pub fn client_update(
        &self,
        s: &Session,
        id: ClientId,
        input: &ClientInput,
    ) -> AppResult<Client> {
        let _span = tracing::info_span!("client_update").entered();
        let a = self.actor(s)?;
        let f = input.normalised(&self.phone_region(a.tenant)?)?;
        check_links(&self.store, a.tenant, &f)?;
        let now = self.now();
        self.store
            .write(|tx| clients::update(tx, a.tenant, id, &f, now))?;
        self.store.read(|c| clients::get(c, a.tenant, id))
    }

    /// The client page: the client (live or in the bin) and its status history.
    pub fn client_get(&self, s: &Session, id: ClientId) -> AppResult<ClientDetail> {
        let a = self.actor(s)?;
        self.store.read(|c| {
            Ok(ClientDetail {
                client: clients::get(c, a.tenant, id)?,
                history: history::for_client(c, a.tenant, id)?,
            })
        })
    }

    /// Moves a client to the bin; [`App::client_restore`] undoes it.
    pub fn client_delete(&self, s: &Session, id: ClientId) -> AppResult<()> {
        let _span = tracing::info_span!("client_delete").entered();
        let a = self.actor(s)?;
        let now = self.now();
        self.store
            .write(|tx| clients::soft_delete(tx, a.tenant, id, None, now))
    }

    /// Brings a client back from the bin.
    pub fn client_restore(&self, s: &Session, id: ClientId) -> AppResult<Client> {
        let _span = tracing::info_span!("client_restore").entered();
        let a = self.actor(s)?;
        let now = self.now();
        self.store
            .write(|tx| clients::restore(tx, a.tenant, id, now))?;
        self.store.read(|c| clients::get(c, a.tenant, id))
    }

    /// Merges `remove` into `keep`: empty fields of `keep` are filled from `remove`, history,
    /// tour links and WhatsApp chats (with their messages) move to `keep`, and `remove` is
    /// marked merged (kept for the record).
    pub fn client_merge(&self, s: &Session, keep: ClientId, remove: ClientId) -> AppResult<Client> {
        let _span = tracing::info_span!("client_merge").entered();
        let a = self.actor(s)?;
        if keep == remove {
            return Err(AppError::new(
                ErrorCode::Conflict,
                "a client cannot be merged into itself",
            ));
        }
        let now = self.now();
        self.store.write(|tx| {
            let kept = clients::get(tx, a.tenant, keep)?;
            let gone = clients::get(tx, a.tenant, remove)?;
            if kept.deleted_at.is_some() || gone.deleted_at.is_some() {
                return Err(AppError::not_found("client"));
            }
            let mut f = kept.fields.clone();
            let g = &gone.fields;
            if f.phone.is_none() && g.phone.is_some() {
                clients::clear_phone(tx, a.tenant, remove)?;
                f.phone = g.phone.clone();
            }
            f.email = f.email.or_else(|| g.email.clone());
            if f.language == tourdesk_core::Language::Unknown {
                f.language = g.language;
            }
            f.manager_id = f.manager_id.or(g.manager_id);
            f.partner_id = f.partner_id.or(g.partner_id);
            f.culture.time_zone = f.culture.time_zone.or_else(|| g.culture.time_zone.clone());
            if f.culture.diet == tourdesk_core::client::Diet::None {
                f.culture.diet = g.culture.diet;
            }
            if f.culture.address == tourdesk_core::client::AddressForm::Unknown {
                f.culture.address = g.culture.address;
            }
            f.culture.notes = join_notes(&f.culture.notes, &g.culture.notes);
            f.notes = join_notes(&f.notes, &g.notes);
            f.tour_ids.extend(g.tour_ids.iter().copied());
            f.tour_ids.sort();
            f.tour_ids.dedup();
            history::move_rows(tx, a.tenant, remove, keep)?;
            clients::move_tours(tx, a.tenant, remove, keep)?;
            chats::move_client(tx, a.tenant, remove, keep)?;
            clients::soft_delete(tx, a.tenant, remove, Some(keep), now)?;
            clients::update(tx, a.tenant, keep, &f, now)
        })?;
        self.store.read(|c| clients::get(c, a.tenant, keep))
    }

    /// One page of the clients table.
    pub fn client_list(&self, s: &Session, q: &ClientQuery) -> AppResult<ClientPage> {
        let a = self.actor(s)?;
        if q.search.as_deref().is_some_and(|t| t.chars().count() > 200) {
            return Err(AppError::field(
                ErrorCode::TooLong,
                "search",
                "the search text is too long",
            ));
        }
        self.store.read(|c| clients::list(c, a.tenant, q))
    }

    /// The board: each status with its count and the latest 100 cards.
    pub fn board(&self, s: &Session) -> AppResult<Vec<BoardColumn>> {
        let a = self.actor(s)?;
        self.store.read(|c| clients::board(c, a.tenant, 100))
    }
}

fn join_notes(a: &str, b: &str) -> String {
    match (a.trim().is_empty(), b.trim().is_empty()) {
        (_, true) => a.to_string(),
        (true, false) => b.to_string(),
        (false, false) if a.contains(b) => a.to_string(),
        (false, false) => format!("{a}\n\n{b}"),
    }
}
