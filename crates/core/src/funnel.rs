//! The sales funnel: seven fixed statuses in order, and who changed a status.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A funnel status; the order of the variants is the order of the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FunnelStatus {
    /// A new lead nobody has qualified yet.
    NewLead,
    /// Interest and fit confirmed.
    Qualified,
    /// Warmed up with information.
    Warmed,
    /// A proposal was sent.
    ProposalSent,
    /// Negotiating details and price.
    Negotiation,
    /// The tour is sold.
    Sold,
    /// After-sales service.
    Service,
}

impl FunnelStatus {
    /// All statuses in funnel order.
    pub const ALL: [FunnelStatus; 7] = [
        FunnelStatus::NewLead,
        FunnelStatus::Qualified,
        FunnelStatus::Warmed,
        FunnelStatus::ProposalSent,
        FunnelStatus::Negotiation,
        FunnelStatus::Sold,
        FunnelStatus::Service,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            FunnelStatus::NewLead => "new_lead",
            FunnelStatus::Qualified => "qualified",
            FunnelStatus::Warmed => "warmed",
            FunnelStatus::ProposalSent => "proposal_sent",
            FunnelStatus::Negotiation => "negotiation",
            FunnelStatus::Sold => "sold",
            FunnelStatus::Service => "service",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Position in the funnel, from 0.
    pub fn rank(self) -> usize {
        self as usize
    }
}

/// Who made a change: a signed-in user, an AI agent, the history import, or WhatsApp itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A user, by id.
    User(crate::UserId),
    /// An AI agent, by its name.
    Agent(String),
    /// The history import.
    Import,
    /// A message from an unknown number arrived on WhatsApp (the lead created itself).
    #[serde(rename = "whatsapp")]
    WhatsApp,
}

impl Actor {
    /// The kind stored in the history table.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::User(_) => "user",
            Actor::Agent(_) => "agent",
            Actor::Import => "import",
            Actor::WhatsApp => "whatsapp",
        }
    }
    /// The reference stored with the kind (user id or agent name).
    pub fn reference(&self) -> Option<String> {
        match self {
            Actor::User(id) => Some(id.to_string()),
            Actor::Agent(name) => Some(name.clone()),
            Actor::Import | Actor::WhatsApp => None,
        }
    }
    /// Rebuilds an actor from its stored kind and reference.
    pub fn from_parts(kind: &str, reference: Option<&str>) -> Option<Self> {
        match (kind, reference) {
            ("user", Some(r)) => crate::UserId::parse(r).map(Actor::User),
            ("agent", Some(r)) => Some(Actor::Agent(r.to_string())),
            ("import", _) => Some(Actor::Import),
            ("whatsapp", _) => Some(Actor::WhatsApp),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_codes_in_funnel_order() {
        let codes: Vec<_> = FunnelStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(
            codes,
            [
                "new_lead",
                "qualified",
                "warmed",
                "proposal_sent",
                "negotiation",
                "sold",
                "service"
            ]
        );
        for s in FunnelStatus::ALL {
            assert_eq!(FunnelStatus::from_code(s.code()), Some(s));
        }
        assert!(FunnelStatus::NewLead < FunnelStatus::Service);
        assert_eq!(FunnelStatus::from_code("won"), None);
    }
}
