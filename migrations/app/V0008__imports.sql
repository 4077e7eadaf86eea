-- History import (issue 5): staging → review → commit → undo. A batch holds one item per
-- conversation (an export file, or a chat fetched through WhatsApp Web) and the item's messages
-- until commit. Commit writes clients, chats and messages and stamps them with the batch, so an
-- undo can find exactly the batch's rows and leave alone what somebody changed since.

CREATE TABLE import_batches (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    source       TEXT NOT NULL CHECK (source IN ('files', 'whatsapp')),
    status       TEXT NOT NULL CHECK (status IN ('staged', 'committed', 'undone')),
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    committed_at INTEGER,
    undone_at    INTEGER,
    errors       TEXT NOT NULL DEFAULT '[]',  -- JSON array of ImportFileError
    summary      TEXT,                        -- JSON ImportSummary, after commit
    undo_report  TEXT,                        -- JSON UndoReport, after undo
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id)
);
CREATE INDEX import_batches_recent ON import_batches(tenant_id, created_at);

-- Client ids here (merge_into, proposed_merge, created_client_id) are records of what was
-- chosen and done, not links: an undo deletes the client it created, and the row must stay.
CREATE TABLE import_items (
    id                  TEXT PRIMARY KEY,
    tenant_id           TEXT NOT NULL,
    batch_id            TEXT NOT NULL,
    ord                 INTEGER NOT NULL,             -- order in the batch
    file_name           TEXT NOT NULL,
    chat_title          TEXT NOT NULL,
    wa_chat_id          TEXT,                         -- WhatsApp Web only
    chat_key            TEXT,                         -- stable synthetic chat id when no phone is known
    participants        TEXT NOT NULL DEFAULT '[]',   -- JSON array of authors as written
    client_author       TEXT,                         -- the participant who is the client
    own_names           TEXT NOT NULL DEFAULT '[]',   -- JSON: our names, for message direction
    name                TEXT NOT NULL,
    phone               TEXT,                         -- E.164
    language            TEXT NOT NULL,
    language_confidence REAL NOT NULL,
    suggested_status    TEXT NOT NULL,
    status_reason       TEXT NOT NULL,
    status_signal       TEXT NOT NULL DEFAULT '',     -- stable code of the signal, for translation
    status_signal_value TEXT NOT NULL DEFAULT '',     -- the signal's quoted word, price or counts
    status_evidence     TEXT,
    message_count       INTEGER NOT NULL,
    first_at            TEXT,                         -- local ISO as in the file (WhatsApp Web: UTC)
    last_at             TEXT,
    is_group            INTEGER NOT NULL CHECK (is_group IN (0, 1)),
    needs_client_choice INTEGER NOT NULL DEFAULT 0,
    history_truncated   INTEGER NOT NULL DEFAULT 0,
    action              TEXT NOT NULL CHECK (action IN ('import', 'skip', 'merge')),
    merge_into          TEXT,
    proposed_merge      TEXT,
    time_zone           TEXT NOT NULL,
    warnings            TEXT NOT NULL DEFAULT '[]',
    -- written by commit
    chat_id             TEXT,
    chat_created        INTEGER NOT NULL DEFAULT 0,
    created_client_id   TEXT,
    client_id           TEXT,                         -- created or merged into
    client_version      INTEGER,                      -- clients.version right after commit
    messages_added      INTEGER NOT NULL DEFAULT 0,
    duplicates_skipped  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES import_batches(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX import_items_batch ON import_items(tenant_id, batch_id, ord);

-- Staged messages, deleted once the batch is committed. Exports give a local time without a
-- zone (`local_time`, converted with the item's zone at commit) and no id; WhatsApp Web gives
-- UTC `sent_at` and the stable `wa_message_id`. `direction` is NULL for export messages: it
-- follows from `author` and the item's client at commit (the review may change who that is).
CREATE TABLE import_messages (
    tenant_id            TEXT NOT NULL,
    item_id              TEXT NOT NULL,
    ord                  INTEGER NOT NULL,
    direction            TEXT CHECK (direction IN ('in', 'out')),
    local_time           TEXT,
    sent_at              INTEGER,
    author               TEXT,
    kind                 TEXT NOT NULL,
    body                 TEXT NOT NULL,
    media_path           TEXT,
    media_mime           TEXT,
    wa_message_id        TEXT,
    quoted_wa_message_id TEXT,
    PRIMARY KEY (tenant_id, item_id, ord),
    FOREIGN KEY (tenant_id, item_id) REFERENCES import_items(tenant_id, id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Rows written by a commit carry their batch (NULL for everything else).
ALTER TABLE messages ADD COLUMN import_batch_id TEXT;
ALTER TABLE chats ADD COLUMN import_batch_id TEXT;
ALTER TABLE clients ADD COLUMN import_batch_id TEXT;
CREATE INDEX messages_import ON messages(tenant_id, import_batch_id) WHERE import_batch_id IS NOT NULL;

-- The managers' own WhatsApp names (remembered once asked) and the default zone of export times.
CREATE TABLE import_settings (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    own_names  TEXT NOT NULL DEFAULT '[]',  -- JSON array
    time_zone  TEXT
);
