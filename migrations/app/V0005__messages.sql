-- WhatsApp chats and messages (issue 4). Messages get an integer rowid `seq` in arrival order
-- (their UUID `id` is the sync id): FTS5 newest-first is then `ORDER BY rowid DESC`, which stays
-- under a millisecond on a million rows where bm25 or a time column takes hundreds.

CREATE TABLE chats (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    wa_chat_id       TEXT NOT NULL,  -- WhatsApp's chat id: …@c.us, …@lid, …@g.us, status@broadcast
    kind             TEXT NOT NULL CHECK (kind IN ('one_to_one', 'group', 'broadcast')),
    client_id        TEXT,
    title            TEXT NOT NULL DEFAULT '',
    last_message_seq INTEGER,        -- messages.seq of the latest arrival
    last_message_at  INTEGER,        -- its sent_at (UTC ms)
    unread           INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, wa_chat_id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, id)
);
-- Chat list, newest first; the partial index serves the "unread only" filter.
CREATE INDEX chats_recent ON chats(tenant_id, last_message_seq);
CREATE INDEX chats_unread ON chats(tenant_id, last_message_seq) WHERE unread > 0;
CREATE INDEX chats_client ON chats(tenant_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE messages (
    seq                  INTEGER PRIMARY KEY,  -- arrival order; the FTS rowid
    id                   TEXT NOT NULL,        -- UUID v7 sync id
    tenant_id            TEXT NOT NULL REFERENCES tenants(id),
    chat_id              TEXT NOT NULL,
    wa_message_id        TEXT,                 -- stable id `account:fromMe:id.id`; NULL for imports without one
    direction            TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    sent_at              INTEGER NOT NULL,
    author               TEXT,
    kind                 TEXT NOT NULL CHECK (kind IN ('text', 'image', 'audio', 'video', 'document',
                             'sticker', 'location', 'contact', 'system', 'deleted', 'unsupported')),
    body                 TEXT NOT NULL DEFAULT '',
    media_path           TEXT,
    media_mime           TEXT,
    quoted_wa_message_id TEXT,
    edited_at            INTEGER,
    deleted_at           INTEGER,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, wa_message_id),
    FOREIGN KEY (tenant_id, chat_id) REFERENCES chats(tenant_id, id)
);
-- "The last 50 of a chat" and keyset paging backwards by seq.
CREATE INDEX messages_chat ON messages(tenant_id, chat_id, seq);

CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    content = 'messages',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, body) VALUES (new.seq, new.body);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
    INSERT INTO messages_fts(rowid, body) VALUES (new.seq, new.body);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
END;
