package pgstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/socialflow/socialflow/assets"
)

// assetRow is what an asset write stores beside the document.
type assetRow struct {
	doc                    []byte
	checksum               *string
	tags                   []string
	name, created, updated string // the sort values of the three orders
}

func encodeAsset(a assets.Asset) (assetRow, error) {
	if err := text("asset.id", a.ID, "asset.checksum", a.Checksum, "asset.folder", a.Folder, "asset.kind", string(a.Kind), "asset.status", string(a.Status)); err != nil {
		return assetRow{}, err
	}
	for _, t := range a.Tags {
		if err := text("asset.tags", t); err != nil {
			return assetRow{}, err
		}
	}
	doc, err := json.Marshal(a)
	if err != nil {
		return assetRow{}, &InvalidError{Field: "asset", Reason: "cannot be encoded as JSON: " + err.Error()}
	}
	if err := document("asset", doc); err != nil {
		return assetRow{}, err
	}
	r := assetRow{doc: doc, tags: append([]string{}, a.Tags...),
		name:    assets.Query{Sort: assets.SortName}.SortValue(a),
		created: assets.Query{Sort: assets.SortCreated}.SortValue(a),
		updated: assets.Query{Sort: assets.SortUpdated}.SortValue(a)}
	if a.Checksum != "" {
		c := a.Checksum
		r.checksum = &c
	}
	return r, nil
}

func decodeAsset(doc []byte) (assets.Asset, error) {
	var a assets.Asset
	if err := json.Unmarshal(doc, &a); err != nil {
		return assets.Asset{}, &DBError{Op: "decode asset", Err: err}
	}
	return a, nil
}

// Create implements [assets.Store]: the primary key and the unique
// checksum refuse a taken ID or checksum in the insert itself.
func (as *AssetStore) Create(ctx context.Context, a assets.Asset) error {
	s := as.s
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if a.Version != 1 {
		return &assets.FieldError{Field: "version", Value: fmt.Sprint(a.Version), Reason: "a new asset is version 1"}
	}
	r, err := encodeAsset(a)
	if err != nil {
		return err
	}
	var id string
	err = s.pool.QueryRow(ctx, s.sql(`WITH a AS (
		INSERT INTO {s}.assets (id, version, checksum, kind, status, folder, tags, sort_name, sort_created, sort_updated, doc)
		VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id),
	v AS (INSERT INTO {s}.asset_versions (id, version, doc) SELECT id, 1, $10 FROM a)
	SELECT id FROM a`), a.ID, r.checksum, string(a.Kind), string(a.Status), a.Folder, r.tags, r.name, r.created, r.updated, r.doc).Scan(&id)
	if err == nil {
		return nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return s.err("create asset", err)
	}
	// Nothing inserted: the ID or the checksum is taken.
	var exists bool
	if err := s.pool.QueryRow(ctx, s.sql(`SELECT EXISTS (SELECT 1 FROM {s}.assets WHERE id = $1)`), a.ID).Scan(&exists); err != nil {
		return s.err("create asset", err)
	}
	if exists {
		return &assets.ExistsError{ID: a.ID}
	}
	var other string
	if err := s.pool.QueryRow(ctx, s.sql(`SELECT id FROM {s}.assets WHERE checksum = $1`), a.Checksum).Scan(&other); err != nil {
		return s.err("create asset", err)
	}
	return &assets.DuplicateError{Checksum: a.Checksum, ExistingID: other}
}

// Get implements [assets.Store].
func (as *AssetStore) Get(ctx context.Context, id string) (assets.Asset, error) {
	s := as.s
	if err := ctx.Err(); err != nil {
		return assets.Asset{}, err
	}
	if err := text("asset.id", id); err != nil {
		return assets.Asset{}, err
	}
	var doc []byte
	err := s.pool.QueryRow(ctx, s.sql(`SELECT doc FROM {s}.assets WHERE id = $1`), id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return assets.Asset{}, &assets.NotFoundError{What: "asset", ID: id}
	}
	if err != nil {
		return assets.Asset{}, s.err("get asset", err)
	}
	return decodeAsset(doc)
}

// GetVersion implements [assets.Store].
func (as *AssetStore) GetVersion(ctx context.Context, id string, v int) (assets.Asset, error) {
	s := as.s
	if err := ctx.Err(); err != nil {
		return assets.Asset{}, err
	}
	if err := text("asset.id", id); err != nil {
		return assets.Asset{}, err
	}
	var doc []byte
	err := s.pool.QueryRow(ctx, s.sql(`SELECT doc FROM {s}.asset_versions WHERE id = $1 AND version = $2`), id, v).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, gerr := as.Get(ctx, id); gerr != nil {
			return assets.Asset{}, gerr
		}
		return assets.Asset{}, &assets.NotFoundError{What: "version", ID: fmt.Sprintf("%s@%d", id, v)}
	}
	if err != nil {
		return assets.Asset{}, s.err("get asset version", err)
	}
	return decodeAsset(doc)
}

// FindChecksum implements [assets.Store].
func (as *AssetStore) FindChecksum(ctx context.Context, sum string) (assets.Asset, error) {
	s := as.s
	if err := ctx.Err(); err != nil {
		return assets.Asset{}, err
	}
	if err := text("checksum", sum); err != nil {
		return assets.Asset{}, err
	}
	var doc []byte
	err := s.pool.QueryRow(ctx, s.sql(`SELECT doc FROM {s}.assets WHERE checksum = $1`), sum).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) || sum == "" {
		return assets.Asset{}, &assets.NotFoundError{What: "checksum", ID: sum}
	}
	if err != nil {
		return assets.Asset{}, s.err("find checksum", err)
	}
	return decodeAsset(doc)
}

// Update implements [assets.Store]: in one transaction (of statements
// only), the current row is locked, checked and replaced, and the new
// version recorded.
func (as *AssetStore) Update(ctx context.Context, a assets.Asset) (assets.Asset, error) {
	s := as.s
	if err := ctx.Err(); err != nil {
		return assets.Asset{}, err
	}
	if err := a.Validate(); err != nil {
		return assets.Asset{}, err
	}
	base := a.Version
	a = a.Clone()
	a.Version++
	r, err := encodeAsset(a)
	if err != nil {
		return assets.Asset{}, err
	}
	var out error
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var doc []byte
		err := tx.QueryRow(ctx, s.sql(`SELECT doc FROM {s}.assets WHERE id = $1 FOR UPDATE`), a.ID).Scan(&doc)
		if errors.Is(err, pgx.ErrNoRows) {
			out = &assets.NotFoundError{What: "asset", ID: a.ID}
			return out
		}
		if err != nil {
			return err
		}
		cur, err := decodeAsset(doc)
		if err != nil {
			return err
		}
		if cur.Version != base {
			out = &assets.ConflictError{ID: a.ID, Version: base, Current: cur.Version}
			return out
		}
		if a.Kind != cur.Kind || a.Checksum != cur.Checksum || a.BlobKey != cur.BlobKey {
			out = &assets.FieldError{Field: "kind", Value: a.ID, Reason: "kind, checksum and blob key are immutable"}
			return out
		}
		b := &pgx.Batch{}
		b.Queue(s.sql(`UPDATE {s}.assets SET version = $2, status = $3, folder = $4, tags = $5, sort_name = $6, sort_created = $7, sort_updated = $8, doc = $9 WHERE id = $1`),
			a.ID, a.Version, string(a.Status), a.Folder, r.tags, r.name, r.created, r.updated, r.doc)
		b.Queue(s.sql(`INSERT INTO {s}.asset_versions (id, version, doc) VALUES ($1, $2, $3)`), a.ID, a.Version, r.doc)
		return tx.SendBatch(ctx, b).Close()
	})
	if out != nil {
		return assets.Asset{}, out
	}
	if err != nil {
		return assets.Asset{}, s.err("update asset", err)
	}
	return a, nil
}

// Delete implements [assets.Store]. The asset row is locked first; a
// concurrent PutUsage waits on that lock (its foreign key check) and then
// finds the asset gone, so no usage is orphaned.
func (as *AssetStore) Delete(ctx context.Context, id string, version int) error {
	s := as.s
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := text("asset.id", id); err != nil {
		return err
	}
	var out error
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var cur int
		err := tx.QueryRow(ctx, s.sql(`SELECT version FROM {s}.assets WHERE id = $1 FOR UPDATE`), id).Scan(&cur)
		if errors.Is(err, pgx.ErrNoRows) {
			out = &assets.NotFoundError{What: "asset", ID: id}
			return out
		}
		if err != nil {
			return err
		}
		if cur != version {
			out = &assets.ConflictError{ID: id, Version: version, Current: cur}
			return out
		}
		us, err := queryUsages(ctx, tx, s.sql(`SELECT asset, post, channel, network, at FROM {s}.usages WHERE asset = $1`), id)
		if err != nil {
			return err
		}
		if len(us) > 0 {
			out = &assets.InUseError{ID: id, Usages: us}
			return out
		}
		_, err = tx.Exec(ctx, s.sql(`DELETE FROM {s}.assets WHERE id = $1`), id)
		return err
	})
	if out != nil {
		return out
	}
	return s.err("delete asset", err)
}

// sortColumns maps a sort key to its column (constants only).
var sortColumns = map[assets.SortKey]string{"": "sort_name", assets.SortName: "sort_name", assets.SortCreated: "sort_created", assets.SortUpdated: "sort_updated"}

// cursorPos is the position a search cursor encodes ([assets.Query.CursorAfter]):
// after sort value V and ID.
type cursorPos struct {
	V  string `json:"v"`
	ID string `json:"id"`
}

// Search implements [assets.Store]. The database filters by kind, status,
// folder and tags (a GIN index) and walks the order's index from the
// cursor; the text and rights criteria are applied to what it returns, a
// chunk at a time, until a page is full.
func (as *AssetStore) Search(ctx context.Context, q assets.Query) (assets.Page, error) {
	s := as.s
	if err := ctx.Err(); err != nil {
		return assets.Page{}, err
	}
	if err := q.Validate(); err != nil {
		return assets.Page{}, err
	}
	if err := text("query.folder", q.Folder, "query.text", q.Text); err != nil {
		return assets.Page{}, err
	}
	for _, t := range q.Tags {
		if err := text("query.tags", t); err != nil {
			return assets.Page{}, err
		}
	}
	var pos *cursorPos
	if q.Cursor != "" {
		raw, _ := base64.RawURLEncoding.DecodeString(q.Cursor) // Validate checked it
		pos = &cursorPos{}
		_ = json.Unmarshal(raw, pos)
	}
	col := sortColumns[q.Sort]
	cmp, dir := ">", "ASC"
	if q.Desc {
		cmp, dir = "<", "DESC"
	}
	kinds := make([]string, 0, len(q.Kinds))
	for _, k := range q.Kinds {
		kinds = append(kinds, string(k))
	}
	statuses := make([]string, 0, len(q.Statuses))
	for _, st := range q.Statuses {
		statuses = append(statuses, string(st))
	}
	tags := append([]string{}, q.Tags...)
	sql := s.sql(`SELECT ` + col + `, id, doc FROM {s}.assets
		WHERE (NOT $1 OR (` + col + `, id) ` + cmp + ` ($2, $3))
		AND (cardinality($4::text[]) = 0 OR kind = ANY ($4))
		AND (cardinality($5::text[]) = 0 OR status = ANY ($5))
		AND ($6 = '' OR folder = $6 OR ($7 AND left(folder, length($6) + 1) = $6 || '/'))
		AND tags @> $8
		ORDER BY ` + col + ` ` + dir + `, id ` + dir + ` LIMIT $9`)
	n := q.PageSize()
	chunk := max(n+1, 64)
	var hits []assets.Asset
	for {
		after, v, id := pos != nil, "", ""
		if pos != nil {
			v, id = pos.V, pos.ID
		}
		rows, err := s.pool.Query(ctx, sql, after, v, id, kinds, statuses, q.Folder, q.Recursive, tags, chunk)
		if err != nil {
			return assets.Page{}, s.err("search assets", err)
		}
		var got int
		var last cursorPos
		for rows.Next() {
			var doc []byte
			if err := rows.Scan(&last.V, &last.ID, &doc); err != nil {
				rows.Close()
				return assets.Page{}, s.err("search assets", err)
			}
			got++
			a, err := decodeAsset(doc)
			if err != nil {
				rows.Close()
				return assets.Page{}, err
			}
			if q.Match(a) && len(hits) <= n {
				hits = append(hits, a)
			}
		}
		if err := rows.Err(); err != nil {
			return assets.Page{}, s.err("search assets", err)
		}
		if len(hits) > n || got < chunk {
			break
		}
		pos = &last
	}
	var p assets.Page
	if len(hits) > n {
		hits = hits[:n]
		p.Next = q.CursorAfter(hits[n-1])
	}
	p.Assets = hits
	return p, nil
}

// PutUsage implements [assets.Store]; the foreign key makes a usage of a
// missing asset ErrNotFound.
func (as *AssetStore) PutUsage(ctx context.Context, u assets.Usage) error {
	s := as.s
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := text("usage.asset_id", u.AssetID, "usage.post_id", u.PostID, "usage.channel", u.Channel, "usage.network", u.Network); err != nil {
		return err
	}
	var at *time.Time
	if !u.At.IsZero() {
		t := u.At.UTC()
		at = &t
	}
	_, err := s.pool.Exec(ctx, s.sql(`INSERT INTO {s}.usages (asset, post, channel, network, at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (asset, post, channel) DO UPDATE SET network = excluded.network, at = excluded.at`), u.AssetID, u.PostID, u.Channel, u.Network, at)
	if pgCode(err) == "23503" { // foreign_key_violation
		return &assets.NotFoundError{What: "asset", ID: u.AssetID}
	}
	return s.err("put usage", err)
}

// RemoveUsage implements [assets.Store].
func (as *AssetStore) RemoveUsage(ctx context.Context, assetID, postID, channel string) error {
	s := as.s
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := text("usage.asset_id", assetID, "usage.post_id", postID, "usage.channel", channel); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`DELETE FROM {s}.usages WHERE asset = $1 AND post = $2 AND channel = $3`), assetID, postID, channel)
	if err != nil {
		return s.err("remove usage", err)
	}
	if tag.RowsAffected() == 0 {
		return &assets.NotFoundError{What: "usage", ID: assetID + "/" + postID + "/" + channel}
	}
	return nil
}

// Usages implements [assets.Store].
func (as *AssetStore) Usages(ctx context.Context, id string) ([]assets.Usage, error) {
	s := as.s
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := text("asset.id", id); err != nil {
		return nil, err
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, s.sql(`SELECT EXISTS (SELECT 1 FROM {s}.assets WHERE id = $1)`), id).Scan(&exists); err != nil {
		return nil, s.err("list usages", err)
	}
	if !exists {
		return nil, &assets.NotFoundError{What: "asset", ID: id}
	}
	us, err := queryUsages(ctx, s.pool, s.sql(`SELECT asset, post, channel, network, at FROM {s}.usages WHERE asset = $1`), id)
	return us, s.err("list usages", err)
}

// ScheduledUsages implements [assets.Store]: a range scan of usages_at.
func (as *AssetStore) ScheduledUsages(ctx context.Context, from time.Time) ([]assets.Usage, error) {
	s := as.s
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	us, err := queryUsages(ctx, s.pool, s.sql(`SELECT asset, post, channel, network, at FROM {s}.usages WHERE at IS NOT NULL AND at >= $1`), from.UTC())
	return us, s.err("list scheduled usages", err)
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// queryUsages reads usages ordered by [assets.CompareUsages] (unscheduled
// first, then time, asset, post, channel).
func queryUsages(ctx context.Context, q querier, sql string, args ...any) ([]assets.Usage, error) {
	rows, err := q.Query(ctx, sql+` ORDER BY at NULLS FIRST, asset, post, channel`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (assets.Usage, error) {
		var (
			u  assets.Usage
			at *time.Time
		)
		err := r.Scan(&u.AssetID, &u.PostID, &u.Channel, &u.Network, &at)
		if at != nil {
			u.At = at.UTC()
		}
		return u, err
	})
}
