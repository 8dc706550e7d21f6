package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/socialflow/socialflow/assets"
	assetstore "github.com/socialflow/socialflow/assets/memstore"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/pgstore"
)

// stores are what the month runs on: the workflow's store and the asset
// library's, and how to let them go.
type stores struct {
	workflow workflow.Store
	assets   assets.Store
	close    func() error
}

// openStore returns the in-memory stores when url is empty, and otherwise
// pgstore over the PostgreSQL database at url, in a fresh schema of its own
// ("quickstart_" and random hex), migrated explicitly with Migrate; close
// drops that schema, so every run starts empty and leaves nothing behind.
func openStore(ctx context.Context, url string) (stores, error) {
	if url == "" {
		return stores{workflow: memstore.New(), assets: assetstore.New(), close: func() error { return nil }}, nil
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "quickstart_" + hex.EncodeToString(b)
	st, err := pgstore.Open(ctx, url, pgstore.WithSchema(schema))
	if err != nil {
		return stores{}, err
	}
	drop := func() error {
		defer st.Close()
		if _, err := st.Pool().Exec(context.Background(), `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			return fmt.Errorf("quickstart: drop schema %s: %w", schema, err)
		}
		return nil
	}
	if err := st.Migrate(ctx); err != nil {
		return stores{}, errors.Join(err, drop())
	}
	return stores{workflow: st, assets: st.Assets(), close: drop}, nil
}
