-- socialflow pgstore schema, version 2: the team document, the planning
-- state (channel and workspace plans, calendar events) and the calendar
-- range index over post targets by workspace and planned instant.

-- team holds the one team document of the schema (row id 1).
CREATE TABLE {s}.team (
	id  smallint PRIMARY KEY CHECK (id = 1),
	rev bigint NOT NULL,
	doc jsonb NOT NULL
);

CREATE TABLE {s}.channel_plans (
	channel   text COLLATE "C" PRIMARY KEY,
	workspace text COLLATE "C" NOT NULL,
	rev       bigint NOT NULL,
	doc       jsonb NOT NULL
);
CREATE INDEX channel_plans_workspace ON {s}.channel_plans (workspace, channel);

CREATE TABLE {s}.workspace_plans (
	workspace text COLLATE "C" PRIMARY KEY,
	rev       bigint NOT NULL,
	doc       jsonb NOT NULL
);

CREATE TABLE {s}.calendar_events (
	workspace text COLLATE "C" NOT NULL,
	id        text COLLATE "C" NOT NULL,
	doc       jsonb NOT NULL,
	PRIMARY KEY (workspace, id)
);

-- planned_targets is the calendar range index: every target of a post with
-- a planned instant (Post.PlannedAt), kept in step with every post write in
-- the write's own statement. at is the instant to the microsecond, at_ns the
-- nanoseconds below it.
CREATE TABLE {s}.planned_targets (
	post      text COLLATE "C" NOT NULL REFERENCES {s}.posts (id) ON DELETE CASCADE,
	channel   text COLLATE "C" NOT NULL,
	workspace text COLLATE "C" NOT NULL,
	at        timestamptz NOT NULL,
	at_ns     integer NOT NULL CHECK (at_ns BETWEEN 0 AND 999),
	PRIMARY KEY (post, channel)
);
CREATE INDEX planned_targets_range ON {s}.planned_targets (workspace, at, at_ns, post, channel);
