-- socialflow pgstore schema, version 3: the community inbox — incoming
-- items (once per network, account and remote id), conversations (with
-- their claim, replies and an outbox flag for delivery), per-channel
-- cursors and round-robin counters.

CREATE TABLE {s}.conversations (
	id        text COLLATE "C" PRIMARY KEY,
	workspace text COLLATE "C" NOT NULL,
	channel   text COLLATE "C" NOT NULL,
	state     text COLLATE "C" NOT NULL,
	assignee  text COLLATE "C" NOT NULL DEFAULT '',
	outbox    boolean NOT NULL DEFAULT false,
	rev       bigint NOT NULL,
	doc       jsonb NOT NULL
);
CREATE INDEX conversations_workspace ON {s}.conversations (workspace, id);
CREATE INDEX conversations_outbox ON {s}.conversations (workspace, id) WHERE outbox;

-- inbox_items: the primary key is the de-duplication. at is the item's
-- network time to the microsecond, at_ns the nanoseconds below it.
CREATE TABLE {s}.inbox_items (
	network      text COLLATE "C" NOT NULL,
	account      text COLLATE "C" NOT NULL,
	remote_id    text COLLATE "C" NOT NULL,
	id           text COLLATE "C" NOT NULL UNIQUE,
	conversation text COLLATE "C" NOT NULL,
	at           timestamptz NOT NULL,
	at_ns        integer NOT NULL CHECK (at_ns BETWEEN 0 AND 999),
	doc          jsonb NOT NULL,
	PRIMARY KEY (network, account, remote_id)
);
CREATE INDEX inbox_items_conversation ON {s}.inbox_items (conversation, at, at_ns, id);

CREATE TABLE {s}.inbox_cursors (
	channel text COLLATE "C" PRIMARY KEY,
	rev     bigint NOT NULL,
	doc     jsonb NOT NULL
);

CREATE TABLE {s}.inbox_turns (
	key text COLLATE "C" PRIMARY KEY,
	n   bigint NOT NULL
);
