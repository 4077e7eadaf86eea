-- Organisations, users, clients, funnel history, tours and partners.
-- Every tenant-owned table carries tenant_id; links between tenant-owned rows are composite
-- foreign keys (tenant_id, id) so a row can never point into another organisation.

CREATE TABLE tenants (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    recovery_hash  TEXT NOT NULL,
    default_region TEXT NOT NULL DEFAULT 'KG',
    backups_keep   INTEGER NOT NULL DEFAULT 7,
    created_at     INTEGER NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'manager')),
    active        INTEGER NOT NULL DEFAULT 1,
    ui_language   TEXT NOT NULL DEFAULT 'ru',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (tenant_id, email),
    UNIQUE (tenant_id, id)
);
CREATE INDEX users_email ON users(email);

CREATE TABLE tours (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL,
    price_minor   INTEGER NOT NULL CHECK (price_minor >= 0),
    currency      TEXT NOT NULL,
    duration_days INTEGER NOT NULL CHECK (duration_days > 0),
    season_months TEXT NOT NULL,  -- JSON array of 1..12
    departures    TEXT NOT NULL,  -- JSON array of YYYY-MM-DD
    difficulty    TEXT NOT NULL,
    group_min     INTEGER NOT NULL,
    group_max     INTEGER NOT NULL,
    tags          TEXT NOT NULL,  -- JSON array of strings
    active        INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    UNIQUE (tenant_id, id)
);
CREATE INDEX tours_tenant ON tours(tenant_id, deleted_at, title);

CREATE TABLE partners (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    phone         TEXT,
    telegram_chat TEXT,
    languages     TEXT NOT NULL,  -- JSON array of language codes
    notes         TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    UNIQUE (tenant_id, id)
);
CREATE INDEX partners_tenant ON partners(tenant_id, deleted_at, name);

CREATE TABLE clients (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    name          TEXT NOT NULL,
    phone         TEXT,
    email         TEXT,
    status        TEXT NOT NULL,
    language      TEXT NOT NULL,
    diet          TEXT NOT NULL,
    address_form  TEXT NOT NULL,
    time_zone     TEXT,
    culture_notes TEXT NOT NULL,
    notes         TEXT NOT NULL,
    manager_id    TEXT,
    partner_id    TEXT,
    search        TEXT NOT NULL,  -- lower-cased name, phone (also digits only) and e-mail
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    deleted_at    INTEGER,
    merged_into   TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES users(tenant_id, id),
    FOREIGN KEY (tenant_id, partner_id) REFERENCES partners(tenant_id, id)
);
CREATE UNIQUE INDEX clients_phone ON clients(tenant_id, phone)
    WHERE phone IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX clients_updated ON clients(tenant_id, updated_at);
CREATE INDEX clients_status ON clients(tenant_id, status, updated_at);
CREATE INDEX clients_manager ON clients(tenant_id, manager_id);

CREATE TABLE client_tours (
    tenant_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    tour_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, client_id, tour_id),
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, id),
    FOREIGN KEY (tenant_id, tour_id) REFERENCES tours(tenant_id, id)
);

CREATE TABLE status_history (
    seq         INTEGER PRIMARY KEY,  -- arrival order
    id          TEXT NOT NULL UNIQUE,
    tenant_id   TEXT NOT NULL,
    client_id   TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('user', 'agent', 'import')),
    actor_ref   TEXT,
    reason      TEXT NOT NULL,
    evidence    TEXT,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients(tenant_id, id)
);
CREATE INDEX status_history_client ON status_history(tenant_id, client_id, seq);
