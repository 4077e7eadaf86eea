-- The chat translator (issue 6). Each message knows the language its text is in; an outgoing
-- message written through the translator keeps the manager's own text and the back-translation
-- beside the body that went to WhatsApp. Translations are cached per (message, target language):
-- the second view of a message never calls the model again. A failed attempt is cached too (with
-- its error code), so a broken provider is not asked again on every view; "retry" replaces it.

ALTER TABLE messages ADD COLUMN language TEXT;          -- detected code of `body` (en ru ar fr de es pl)
ALTER TABLE messages ADD COLUMN original_body TEXT;     -- outgoing: the manager's text before translation
ALTER TABLE messages ADD COLUMN back_translation TEXT;  -- outgoing: `body` rendered back for the manager

CREATE TABLE translations (
    tenant_id       TEXT NOT NULL REFERENCES tenants(id),
    message_id      TEXT NOT NULL,
    language        TEXT NOT NULL,                      -- the target language
    text            TEXT,                               -- NULL when the attempt failed
    source_language TEXT,
    status          TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error_code      TEXT,                               -- an AI error code when failed
    flags           TEXT NOT NULL DEFAULT '[]',         -- JSON array of check flags
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, message_id, language),
    -- An echo folded into its outbox message is deleted; its translations go with it.
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages(tenant_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
