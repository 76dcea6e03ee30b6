-- 0001 tenancy: tiers, organisations, sites, devices, zones, API keys, audit entries, webhook
-- endpoints; row-level security on every tenant table; grants for signiq_app and signiq_backup.
-- Runs as the migration owner (signiq_owner) in one transaction (libs/hub/Migrations.cpp).
-- Append-only: never edit a migration that has shipped (its sha256 is recorded); add a new one.

CREATE SCHEMA IF NOT EXISTS signiq;
REVOKE ALL ON SCHEMA signiq FROM PUBLIC;

-- The organisation of the current transaction, or NULL without one: the hub sets it with
-- set_config('signiq.org_id', <uuid>, true) inside BEGIN ... COMMIT (never per session). After
-- the transaction the setting reads '' (not NULL): NULLIF turns that into NULL, which matches no row.
-- Every policy spells the expression out (rather than calling this function) so that the
-- catalogue test can read it; this function is for queries and defaults.
CREATE FUNCTION signiq.current_org() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT NULLIF(current_setting('signiq.org_id', true), '')::uuid $$;

-- ENABLE + FORCE row-level security and the one tenant policy (USING and WITH CHECK) on a table
-- with an org_id column. Used by every migration and by partition creation, so that no tenant
-- table is ever created without it.
CREATE FUNCTION signiq.isolate_tenant_table(p_table regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_table);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_table);
    IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = p_table AND polname = 'tenant_isolation') THEN
        EXECUTE format($p$CREATE POLICY tenant_isolation ON %s AS PERMISSIVE FOR ALL TO PUBLIC
                          USING (org_id = NULLIF(current_setting('signiq.org_id', true), '')::uuid)
                          WITH CHECK (org_id = NULLIF(current_setting('signiq.org_id', true), '')::uuid)$p$, p_table);
    END IF;
END $$;
REVOKE ALL ON FUNCTION signiq.isolate_tenant_table(regclass) FROM PUBLIC;

-- IANA time zone names as PostgreSQL knows them (the tz database), e.g. Europe/Paris.
CREATE FUNCTION signiq.is_time_zone(p_name text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT p_name ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$'
                 AND EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = p_name) $$;

-- Subscription tiers and their limits: a global reference table (no org_id, no RLS), read-only
-- for the application.
CREATE TABLE signiq.tiers (
    tier                text    PRIMARY KEY CHECK (tier IN ('free', 'pro', 'enterprise')),
    max_devices         integer NOT NULL CHECK (max_devices > 0),
    history_days        integer NOT NULL CHECK (history_days > 0),
    rate_per_minute     integer NOT NULL CHECK (rate_per_minute > 0),
    burst               integer NOT NULL CHECK (burst >= 0),
    exports_allowed     boolean NOT NULL
);
INSERT INTO signiq.tiers (tier, max_devices, history_days, rate_per_minute, burst, exports_allowed) VALUES
    ('free',        5,      30,   60,    0, false),
    ('pro',         200,    90,   600,   120, true),
    ('enterprise',  10000,  400,  6000,  1200, true);

-- Tenant tables: org_id is the first column of the primary key and of every index (the schema
-- can later be distributed by org_id, e.g. with Citus, without a rewrite). Every foreign key
-- between tenant tables includes org_id, so a row can never point into another organisation.
CREATE TABLE signiq.organisations (
    org_id      uuid        NOT NULL,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tier        text        NOT NULL REFERENCES signiq.tiers (tier),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id)
);
CREATE INDEX organisations_tier ON signiq.organisations (org_id, tier);

CREATE TABLE signiq.sites (
    org_id      uuid        NOT NULL REFERENCES signiq.organisations (org_id),
    site_id     uuid        NOT NULL DEFAULT gen_random_uuid(),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone   text        NOT NULL CHECK (signiq.is_time_zone(time_zone)),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, site_id)
);

CREATE TABLE signiq.devices (
    org_id              uuid        NOT NULL,
    device_id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    site_id             uuid,
    name                text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    certificate_serial  text        NOT NULL CHECK (certificate_serial ~ '^[0-9A-Fa-f]{1,64}$'),
    last_seen_at        timestamptz,
    model_version       text        NOT NULL DEFAULT '' CHECK (length(model_version) <= 200),
    calibration_version text        NOT NULL DEFAULT '' CHECK (length(calibration_version) <= 200),
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, device_id),
    FOREIGN KEY (org_id) REFERENCES signiq.organisations (org_id),
    FOREIGN KEY (org_id, site_id) REFERENCES signiq.sites (org_id, site_id)
);
CREATE UNIQUE INDEX devices_certificate_serial ON signiq.devices (org_id, certificate_serial);
CREATE INDEX devices_site ON signiq.devices (org_id, site_id);

-- Zones and counting lines as a device reports them (its zones.json), newest report per name.
CREATE TABLE signiq.zones (
    org_id      uuid        NOT NULL,
    device_id   uuid        NOT NULL,
    zone        text        NOT NULL CHECK (length(zone) BETWEEN 1 AND 200),
    kind        text        NOT NULL CHECK (kind IN ('zone', 'line')),
    definition  jsonb       NOT NULL DEFAULT '{}',
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, device_id, zone),
    FOREIGN KEY (org_id, device_id) REFERENCES signiq.devices (org_id, device_id) ON DELETE CASCADE
);

-- API keys: the same format and hashing as the edge (libs/protocol ApiKeyFormat): only the
-- SHA-256 of the whole token is stored. An optional site restriction.
CREATE TABLE signiq.api_keys (
    org_id       uuid        NOT NULL,
    key_id       text        NOT NULL CHECK (key_id ~ '^[0-9a-z]{12}$'),
    name         text        NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    environment  text        NOT NULL CHECK (environment IN ('live', 'test')),
    secret_hash  bytea       NOT NULL CHECK (length(secret_hash) = 32),
    scopes       text[]      NOT NULL CHECK (scopes <@ ARRAY['read','write','analytics','export','webhooks','calibrate','admin']
                                             AND cardinality(scopes) > 0),
    site_id      uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    PRIMARY KEY (org_id, key_id),
    FOREIGN KEY (org_id) REFERENCES signiq.organisations (org_id),
    FOREIGN KEY (org_id, site_id) REFERENCES signiq.sites (org_id, site_id)
);

-- Audit entries, hash-chained per organisation in the edge's format (protocol::AuditChain):
-- hash = SHA-256(prev_hash || canonical JSON). The application may only append and read
-- (no UPDATE or DELETE grant), so the database itself keeps the chain from being edited.
CREATE TABLE signiq.audit_entries (
    org_id       uuid    NOT NULL REFERENCES signiq.organisations (org_id),
    seq          bigint  NOT NULL CHECK (seq >= 1),
    timestamp_ms bigint  NOT NULL,
    actor        text    NOT NULL CHECK (length(actor) <= 64),
    source_ip    text    NOT NULL CHECK (length(source_ip) <= 64),
    action       text    NOT NULL CHECK (length(action) <= 64),
    target       text    NOT NULL CHECK (length(target) <= 200),
    result       text    NOT NULL CHECK (length(result) <= 500),
    prev_hash    text    NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash         text    NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (org_id, seq)
);
CREATE INDEX audit_entries_time ON signiq.audit_entries (org_id, timestamp_ms);

-- Webhook endpoints: the signing secret is stored only as a Signiq envelope (AES-256-GCM,
-- libs/crypto) under the hub's secrets key, with the org and endpoint ids as associated data.
CREATE TABLE signiq.webhook_endpoints (
    org_id          uuid        NOT NULL REFERENCES signiq.organisations (org_id),
    endpoint_id     uuid        NOT NULL DEFAULT gen_random_uuid(),
    url             text        NOT NULL CHECK (url ~ '^https://' AND length(url) <= 2000),
    events          text[]      NOT NULL DEFAULT '{}',
    secret_envelope bytea       NOT NULL CHECK (substring(secret_envelope FROM 1 FOR 4) = '\x53514556'::bytea),
    created_at      timestamptz NOT NULL DEFAULT now(),
    disabled_at     timestamptz,
    PRIMARY KEY (org_id, endpoint_id)
);

SELECT signiq.isolate_tenant_table(t)
  FROM unnest(ARRAY['signiq.organisations', 'signiq.sites', 'signiq.devices', 'signiq.zones', 'signiq.api_keys',
                    'signiq.audit_entries', 'signiq.webhook_endpoints']::regclass[]) AS t;

-- The two narrow exceptions to "no context, no row", both for the migration owner only:
--  * retention (run as the owner) lists organisations and their tiers;
--  * signiq.api_key_org() (SECURITY DEFINER, owner) finds the organisation of a presented key.
CREATE POLICY owner_maintenance ON signiq.organisations FOR SELECT TO signiq_owner USING (true);
CREATE POLICY owner_key_lookup ON signiq.api_keys FOR SELECT TO signiq_owner USING (true);

-- Authentication happens before the organisation is known. This returns the organisation of
-- an active key only to a caller who holds the whole token (its SHA-256 must match), so the
-- application role learns nothing about other organisations' keys without their secret.
CREATE FUNCTION signiq.api_key_org(p_key_id text, p_secret_hash bytea) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT k.org_id FROM signiq.api_keys AS k
           WHERE k.key_id = p_key_id AND k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
           LIMIT 1 $$;
REVOKE ALL ON FUNCTION signiq.api_key_org(text, bytea) FROM PUBLIC;

-- Grants: the application gets DML only where it needs it and owns nothing; the backup role
-- reads everything (it has BYPASSRLS, see scripts/pg-cluster.sh and docs/hub.md).
GRANT USAGE ON SCHEMA signiq TO signiq_app, signiq_backup;
GRANT EXECUTE ON FUNCTION signiq.current_org(), signiq.is_time_zone(text) TO signiq_app;
GRANT EXECUTE ON FUNCTION signiq.api_key_org(text, bytea) TO signiq_app;
GRANT SELECT ON signiq.tiers TO signiq_app;
GRANT SELECT, INSERT, UPDATE ON signiq.organisations TO signiq_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON signiq.sites, signiq.devices, signiq.zones, signiq.webhook_endpoints TO signiq_app;
GRANT SELECT, INSERT, UPDATE ON signiq.api_keys TO signiq_app;
GRANT SELECT, INSERT ON signiq.audit_entries TO signiq_app;
GRANT SELECT ON ALL TABLES IN SCHEMA signiq TO signiq_backup;
ALTER DEFAULT PRIVILEGES IN SCHEMA signiq GRANT SELECT ON TABLES TO signiq_backup;
