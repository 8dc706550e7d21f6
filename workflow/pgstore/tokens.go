package pgstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/internal/echo"
	"github.com/socialflow/socialflow/networks"
)

// tokenDoc encodes t, refusing NUL bytes without echoing the value.
func tokenDoc(accountID string, t *oauth2.Token) ([]byte, error) {
	if t == nil {
		return nil, &networks.FieldError{Field: "token", Reason: "nil token"}
	}
	if err := text("account", accountID); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"token.access_token", t.AccessToken}, {"token.refresh_token", t.RefreshToken}, {"token.token_type", t.TokenType}} {
		if err := text(f.name, f.v); err != nil {
			return nil, &InvalidError{Field: f.name, Reason: "contains a NUL byte, which PostgreSQL text cannot hold"}
		}
	}
	c := *t
	c = *c.WithExtra(nil)
	return json.Marshal(&c) // cannot fail: strings, an int and a time
}

// Load implements [networks.TokenStore]: a missing account is a
// *networks.NotFoundError.
func (ts *TokenStore) Load(ctx context.Context, accountID string) (*oauth2.Token, error) {
	s := ts.s
	if err := done(ctx); err != nil {
		return nil, err
	}
	if err := text("account", accountID); err != nil {
		return nil, err
	}
	var doc []byte
	err := s.pool.QueryRow(ctx, s.sql(`SELECT doc FROM {s}.tokens WHERE account = $1`), accountID).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &networks.NotFoundError{Op: "load token", ID: networks.RemoteID(accountID)}
	}
	if err != nil {
		return nil, s.secretErr("load token", err)
	}
	var t oauth2.Token
	if err := json.Unmarshal(doc, &t); err != nil {
		return nil, &DBError{Op: "decode token", Err: errors.New("the stored token is not valid JSON"), secret: true}
	}
	return &t, nil
}

// Save implements [networks.TokenStore].
func (ts *TokenStore) Save(ctx context.Context, accountID string, t *oauth2.Token) error {
	s := ts.s
	if err := done(ctx); err != nil {
		return err
	}
	doc, err := tokenDoc(accountID, t)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.tokens (account, access, refresh, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account) DO UPDATE SET access = excluded.access, refresh = excluded.refresh, doc = excluded.doc`),
		accountID, t.AccessToken, t.RefreshToken, doc)
	return s.secretErr("save token", err)
}

// Swap implements [networks.TokenStore]: one conditional statement stores t
// only if the stored access and refresh tokens are old's (old nil: only if
// nothing is stored); otherwise a *networks.StateError matching
// socialflow.ErrConflict.
func (ts *TokenStore) Swap(ctx context.Context, accountID string, old, t *oauth2.Token) error {
	s := ts.s
	if err := done(ctx); err != nil {
		return err
	}
	doc, err := tokenDoc(accountID, t)
	if err != nil {
		return err
	}
	var n int64
	if old == nil {
		tag, err := s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.tokens (account, access, refresh, doc) VALUES ($1, $2, $3, $4)
			ON CONFLICT (account) DO NOTHING`), accountID, t.AccessToken, t.RefreshToken, doc)
		if err != nil {
			return s.secretErr("swap token", err)
		}
		n = tag.RowsAffected()
	} else {
		if _, err := tokenDoc(accountID, old); err != nil {
			return err
		}
		tag, err := s.pool.Exec(ctx, s.sql(`UPDATE {s}.tokens SET access = $2, refresh = $3, doc = $4
			WHERE account = $1 AND access = $5 AND refresh = $6`), accountID, t.AccessToken, t.RefreshToken, doc, old.AccessToken, old.RefreshToken)
		if err != nil {
			return s.secretErr("swap token", err)
		}
		n = tag.RowsAffected()
	}
	if n == 0 {
		return &networks.StateError{Op: "swap token", Reason: "the token stored for account " + echo.Quote(accountID) + " changed meanwhile"}
	}
	return nil
}

// String describes the store without any token.
func (ts *TokenStore) String() string {
	return "pgstore.TokenStore{schema:" + ts.s.schema + " tokens:REDACTED}"
}

// secretErr is err for a statement that carried tokens: the server's
// message is left out, only the SQLSTATE code is named.
func (s *Store) secretErr(op string, err error) error {
	err = s.err(op, err)
	var de *DBError
	if errors.As(err, &de) {
		de.secret = true
	}
	return err
}
