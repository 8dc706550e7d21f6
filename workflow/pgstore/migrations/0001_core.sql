-- socialflow pgstore schema, version 1: the workflow store, the due
-- indexes, leases, single-use keys, the audit chains, OAuth tokens and the
-- asset library. {s} is the schema, quoted by the code that runs this file.
-- Every text column that a query orders or pages by uses COLLATE "C", so the
-- database orders as Go's strings.Compare does.

CREATE TABLE {s}.posts (
	id         text COLLATE "C" PRIMARY KEY,
	workspace  text COLLATE "C" NOT NULL,
	state      text NOT NULL,
	rev        bigint NOT NULL,
	doc        jsonb NOT NULL,
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX posts_workspace ON {s}.posts (workspace, id);
CREATE INDEX posts_state ON {s}.posts (state, id);

-- due_targets is the DueIndex of targets, keyed by Target.NextAction: at
-- is the instant to the microsecond (rounded down) and at_ns the
-- nanoseconds below it, so keys keep Go's full precision.
CREATE TABLE {s}.due_targets (
	post      text COLLATE "C" NOT NULL REFERENCES {s}.posts (id) ON DELETE CASCADE,
	channel   text COLLATE "C" NOT NULL,
	at        timestamptz NOT NULL,
	at_ns     integer NOT NULL CHECK (at_ns BETWEEN 0 AND 999),
	workspace text COLLATE "C" NOT NULL,
	PRIMARY KEY (post, channel)
);
CREATE INDEX due_targets_at ON {s}.due_targets (at, at_ns, post, channel);

-- due_deadlines is the DueIndex of approval deadlines, keyed by
-- Post.NextDeadline.
CREATE TABLE {s}.due_deadlines (
	post      text COLLATE "C" PRIMARY KEY REFERENCES {s}.posts (id) ON DELETE CASCADE,
	at        timestamptz NOT NULL,
	at_ns     integer NOT NULL CHECK (at_ns BETWEEN 0 AND 999),
	workspace text COLLATE "C" NOT NULL
);
CREATE INDEX due_deadlines_at ON {s}.due_deadlines (at, at_ns, post);

CREATE TABLE {s}.versions (
	post   text COLLATE "C" NOT NULL,
	number integer NOT NULL,
	doc    jsonb NOT NULL,
	PRIMARY KEY (post, number)
);

CREATE TABLE {s}.comments (
	post text COLLATE "C" NOT NULL,
	id   text COLLATE "C" NOT NULL,
	seq  bigserial NOT NULL,
	doc  jsonb NOT NULL,
	PRIMARY KEY (post, id)
);
CREATE INDEX comments_order ON {s}.comments (post, seq);

CREATE TABLE {s}.tasks (
	id        text COLLATE "C" PRIMARY KEY,
	workspace text COLLATE "C" NOT NULL,
	assignee  text COLLATE "C" NOT NULL,
	post      text COLLATE "C" NOT NULL,
	done      boolean NOT NULL,
	due       timestamptz NOT NULL,
	doc       jsonb NOT NULL
);
CREATE INDEX tasks_workspace ON {s}.tasks (workspace, due, id);
CREATE INDEX tasks_assignee ON {s}.tasks (assignee, due, id);
CREATE INDEX tasks_post ON {s}.tasks (post, due, id);

-- events holds one audit chain per workspace; the primary key makes two
-- appenders of one sequence number collide.
CREATE TABLE {s}.events (
	workspace text COLLATE "C" NOT NULL,
	seq       bigint NOT NULL CHECK (seq > 0),
	doc       jsonb NOT NULL,
	PRIMARY KEY (workspace, seq)
);

CREATE TABLE {s}.spent_keys (
	key text COLLATE "C" PRIMARY KEY,
	at  timestamptz NOT NULL
);

-- leases keeps one row per key for ever: token only grows, a release sets
-- expires to -infinity.
CREATE TABLE {s}.leases (
	key     text COLLATE "C" PRIMARY KEY,
	holder  text NOT NULL,
	token   bigint NOT NULL,
	expires timestamptz NOT NULL
);

CREATE TABLE {s}.tokens (
	account text COLLATE "C" PRIMARY KEY,
	access  text NOT NULL,
	refresh text NOT NULL,
	doc     jsonb NOT NULL
);

CREATE TABLE {s}.assets (
	id           text COLLATE "C" PRIMARY KEY,
	version      integer NOT NULL,
	checksum     text COLLATE "C" UNIQUE,
	kind         text NOT NULL,
	status       text NOT NULL,
	folder       text COLLATE "C" NOT NULL,
	tags         text[] NOT NULL,
	sort_name    text COLLATE "C" NOT NULL,
	sort_created text COLLATE "C" NOT NULL,
	sort_updated text COLLATE "C" NOT NULL,
	doc          jsonb NOT NULL
);
CREATE INDEX assets_name ON {s}.assets (sort_name, id);
CREATE INDEX assets_created ON {s}.assets (sort_created, id);
CREATE INDEX assets_updated ON {s}.assets (sort_updated, id);
CREATE INDEX assets_tags ON {s}.assets USING gin (tags);
CREATE INDEX assets_folder ON {s}.assets (folder text_pattern_ops);

CREATE TABLE {s}.asset_versions (
	id      text COLLATE "C" NOT NULL REFERENCES {s}.assets (id) ON DELETE CASCADE,
	version integer NOT NULL,
	doc     jsonb NOT NULL,
	PRIMARY KEY (id, version)
);

CREATE TABLE {s}.usages (
	asset   text COLLATE "C" NOT NULL REFERENCES {s}.assets (id),
	post    text COLLATE "C" NOT NULL,
	channel text COLLATE "C" NOT NULL,
	network text NOT NULL,
	at      timestamptz,
	PRIMARY KEY (asset, post, channel)
);
CREATE INDEX usages_at ON {s}.usages (at, asset, post, channel) WHERE at IS NOT NULL;
