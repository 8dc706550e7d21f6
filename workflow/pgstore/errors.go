package pgstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/internal/echo"
)

// InvalidError reports a value the store cannot take: a string with a NUL
// byte (PostgreSQL text cannot hold one), a bad schema name, a nil pool. It
// matches socialflow.ErrInvalid.
type InvalidError struct {
	Field  string // e.g. "post.content.text", "schema"
	Value  string // the value, clipped when echoed; empty when secret
	Reason string
}

func (e *InvalidError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("pgstore: %s %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("pgstore: %s %s %s", e.Field, echo.Quote(e.Value), e.Reason)
}

// Is reports whether target is socialflow.ErrInvalid.
func (e *InvalidError) Is(target error) bool { return target == socialflow.ErrInvalid }

// SchemaError reports a database schema this code cannot use: not migrated
// yet, newer than the code, or recorded differently from the embedded
// migrations. It matches socialflow.ErrConflict: the database and the code
// disagree, and retrying does not help until one of them changes.
type SchemaError struct {
	Schema string
	Found  int // the newest version recorded in the database (0: none)
	Known  int // the newest version this code embeds
	Reason string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("pgstore: schema %s at version %d (this code knows up to %d): %s", echo.Quote(e.Schema), e.Found, e.Known, e.Reason)
}

// Is reports whether target is socialflow.ErrConflict.
func (e *SchemaError) Is(target error) bool { return target == socialflow.ErrConflict }

// DBError reports a failure of the database or of the connection to it,
// naming the operation and the cause (the SQLSTATE code and the server's
// message, or the network error). It matches socialflow.ErrTransient when a
// retry may succeed: the connection failed or was refused, the server is
// shutting down or starting, or a serialization failure or deadlock aborted
// the statement. It unwraps to the pgx error (and to a context error when the
// context ended).
type DBError struct {
	Op     string // e.g. "update post"
	Err    error
	secret bool // the statement carried secrets: print the code only
}

func (e *DBError) Error() string {
	var pg *pgconn.PgError
	if errors.As(e.Err, &pg) {
		if e.secret {
			return fmt.Sprintf("pgstore: %s: SQLSTATE %s", e.Op, pg.Code)
		}
		return fmt.Sprintf("pgstore: %s: %s (SQLSTATE %s)", e.Op, echo.Short(pg.Message), pg.Code)
	}
	if e.secret && !errors.Is(e.Err, context.Canceled) && !errors.Is(e.Err, context.DeadlineExceeded) && !isConnErr(e.Err) {
		return fmt.Sprintf("pgstore: %s failed", e.Op)
	}
	return fmt.Sprintf("pgstore: %s: %s", e.Op, echo.Clip(e.Err.Error(), 300))
}

func (e *DBError) Unwrap() error { return e.Err }

// Is reports whether target is socialflow.ErrTransient and a retry may
// succeed.
func (e *DBError) Is(target error) bool { return target == socialflow.ErrTransient && transient(e.Err) }

// transient reports whether err is a failure a retry may get past.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "08"), // connection exception
			strings.HasPrefix(pg.Code, "53"),                           // insufficient resources (too many connections)
			pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03", // shutdown, crash, cannot connect now
			pg.Code == "40001", pg.Code == "40P01": // serialization failure, deadlock
			return true
		}
		return false
	}
	return isConnErr(err)
}

// isConnErr reports whether err is a failure to reach or keep talking to
// the server.
func isConnErr(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	return pgconn.SafeToRetry(err) || errors.As(err, &ne) || errors.As(err, &ce) || pgconn.Timeout(err) ||
		strings.Contains(err.Error(), "closed pool") || strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "unexpected EOF")
}

// pgCode returns err's SQLSTATE, or "".
func pgCode(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	return ""
}

// dbErr wraps a database error as a *DBError; nil stays nil.
func dbErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return &DBError{Op: op, Err: err}
}

// err wraps a database error for op, turning "undefined table" into a
// *SchemaError that says to migrate.
func (s *Store) err(op string, err error) error {
	if err == nil {
		return nil
	}
	if c := pgCode(err); c == "42P01" || c == "3F000" { // undefined_table, invalid_schema_name
		return &SchemaError{Schema: s.schema, Known: len(migrations), Reason: "not migrated: call Migrate (" + op + ")"}
	}
	return &DBError{Op: op, Err: err}
}

// text checks the named strings: PostgreSQL text cannot hold NUL, so a
// value with one is an *InvalidError naming its field. Pairs are field,
// value.
func text(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.IndexByte(pairs[i+1], 0) >= 0 {
			return &InvalidError{Field: pairs[i], Value: strings.ReplaceAll(pairs[i+1], "\x00", `\0`), Reason: "contains a NUL byte, which PostgreSQL text cannot hold"}
		}
	}
	return nil
}

// nulJSON is how encoding/json writes a NUL character.
const nulJSON = `\u0000`

// document checks a JSON document for NUL characters (jsonb cannot hold
// \u0000 either) and names field when it has one.
func document(field string, doc []byte) error {
	for i := 0; ; {
		j := strings.Index(string(doc[i:]), nulJSON)
		if j < 0 {
			return nil
		}
		at := i + j
		// An escape only when the backslash is not itself escaped: an odd
		// run of backslashes ends at at.
		n := 0
		for k := at; k >= 0 && doc[k] == '\\'; k-- {
			n++
		}
		if n%2 == 1 {
			return &InvalidError{Field: field, Reason: "contains a NUL character, which PostgreSQL jsonb cannot hold"}
		}
		i = at + len(nulJSON)
	}
}
