//! The one way a client's status changes: status and history row in one transaction.

use tourdesk_core::client::{StatusChange, StatusChangeInput};
use tourdesk_core::validate;
use tourdesk_core::{Actor as ChangeActor, AppError, AppResult, ErrorCode, HistoryId, TenantId};
use tourdesk_store::{clients, history};

use crate::{App, Session};

impl App {
    /// A user moves a client to another status (from the client page or the board).
    pub fn client_change_status(
        &self,
        s: &Session,
        input: &StatusChangeInput,
    ) -> AppResult<StatusChange> {
        let _span = tracing::info_span!("client_change_status").entered();
        let a = self.actor(s)?;
        self.change_status(a.tenant, ChangeActor::User(a.user), input)
    }

    /// Changes a status on behalf of any actor (user, agent or import) and records why. Setting
    /// the status a client already has is refused, so history never holds empty moves.
    pub fn change_status(
        &self,
        tenant: TenantId,
        actor: ChangeActor,
        input: &StatusChangeInput,
    ) -> AppResult<StatusChange> {
        let reason = validate::notes(&input.reason, "reason")?;
        if reason.chars().count() > 2000 {
            return Err(AppError::field(
                ErrorCode::TooLong,
                "reason",
                "the reason is longer than 2000 characters",
            ));
        }
        let evidence = validate::optional_text(input.evidence.as_deref(), "evidence", 500)?;
        let now = self.now();
        let id = HistoryId(self.new_uuid());
        self.store.write(|tx| {
            let current = clients::get(tx, tenant, input.client_id)?;
            if current.deleted_at.is_some() {
                return Err(AppError::not_found("client"));
            }
            if current.status == input.to {
                return Err(AppError::field(
                    ErrorCode::Conflict,
                    "to",
                    "the client already has this status",
                ));
            }
            clients::set_status(tx, tenant, input.client_id, input.to, now)?;
            let row = StatusChange {
                id,
                client_id: input.client_id,
                from: Some(current.status),
                to: input.to,
                at: now,
                actor: actor.clone(),
                actor_name: None,
                reason: reason.clone(),
                evidence: evidence.clone(),
            };
            history::insert(tx, tenant, &row)?;
            Ok(row)
        })
    }
}
