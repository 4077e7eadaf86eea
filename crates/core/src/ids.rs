//! Typed ids: UUID v7 newtypes so a tenant id can never be passed where a client id is expected.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(transparent)]
        #[ts(type = "string")]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered id from the given unix time in milliseconds and random bits.
            pub fn new_v7(unix_ms: i64, random: [u8; 10]) -> Self {
                Self(new_v7(unix_ms, random))
            }
            /// Parses the canonical text form.
            pub fn parse(text: &str) -> Option<Self> {
                Uuid::parse_str(text).ok().map(Self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

/// Builds a UUID v7 from a timestamp and caller-supplied randomness (domain code reads no clock).
pub fn new_v7(unix_ms: i64, random: [u8; 10]) -> Uuid {
    let ms = unix_ms.max(0) as u64;
    let ts =
        uuid::Timestamp::from_unix(uuid::NoContext, ms / 1000, ((ms % 1000) * 1_000_000) as u32);
    let mut rnd = [0u8; 10];
    rnd.copy_from_slice(&random);
    let mut id = *Uuid::new_v7(ts).as_bytes();
    // Replace the generator's random tail with ours, keeping the version and variant bits.
    id[6] = (id[6] & 0xF0) | (rnd[0] & 0x0F);
    id[7] = rnd[1];
    id[8] = (id[8] & 0xC0) | (rnd[2] & 0x3F);
    id[9..16].copy_from_slice(&rnd[3..10]);
    Uuid::from_bytes(id)
}

id_type!(
    /// An organisation (tenant).
    TenantId
);
id_type!(
    /// A user of an organisation.
    UserId
);
id_type!(
    /// A client (lead or customer).
    ClientId
);
id_type!(
    /// A tour (product).
    TourId
);
id_type!(
    /// A partner (guide, driver, hotel…).
    PartnerId
);
id_type!(
    /// One row of a client's status history.
    HistoryId
);
id_type!(
    /// A WhatsApp chat (one-to-one, group or broadcast).
    ChatId
);
id_type!(
    /// A stored message (its sync id; the store also keeps an arrival-order `seq`).
    MessageId
);
id_type!(
    /// A history import batch (one staging → review → commit → undo run).
    ImportBatchId
);
id_type!(
    /// One conversation of a history import batch.
    ImportItemId
);
