-- AI provider settings per organisation, each user's own language for translations, and one
-- row per model call for the usage page. The API key is never stored here: it lives in the OS
-- keychain (crates/secrets).

CREATE TABLE ai_settings (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id),
    preset     TEXT NOT NULL CHECK (preset IN ('openai', 'openrouter', 'ollama', 'custom')),
    base_url   TEXT NOT NULL,
    model      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- NULL means "the user's UI language".
ALTER TABLE users ADD COLUMN manager_language TEXT;

CREATE TABLE llm_usage (
    seq        INTEGER PRIMARY KEY,  -- arrival order
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    at         INTEGER NOT NULL,     -- UTC ms when the call finished
    purpose    TEXT NOT NULL,
    model      TEXT NOT NULL,
    latency_ms INTEGER NOT NULL CHECK (latency_ms >= 0),
    tokens_in  INTEGER NOT NULL CHECK (tokens_in >= 0),
    tokens_out INTEGER NOT NULL CHECK (tokens_out >= 0),
    outcome    TEXT NOT NULL,        -- 'ok' or an LLM error code
    attempts   INTEGER NOT NULL CHECK (attempts >= 0)
);
CREATE INDEX llm_usage_time ON llm_usage(tenant_id, at);
