-- 0004 webhooks: the durable delivery queue (issue 15). One row per (event, endpoint) in
-- signiq.webhook_deliveries, enqueued in the transaction that records the event; one row per
-- HTTP attempt in signiq.webhook_attempts (the delivery log). Times are milliseconds since the
-- epoch from the hub's injected clock, so that the retry schedule is testable without sleeping.
-- org_id leads every key; row-level security as on every tenant table.

-- Endpoints: http:// is allowed by the schema for the explicit development/test mode (a receiver
-- on loopback); production mode refuses it in the hub (WebhookAddressPolicy). failing_since is
-- the first failed attempt after the last success; an endpoint failing for days is disabled.
ALTER TABLE signiq.webhook_endpoints DROP CONSTRAINT webhook_endpoints_url_check;
ALTER TABLE signiq.webhook_endpoints ADD CONSTRAINT webhook_endpoints_url_check
    CHECK (url ~ '^https?://' AND length(url) <= 2000);
ALTER TABLE signiq.webhook_endpoints
    ADD COLUMN failing_since_ms bigint,
    ADD COLUMN disabled_reason  text CHECK (length(disabled_reason) <= 200);

CREATE TABLE signiq.webhook_deliveries (
    org_id          uuid    NOT NULL,
    delivery_id     uuid    NOT NULL DEFAULT gen_random_uuid(),
    endpoint_id     uuid    NOT NULL,
    event_type      text    NOT NULL CHECK (event_type ~ '^[a-z]+(\.[a-z_]+)+$' AND length(event_type) <= 64),
    message_id      text    NOT NULL CHECK (message_id ~ '^msg_[A-Za-z0-9_-]{1,100}$'),
    payload         bytea   NOT NULL CHECK (length(payload) <= 262144),
    created_at_ms   bigint  NOT NULL,
    state           text    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_ms bigint,          -- due time while pending
    leased_until_ms bigint,          -- a dispatcher holds it until then (a crash releases it)
    finished_at_ms  bigint,
    PRIMARY KEY (org_id, delivery_id),
    FOREIGN KEY (org_id, endpoint_id) REFERENCES signiq.webhook_endpoints (org_id, endpoint_id) ON DELETE CASCADE,
    CHECK ((state = 'pending') = (next_attempt_ms IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON signiq.webhook_deliveries (org_id, next_attempt_ms) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON signiq.webhook_deliveries (org_id, endpoint_id, created_at_ms);

CREATE TABLE signiq.webhook_attempts (
    org_id           uuid    NOT NULL,
    delivery_id      uuid    NOT NULL,
    attempt          integer NOT NULL CHECK (attempt > 0),
    started_at_ms    bigint  NOT NULL,
    latency_ms       integer NOT NULL CHECK (latency_ms >= 0),
    http_status      integer CHECK (http_status BETWEEN 100 AND 599),
    error            text    CHECK (length(error) <= 500),
    response_excerpt text    CHECK (length(response_excerpt) <= 1024),
    PRIMARY KEY (org_id, delivery_id, attempt),
    FOREIGN KEY (org_id, delivery_id) REFERENCES signiq.webhook_deliveries (org_id, delivery_id) ON DELETE CASCADE
);

SELECT signiq.isolate_tenant_table(t)
  FROM unnest(ARRAY['signiq.webhook_deliveries', 'signiq.webhook_attempts']::regclass[]) AS t;

-- A dispatcher serves every organisation but works inside one organisation's context at a time.
-- This tells it which organisations have deliveries due (ids only, nothing else), the third
-- narrow exception to "no context, no row" (see 0001), for the migration owner's function only.
CREATE POLICY owner_dispatch ON signiq.webhook_deliveries FOR SELECT TO signiq_owner USING (true);
CREATE FUNCTION signiq.webhook_due_orgs(p_now_ms bigint, p_limit integer) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT DISTINCT d.org_id FROM signiq.webhook_deliveries AS d
           WHERE d.state = 'pending' AND d.next_attempt_ms <= p_now_ms
             AND (d.leased_until_ms IS NULL OR d.leased_until_ms <= p_now_ms)
           LIMIT p_limit $$;
REVOKE ALL ON FUNCTION signiq.webhook_due_orgs(bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION signiq.webhook_due_orgs(bigint, integer) TO signiq_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON signiq.webhook_deliveries, signiq.webhook_attempts TO signiq_app;
GRANT SELECT ON signiq.webhook_deliveries, signiq.webhook_attempts TO signiq_backup;
