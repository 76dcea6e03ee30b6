-- 0002 windows: audience and demographic windows as devices sync them, partitioned by month
-- (declarative range partitioning on start_at, UTC month boundaries); partition creation and
-- retention by tier. See docs/hub.md "Partitioning and retention".

CREATE TABLE signiq.audience_windows (
    org_id              uuid             NOT NULL,
    device_id           uuid             NOT NULL,
    zone                text             NOT NULL CHECK (length(zone) BETWEEN 1 AND 200),
    start_at            timestamptz      NOT NULL,
    end_at              timestamptz      NOT NULL,
    ots                 integer          NOT NULL CHECK (ots >= 0),
    entries             integer          NOT NULL CHECK (entries >= 0),
    exits               integer          NOT NULL CHECK (exits >= 0),
    mean_occupancy      double precision NOT NULL,
    peak_occupancy      integer          NOT NULL,
    viewers             integer          NOT NULL,
    attention_time_s    double precision NOT NULL,
    confidence          double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    quality_flags       bigint           NOT NULL,
    model_version       text             NOT NULL,
    calibration_version text             NOT NULL,
    window_json         jsonb            NOT NULL, -- the window as the device sent it (core::AudienceWindow)
    received_at         timestamptz      NOT NULL DEFAULT now(),
    CHECK (end_at > start_at),
    PRIMARY KEY (org_id, device_id, zone, start_at),
    FOREIGN KEY (org_id, device_id) REFERENCES signiq.devices (org_id, device_id)
) PARTITION BY RANGE (start_at);
CREATE INDEX audience_windows_time ON signiq.audience_windows (org_id, start_at);

-- Only the k-suppressed histograms devices send (core::DemographicWindow): a suppressed cell is
-- null in cells_json. The hub never sees anything finer.
CREATE TABLE signiq.demographic_windows (
    org_id              uuid        NOT NULL,
    device_id           uuid        NOT NULL,
    zone                text        NOT NULL CHECK (length(zone) BETWEEN 1 AND 200),
    start_at            timestamptz NOT NULL,
    end_at              timestamptz NOT NULL,
    k                   integer     NOT NULL CHECK (k >= 2),
    model_version       text        NOT NULL,
    calibration_version text        NOT NULL,
    window_json         jsonb       NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (end_at - start_at >= interval '5 minutes'),
    PRIMARY KEY (org_id, device_id, zone, start_at),
    FOREIGN KEY (org_id, device_id) REFERENCES signiq.devices (org_id, device_id)
) PARTITION BY RANGE (start_at);
CREATE INDEX demographic_windows_time ON signiq.demographic_windows (org_id, start_at);

-- RLS on the partitioned parents (what every query goes through) ...
SELECT signiq.isolate_tenant_table(t)
  FROM unnest(ARRAY['signiq.audience_windows', 'signiq.demographic_windows']::regclass[]) AS t;

-- ... and on every partition too (partitions do not inherit RLS; the application has no grant on
-- them, but a partition must never be a way around the policy).
-- Creates the monthly partitions <table>_pYYYY_MM of both window tables for every month from
-- p_from's to p_through's (UTC), if missing. Returns the names it created. Run as the owner
-- (signiq-hub migrate and signiq-hub retention run call it).
CREATE FUNCTION signiq.create_window_partitions(p_from date, p_through date) RETURNS SETOF text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    month date := date_trunc('month', p_from)::date;
    parent text;
    name text;
BEGIN
    IF p_through < p_from THEN
        RAISE EXCEPTION 'create_window_partitions: % is before %', p_through, p_from USING ERRCODE = '22023';
    END IF;
    IF p_through > p_from + 3660 THEN
        RAISE EXCEPTION 'create_window_partitions: at most 10 years at once (% .. %)', p_from, p_through USING ERRCODE = '22023';
    END IF;
    WHILE month <= p_through LOOP
        FOREACH parent IN ARRAY ARRAY['audience_windows', 'demographic_windows'] LOOP
            name := parent || '_p' || to_char(month, 'YYYY_MM');
            IF to_regclass('signiq.' || quote_ident(name)) IS NULL THEN
                EXECUTE format('CREATE TABLE signiq.%I PARTITION OF signiq.%I FOR VALUES FROM (%L) TO (%L)',
                               name, parent, to_char(month, 'YYYY-MM-DD') || ' 00:00:00+00',
                               to_char((month + interval '1 month')::date, 'YYYY-MM-DD') || ' 00:00:00+00');
                PERFORM signiq.isolate_tenant_table(('signiq.' || quote_ident(name))::regclass);
                RETURN NEXT name;
            END IF;
        END LOOP;
        month := (month + interval '1 month')::date;
    END LOOP;
END $$;
REVOKE ALL ON FUNCTION signiq.create_window_partitions(date, date) FROM PUBLIC;

-- Retention by tier (free 30 days, pro 90, enterprise 400; signiq.tiers.history_days) on
-- partitions shared by every organisation:
--  1. whole partitions that end on or before p_today - (the longest history of any tier) are
--     dropped: nobody may keep them;
--  2. per organisation, rows older than p_today - (its tier's history) are deleted, one
--     organisation at a time under its own context (the owner is subject to RLS too: FORCE).
-- Cut-offs are UTC midnights. Returns what it did: ('drop', partition, NULL) and
-- ('delete', '<table> <org_id>', rows). Run as the owner: signiq-hub retention run.
CREATE FUNCTION signiq.apply_retention(p_today date)
    RETURNS TABLE (action text, target text, row_count bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    longest integer;
    drop_before timestamptz;
    part record;
    org record;
    cutoff timestamptz;
    n bigint;
BEGIN
    SELECT max(t.history_days) INTO longest FROM signiq.tiers AS t;
    drop_before := (p_today - longest)::timestamp AT TIME ZONE 'UTC';
    FOR part IN
        SELECT c.relname,
               (to_date(substring(c.relname FROM '_p([0-9]{4}_[0-9]{2})$'), 'YYYY_MM') + interval '1 month')::timestamp
                   AT TIME ZONE 'UTC' AS ends_at
          FROM pg_inherits AS i
          JOIN pg_class AS c ON c.oid = i.inhrelid
         WHERE i.inhparent IN ('signiq.audience_windows'::regclass, 'signiq.demographic_windows'::regclass)
           AND c.relname ~ '_p[0-9]{4}_[0-9]{2}$'
         ORDER BY c.relname
    LOOP
        IF part.ends_at <= drop_before THEN
            EXECUTE format('DROP TABLE signiq.%I', part.relname);
            action := 'drop'; target := part.relname; row_count := NULL;
            RETURN NEXT;
        END IF;
    END LOOP;

    FOR org IN
        SELECT o.org_id, t.history_days FROM signiq.organisations AS o JOIN signiq.tiers AS t ON t.tier = o.tier
         ORDER BY o.org_id
    LOOP
        PERFORM set_config('signiq.org_id', org.org_id::text, true);
        cutoff := (p_today - org.history_days)::timestamp AT TIME ZONE 'UTC';
        DELETE FROM signiq.audience_windows AS w WHERE w.org_id = org.org_id AND w.start_at < cutoff;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
            action := 'delete'; target := 'audience_windows ' || org.org_id; row_count := n;
            RETURN NEXT;
        END IF;
        DELETE FROM signiq.demographic_windows AS w WHERE w.org_id = org.org_id AND w.start_at < cutoff;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
            action := 'delete'; target := 'demographic_windows ' || org.org_id; row_count := n;
            RETURN NEXT;
        END IF;
    END LOOP;
    PERFORM set_config('signiq.org_id', '', true);
END $$;
REVOKE ALL ON FUNCTION signiq.apply_retention(date) FROM PUBLIC;

GRANT SELECT, INSERT, UPDATE ON signiq.audience_windows, signiq.demographic_windows TO signiq_app;
GRANT SELECT ON signiq.audience_windows, signiq.demographic_windows TO signiq_backup;
