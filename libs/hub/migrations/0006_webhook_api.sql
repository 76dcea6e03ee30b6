-- 0006 webhook API (issue 15): what POST/PATCH /v1/webhooks and the rotation need.
--  * signiq.tiers.max_webhooks: how many endpoints an organisation of the tier may have.
--  * webhook_endpoints.site_id: an optional site filter (events about that site only); a foreign
--    key that includes org_id, so a filter can never name another organisation's site.
--  * webhook_endpoints.previous_secret_*: during a rotation's overlap the old secret signs too
--    (a second signature); after previous_secret_until_ms it is dropped.
--  * webhook_deliveries.schedule_base: the attempt count when a delivery was last replayed, so a
--    replay gets the whole retry schedule again (the attempt numbers keep rising in the log).
--  * organisations.webhook_allowed_ranges: the non-public ranges (CIDR) this organisation's
--    endpoints may resolve to (on-premises receivers); checked by the dispatcher at every attempt.

ALTER TABLE signiq.tiers ADD COLUMN max_webhooks integer NOT NULL DEFAULT 1 CHECK (max_webhooks >= 0);
UPDATE signiq.tiers SET max_webhooks = CASE tier WHEN 'free' THEN 2 WHEN 'pro' THEN 20 ELSE 200 END;
ALTER TABLE signiq.tiers ALTER COLUMN max_webhooks DROP DEFAULT;

ALTER TABLE signiq.webhook_endpoints
    ADD COLUMN site_id                  uuid,
    ADD COLUMN previous_secret_envelope bytea
        CHECK (previous_secret_envelope IS NULL OR substring(previous_secret_envelope FROM 1 FOR 4) = '\x53514556'::bytea),
    ADD COLUMN previous_secret_until_ms bigint,
    ADD CONSTRAINT webhook_endpoints_site FOREIGN KEY (org_id, site_id) REFERENCES signiq.sites (org_id, site_id),
    ADD CONSTRAINT webhook_endpoints_previous_secret
        CHECK ((previous_secret_envelope IS NULL) = (previous_secret_until_ms IS NULL));
CREATE INDEX webhook_endpoints_site ON signiq.webhook_endpoints (org_id, site_id);

ALTER TABLE signiq.webhook_deliveries
    ADD COLUMN schedule_base integer NOT NULL DEFAULT 0 CHECK (schedule_base >= 0 AND schedule_base <= attempts);

ALTER TABLE signiq.organisations
    ADD COLUMN webhook_allowed_ranges text[] NOT NULL DEFAULT '{}' CHECK (cardinality(webhook_allowed_ranges) <= 32);
