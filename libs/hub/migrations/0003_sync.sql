-- 0003 sync: devices push their windows over mutual TLS 1.3 (docs/sync.md).
--  * deployment_cas: the CA certificates an organisation's edges issue device certificates with
--    (`signiq-edge ca export`); a client certificate is accepted only when one of them issued it.
--  * revoked_certificates: device certificates revoked by the organisation (`signiq-edge ca
--    revoke`, reported to the hub); refused even though their chain is valid.
--  * sync_batches: the ingest ledger. One row per (device, batch id), written in the same
--    transaction as the batch's windows, so a repeated batch is recognised and not stored again.

CREATE TABLE signiq.deployment_cas (
    org_id          uuid        NOT NULL REFERENCES signiq.organisations (org_id),
    fingerprint     text        NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'), -- SHA-256 of the DER
    certificate_pem text        NOT NULL CHECK (certificate_pem LIKE '-----BEGIN CERTIFICATE-----%'),
    registered_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, fingerprint)
);

CREATE TABLE signiq.revoked_certificates (
    org_id      uuid        NOT NULL,
    fingerprint text        NOT NULL,
    serial      text        NOT NULL CHECK (serial ~ '^[0-9a-f]{1,64}$'), -- lower-case hex
    revoked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, fingerprint, serial),
    FOREIGN KEY (org_id, fingerprint) REFERENCES signiq.deployment_cas (org_id, fingerprint)
);

CREATE TABLE signiq.sync_batches (
    org_id              uuid        NOT NULL,
    device_id           uuid        NOT NULL,
    batch_id            uuid        NOT NULL,
    device_sent_at      timestamptz NOT NULL,
    received_at         timestamptz NOT NULL,
    clock_skew_ms       bigint      NOT NULL, -- device_sent_at - received_at
    audience_windows    integer     NOT NULL CHECK (audience_windows >= 0),
    demographic_windows integer     NOT NULL CHECK (demographic_windows >= 0),
    PRIMARY KEY (org_id, device_id, batch_id),
    FOREIGN KEY (org_id, device_id) REFERENCES signiq.devices (org_id, device_id)
);
CREATE INDEX sync_batches_received ON signiq.sync_batches (org_id, received_at);

-- The clock skew of each device's latest batch (GET /v1/devices).
ALTER TABLE signiq.devices ADD COLUMN clock_skew_ms bigint;

SELECT signiq.isolate_tenant_table(t)
  FROM unnest(ARRAY['signiq.deployment_cas', 'signiq.revoked_certificates', 'signiq.sync_batches']::regclass[]) AS t;

-- The organisation of a client certificate is not known before it is looked up. Like
-- api_key_org(), this runs as the owner, who may read only the CA table for it; the device and
-- its revocation are then looked up in that organisation's own transaction (RLS applies).
CREATE POLICY owner_sync_lookup ON signiq.deployment_cas FOR SELECT TO signiq_owner USING (true);

-- Every registered deployment CA (public certificates): the sync listener's trust anchors.
CREATE FUNCTION signiq.sync_trust_anchors() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT c.certificate_pem FROM signiq.deployment_cas AS c ORDER BY c.org_id, c.fingerprint $$;
REVOKE ALL ON FUNCTION signiq.sync_trust_anchors() FROM PUBLIC;

-- The organisations that registered the CA with SHA-256 fingerprint `p_fingerprint`.
CREATE FUNCTION signiq.sync_ca_orgs(p_fingerprint text) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT c.org_id FROM signiq.deployment_cas AS c WHERE c.fingerprint = p_fingerprint ORDER BY c.org_id $$;
REVOKE ALL ON FUNCTION signiq.sync_ca_orgs(text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION signiq.sync_trust_anchors(), signiq.sync_ca_orgs(text) TO signiq_app;
GRANT SELECT, INSERT, DELETE ON signiq.deployment_cas TO signiq_app;
GRANT SELECT, INSERT ON signiq.revoked_certificates TO signiq_app;
GRANT SELECT, INSERT ON signiq.sync_batches TO signiq_app;
