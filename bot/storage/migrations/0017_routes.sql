-- 0017 routes: one shop service backed by equivalent services on several panels (issue #16).
-- A route's members are tried in the route's policy order; each service belongs to at most one
-- route (UNIQUE(panel, service_id)), and each panel appears at most once in a route.
-- Every attempt of a routed order is a row of route_attempts, written BEFORE its `add` is sent
-- (outcome 'sending'), so a crash mid-add leaves a trace of which panel may hold the order.

CREATE TABLE routes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    policy      TEXT NOT NULL DEFAULT 'priority',   -- priority | cheapest (checked in Python)
    allow_loss  INTEGER NOT NULL DEFAULT 0 CHECK (allow_loss IN (0, 1)),
    actor       INTEGER,                            -- the admin who made it
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE route_members (
    route_id    INTEGER NOT NULL REFERENCES routes(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,                   -- 0 = first priority
    panel       TEXT NOT NULL,
    service_id  TEXT NOT NULL,
    PRIMARY KEY (route_id, position),
    UNIQUE (route_id, panel),
    UNIQUE (panel, service_id)
);

CREATE TABLE route_attempts (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    seq         INTEGER NOT NULL,                   -- 0, 1, 2 ... in the order tried or skipped
    panel       TEXT NOT NULL,
    service_id  TEXT NOT NULL,
    cost        INTEGER NOT NULL,                   -- what this panel would charge (minor units)
    outcome     TEXT NOT NULL,   -- sending, accepted, refused, not_sent, unknown, invalid, skipped
    reason      TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (order_id, seq),
    UNIQUE (order_id, panel)                        -- each provider at most once per order
);

-- what routing knows of each panel: last balance read, clear refusals in a row, cooling off
CREATE TABLE route_health (
    panel         TEXT PRIMARY KEY,
    balance       TEXT,                             -- exact Decimal text, the panel's currency
    balance_at    TEXT,
    refusals      INTEGER NOT NULL DEFAULT 0,
    cooled_until  TEXT,
    updated_at    TEXT NOT NULL
);

-- failovers and cool-offs for the admin group; `announce` is decided when written (once per
-- panel per hour for failovers), `posted` once the alert job has sent it
CREATE TABLE route_events (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,                      -- failover | cooled
    panel       TEXT NOT NULL,
    order_id    INTEGER,
    reason      TEXT,
    announce    INTEGER NOT NULL DEFAULT 0 CHECK (announce IN (0, 1)),
    posted      INTEGER NOT NULL DEFAULT 0 CHECK (posted IN (0, 1)),
    created_at  TEXT NOT NULL
);
CREATE INDEX route_events_unposted ON route_events(id) WHERE announce = 1 AND posted = 0;
CREATE INDEX route_events_panel ON route_events(panel, kind, created_at);

-- members a customer does not see in lists: an earlier member of the same route is orderable
-- (available, neither it nor its category hidden, its panel priced), so the route shows once, as its first orderable member
CREATE VIEW route_tails AS
SELECT rm.panel, rm.service_id FROM route_members rm
WHERE EXISTS (
    SELECT 1 FROM route_members rf
    JOIN services fs ON fs.panel = rf.panel AND fs.service_id = rf.service_id
    JOIN categories fc ON fc.id = fs.category_id
    WHERE rf.route_id = rm.route_id AND rf.position < rm.position
      AND fs.available = 1 AND fs.hidden = 0 AND fc.hidden = 0
      AND rf.panel NOT IN (SELECT panel FROM unpriced_panels)
);
