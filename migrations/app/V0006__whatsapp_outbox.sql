-- WhatsApp in the app (issue 4): delivery status on messages, reactions, the outbox queue,
-- per-organisation WhatsApp settings, and "whatsapp" as a history actor (leads that wrote first).

ALTER TABLE messages ADD COLUMN status TEXT CHECK (status IN
    ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'unconfirmed'));
ALTER TABLE messages ADD COLUMN status_reason TEXT;

-- A chat with a partner's number (a guide, a hotel) links to the partner instead of a client.
ALTER TABLE chats ADD COLUMN partner_id TEXT;

-- One reaction per person per message; an empty emoji removes it (the row is deleted).
CREATE TABLE reactions (
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    wa_message_id TEXT NOT NULL,
    sender        TEXT NOT NULL,
    emoji         TEXT NOT NULL,
    at            INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, wa_message_id, sender)
);

-- The queue. A row is created with its message (status queued) in one transaction; the worker
-- moves it queued → sending → sent and records the WhatsApp id before "sent". `sent_at` is when
-- it was handed to WhatsApp: the send-rate window is counted from it, so a restart cannot reset it.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    message_id      TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    wa_chat_id      TEXT NOT NULL,
    body            TEXT NOT NULL,
    media_path      TEXT,
    media_mime      TEXT,
    media_name      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unconfirmed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_at      INTEGER,
    sent_at         INTEGER,
    wa_message_id   TEXT,
    last_error      TEXT,
    created_by      TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, message_id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages(tenant_id, id),
    FOREIGN KEY (tenant_id, chat_id) REFERENCES chats(tenant_id, id)
);
CREATE INDEX outbox_due ON outbox(tenant_id, status, next_attempt_at);
CREATE INDEX outbox_sent ON outbox(tenant_id, sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE wa_settings (
    tenant_id          TEXT PRIMARY KEY REFERENCES tenants(id),
    sends_per_minute   INTEGER NOT NULL CHECK (sends_per_minute BETWEEN 1 AND 20),
    send_read_receipts INTEGER NOT NULL CHECK (send_read_receipts IN (0, 1))
);

-- SQLite cannot alter a CHECK constraint: rebuild status_history with the new actor kind.
CREATE TABLE status_history_new (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    tenant_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('user', 'agent', 'import', 'whatsapp')),
    actor_ref   TEXT,
    reason      TEXT NOT NULL,
    evidence    TEXT,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, id)
);
INSERT INTO status_history_new SELECT seq, id, tenant_id, client_id, from_status, to_status, at,
    actor_kind, actor_ref, reason, evidence FROM status_history;
DROP TABLE status_history;
ALTER TABLE status_history_new RENAME TO status_history;
CREATE INDEX status_history_client ON status_history(tenant_id, client_id, seq);
CREATE INDEX status_history_time ON status_history(tenant_id, at);
