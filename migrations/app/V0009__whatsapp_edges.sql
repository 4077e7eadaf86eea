-- WhatsApp at its real edges (issue 10): honest delivery states and one chat per person across
-- `@lid` ids.

-- `waiting`: WhatsApp Web holds the message with ack 0 (not yet on WhatsApp's server). SQLite
-- cannot alter a column's CHECK: the column is copied into a new one with the wider CHECK, the
-- old one dropped and the new one renamed (the table, its rowid `seq` and the FTS index stay).
ALTER TABLE messages ADD COLUMN status_v2 TEXT CHECK (status_v2 IN
    ('queued', 'sending', 'waiting', 'sent', 'delivered', 'read', 'failed', 'unconfirmed'));
UPDATE messages SET status_v2 = status;
ALTER TABLE messages DROP COLUMN status;
ALTER TABLE messages RENAME COLUMN status_v2 TO status;

-- Set when a message has waited at ack 0 for 5 minutes while connected: the manager is told.
ALTER TABLE messages ADD COLUMN stuck_at INTEGER;
CREATE INDEX messages_stuck ON messages(tenant_id) WHERE stuck_at IS NOT NULL;

-- The person behind a WhatsApp `@lid` id, when WhatsApp tells it: `lid` is `…@lid`, `phone` is
-- E.164 (`+…`). One lid has one phone.
CREATE TABLE wa_lids (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    lid       TEXT NOT NULL,
    phone     TEXT NOT NULL,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, lid)
);
CREATE INDEX wa_lids_phone ON wa_lids(tenant_id, phone);
