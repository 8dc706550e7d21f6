package assets

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// Store holds asset metadata, every stored version of it, and the usages
// that tie assets to posts. The host implements it over its database;
// [github.com/socialflow/socialflow/assets/memstore] is the in-memory default
// and [github.com/socialflow/socialflow/assets/storetest] the conformance
// suite an implementation runs in its own tests.
//
// A Store only stores and queries: the [Library] owns the rules (probing,
// normalisation, status transitions, rights, refusals) and calls the Store
// with values that pass [Asset.Validate]. A Store never retries.
//
// Contract, checked by storetest:
//   - Every method takes ctx first and returns ctx.Err() (wrapped or not) if
//     ctx is done before it starts.
//   - Methods are safe for concurrent use. Each call is atomic: of two
//     updates based on the same version exactly one succeeds.
//   - Values are copied in and out: mutating a slice of an Asset passed to or
//     returned from a Store never changes what it holds.
//   - Errors: a missing asset, version or usage matches
//     [socialflow.ErrNotFound]; a stale version is a *[ConflictError]
//     naming the current version; a taken ID is a *[ExistsError]; a taken
//     checksum is a *[DuplicateError] naming the existing asset; an invalid
//     argument matches [socialflow.ErrInvalid]; a failure of the host's
//     backend should match [socialflow.ErrTransient] when a retry may help.
type Store interface {
	// Create stores a new asset at version 1. The ID must be unused
	// (*ExistsError otherwise) and a non-empty Checksum must not belong to
	// another asset (*DuplicateError naming it otherwise, nothing stored).
	Create(ctx context.Context, a Asset) error

	// Get returns the current version of the asset id.
	Get(ctx context.Context, id string) (Asset, error)

	// GetVersion returns version v of asset id as it was stored.
	GetVersion(ctx context.Context, id string, v int) (Asset, error)

	// FindChecksum returns the asset whose Checksum is sum, or an error
	// matching ErrNotFound.
	FindChecksum(ctx context.Context, sum string) (Asset, error)

	// Update replaces asset a.ID if its stored version is a.Version
	// (*ConflictError naming the current version otherwise). It stores a with
	// Version incremented by one, keeps the earlier version readable with
	// GetVersion, and returns what it stored. ID, Kind, Checksum and BlobKey
	// may not change (ErrInvalid).
	Update(ctx context.Context, a Asset) (Asset, error)

	// Delete removes asset id and all its versions if its current version is
	// version (*ConflictError otherwise). It refuses with an *InUseError
	// listing them while any usage of the asset is recorded: callers remove
	// usages first, so a usage recorded concurrently is never orphaned.
	Delete(ctx context.Context, id string, version int) error

	// Search returns one page of the assets matching q, in q's order (see
	// [Query.Match], [Query.Compare] and [Query.After]). A bad cursor or a
	// negative limit matches ErrInvalid.
	Search(ctx context.Context, q Query) (Page, error)

	// PutUsage records u, replacing the usage with the same asset, post and
	// channel. The asset must exist (ErrNotFound otherwise).
	PutUsage(ctx context.Context, u Usage) error

	// RemoveUsage removes the usage of asset by post on channel (ErrNotFound
	// if there is none).
	RemoveUsage(ctx context.Context, assetID, postID, channel string) error

	// Usages returns the usages of asset id ordered by [CompareUsages]
	// (ErrNotFound if the asset does not exist).
	Usages(ctx context.Context, id string) ([]Usage, error)

	// ScheduledUsages returns every usage scheduled at or after from, over
	// all assets, ordered by [CompareUsages]. Unscheduled usages (zero At)
	// are not included.
	ScheduledUsages(ctx context.Context, from time.Time) ([]Usage, error)
}

// SortKey is the field a search sorts by; ties break on ID.
type SortKey string

// The search orders.
const (
	SortName    SortKey = "name"    // folded-case name, then ID (the default)
	SortCreated SortKey = "created" // CreatedAt, then ID
	SortUpdated SortKey = "updated" // UpdatedAt, then ID
)

// Search page sizes.
const (
	DefaultPageSize = 50   // Query.Limit 0 means this
	MaxPageSize     = 1000 // larger limits are lowered to this
)

// Query selects assets. Every set criterion must hold (AND); the zero Query
// matches every asset. Text and tags are compared case-folded.
type Query struct {
	// Text: every whitespace-separated word must occur (as a substring) in
	// the name, alt text, body, tags or credit.
	Text string `json:"text,omitempty"`
	// Tags: the asset carries all of them.
	Tags []string `json:"tags,omitempty"`
	// Kinds: the asset is one of them.
	Kinds []Kind `json:"kinds,omitempty"`
	// Statuses: the asset is in one of them.
	Statuses []Status `json:"statuses,omitempty"`
	// Folder: the asset is in this folder (set Recursive to include its
	// subfolders). "" with Recursive false means "any folder".
	Folder    string `json:"folder,omitempty"`
	Recursive bool   `json:"recursive,omitempty"`
	// RightsValidAt: when set, the asset's rights allow use at this instant
	// (see [Rights.ValidAt]).
	RightsValidAt time.Time `json:"rights_valid_at,omitzero"`

	Sort SortKey `json:"sort,omitempty"` // default SortName
	Desc bool    `json:"desc,omitempty"` // descending order

	// Limit is the page size: 0 means DefaultPageSize, more than
	// MaxPageSize means MaxPageSize.
	Limit int `json:"limit,omitempty"`
	// Cursor continues a search from the Next of an earlier Page with the
	// same criteria; "" starts at the beginning.
	Cursor string `json:"cursor,omitempty"`
}

// Page is one page of search results.
type Page struct {
	Assets []Asset
	// Next is the cursor of the following page, "" on the last page. The
	// cursor is a position (after this sort value and ID), not an offset:
	// assets added or removed meanwhile do not shift later pages.
	Next string
}

// PageSize returns the effective page size of q.
func (q Query) PageSize() int {
	switch {
	case q.Limit <= 0:
		return DefaultPageSize
	case q.Limit > MaxPageSize:
		return MaxPageSize
	}
	return q.Limit
}

// Validate checks q: a known sort key, kinds and statuses, a non-negative
// limit, a clean folder and a well-formed cursor. Errors are *[FieldError].
func (q Query) Validate() error {
	switch q.Sort {
	case "", SortName, SortCreated, SortUpdated:
	default:
		return &FieldError{Field: "query.sort", Value: string(q.Sort), Reason: "unknown sort key"}
	}
	if q.Limit < 0 {
		return &FieldError{Field: "query.limit", Value: fmt.Sprint(q.Limit), Reason: "must not be negative"}
	}
	for _, k := range q.Kinds {
		if !k.Valid() {
			return &FieldError{Field: "query.kinds", Value: string(k), Reason: "unknown kind"}
		}
	}
	for _, s := range q.Statuses {
		if !s.Valid() {
			return &FieldError{Field: "query.statuses", Value: string(s), Reason: "unknown status"}
		}
	}
	if err := ValidateFolder(q.Folder); err != nil {
		return err
	}
	_, err := q.cursor()
	return err
}

// Normalize returns q with its tags normalised (see [NormalizeTag]) and its
// text case-folded, as [Query.Match] expects. The Library normalises every
// query before passing it to the Store.
func (q Query) Normalize() (Query, error) {
	tags, err := NormalizeTags(q.Tags)
	if err != nil {
		return q, err
	}
	q.Tags = tags
	q.Text = cases.Fold().String(q.Text)
	return q, nil
}

// Match reports whether a satisfies every criterion of the normalised query
// q (see [Query.Normalize]); paging fields are ignored.
func (q Query) Match(a Asset) bool { return q.match(&a) }

func (q *Query) match(a *Asset) bool {
	for _, t := range q.Tags {
		if _, ok := slices.BinarySearch(a.Tags, t); !ok {
			return false
		}
	}
	if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, a.Kind) {
		return false
	}
	if len(q.Statuses) > 0 && !slices.Contains(q.Statuses, a.Status) {
		return false
	}
	if q.Folder != "" && a.Folder != q.Folder &&
		(!q.Recursive || !strings.HasPrefix(a.Folder, q.Folder+"/")) {
		return false
	}
	if !q.RightsValidAt.IsZero() && !a.Rights.ValidAt(q.RightsValidAt) {
		return false
	}
	if words := strings.Fields(q.Text); len(words) > 0 {
		hay := cases.Fold().String(strings.Join([]string{a.Name, a.AltText, a.Body, strings.Join(a.Tags, " "), a.Rights.Credit}, "\n"))
		for _, w := range words {
			if !strings.Contains(hay, w) {
				return false
			}
		}
	}
	return true
}

// appendSortKey appends the primary sort value of a in q's order: the
// case-folded name, or an instant rendered so that byte order is time order
// (for years 0 to 9999).
func (q *Query) appendSortKey(dst []byte, a *Asset) []byte {
	switch q.Sort {
	case SortCreated:
		return a.CreatedAt.UTC().AppendFormat(dst, "20060102150405.000000000")
	case SortUpdated:
		return a.UpdatedAt.UTC().AppendFormat(dst, "20060102150405.000000000")
	}
	for i := 0; i < len(a.Name); i++ {
		if a.Name[i] >= utf8.RuneSelf {
			return append(dst, cases.Fold().String(a.Name)...)
		}
	}
	for i := 0; i < len(a.Name); i++ { // ASCII: folding is lower-casing
		c := a.Name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func (q *Query) sortValue(a *Asset) string { return string(q.appendSortKey(nil, a)) }

// SortValue returns the primary sort value of a in q's order: the
// case-folded name for [SortName], the instant rendered so that string order
// is time order for [SortCreated] and [SortUpdated]. Results are ordered by
// (SortValue, ID), reversed when q.Desc. A Store that keeps sorted indexes
// computes it once per asset and sort key.
func (q Query) SortValue(a Asset) string { return q.sortValue(&a) }

// compareBS compares a byte slice with a string without converting either.
func compareBS(b []byte, s string) int {
	for i := range min(len(b), len(s)) {
		if b[i] != s[i] {
			return cmp.Compare(b[i], s[i])
		}
	}
	return cmp.Compare(len(b), len(s))
}

// Compare orders a and b as q sorts them: by the sort key, then ID, reversed
// when q.Desc. It is a total order on distinct IDs.
func (q Query) Compare(a, b Asset) int {
	c := cmp.Or(strings.Compare(q.sortValue(&a), q.sortValue(&b)), strings.Compare(a.ID, b.ID))
	if q.Desc {
		return -c
	}
	return c
}

type cursorPos struct {
	V  string `json:"v"`
	ID string `json:"id"`
}

func (q Query) cursor() (*cursorPos, error) {
	if q.Cursor == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(q.Cursor)
	var p cursorPos
	if err == nil {
		err = json.Unmarshal(raw, &p)
	}
	if err != nil || p.ID == "" {
		return nil, &FieldError{Field: "query.cursor", Value: q.Cursor, Reason: "malformed cursor"}
	}
	return &p, nil
}

// After reports whether a comes after q.Cursor in q's order, so belongs on
// the page the cursor asks for. With no cursor every asset does. A malformed
// cursor makes it report false; check [Query.Validate] first.
func (q Query) After(a Asset) bool {
	p, err := q.cursor()
	if err != nil {
		return false
	}
	return q.afterKey(p, q.appendSortKey(nil, &a), a.ID)
}

func (q *Query) afterKey(p *cursorPos, key []byte, id string) bool {
	if p == nil {
		return true
	}
	c := cmp.Or(compareBS(key, p.V), strings.Compare(id, p.ID))
	if q.Desc {
		return c < 0
	}
	return c > 0
}

// CursorAfter returns the cursor of the page that starts after a, for
// [Page.Next].
func (q Query) CursorAfter(a Asset) string {
	raw, _ := json.Marshal(cursorPos{V: q.sortValue(&a), ID: a.ID}) // cannot fail: two strings
	return base64.RawURLEncoding.EncodeToString(raw)
}

// Paginate is the reference implementation of a search page: it keeps the
// candidates that match q and come after its cursor, and returns the first
// page of them in q's order. A Store calls it on whatever its indexes
// narrowed the candidates to (the in-memory store passes the assets of the
// rarest queried tag). It keeps only one page of hits in memory (a bounded
// heap), so the cost is linear in the candidates. q must be normalised and
// valid; a malformed cursor yields an empty page. Paginate only reads the
// candidates; the returned assets are shallow copies of them, so clone them
// ([Asset.Clone]) before handing them out if the candidates are stored
// values.
func Paginate(q Query, candidates iter.Seq[*Asset]) Page {
	p, err := q.cursor()
	if err != nil {
		return Page{}
	}
	n := q.PageSize()
	h := &topK{q: q, max: n + 1}
	var key []byte // scratch: a key is copied only when it enters the heap
	for a := range candidates {
		if !q.match(a) {
			continue
		}
		key = q.appendSortKey(key[:0], a)
		if !q.afterKey(p, key, a.ID) || !h.wants(key, a.ID) {
			continue
		}
		h.offer(keyed{v: string(key), a: *a})
	}
	ks := h.items
	slices.SortFunc(ks, h.cmp)
	var page Page
	if len(ks) > n {
		ks = ks[:n]
		page.Next = q.CursorAfter(ks[n-1].a)
	}
	page.Assets = make([]Asset, len(ks))
	for i, k := range ks {
		page.Assets[i] = k.a
	}
	return page
}

type keyed struct {
	v string // sort value, computed once per hit
	a Asset
}

// topK keeps the max smallest items in q's order, as a max-heap.
type topK struct {
	q     Query
	max   int
	items []keyed
}

func (h *topK) cmp(x, y keyed) int {
	c := cmp.Or(strings.Compare(x.v, y.v), strings.Compare(x.a.ID, y.a.ID))
	if h.q.Desc {
		return -c
	}
	return c
}

// wants reports whether an item with this key and ID would enter the heap.
func (h *topK) wants(key []byte, id string) bool {
	if len(h.items) < h.max {
		return true
	}
	top := h.items[0]
	c := cmp.Or(compareBS(key, top.v), strings.Compare(id, top.a.ID))
	if h.q.Desc {
		c = -c
	}
	return c < 0
}

func (h *topK) offer(k keyed) {
	if len(h.items) < h.max {
		h.items = append(h.items, k)
		for i := len(h.items) - 1; i > 0; { // sift up
			parent := (i - 1) / 2
			if h.cmp(h.items[i], h.items[parent]) <= 0 {
				break
			}
			h.items[i], h.items[parent] = h.items[parent], h.items[i]
			i = parent
		}
		return
	}
	if h.cmp(k, h.items[0]) >= 0 {
		return
	}
	h.items[0] = k
	for i := 0; ; { // sift down
		l, r, big := 2*i+1, 2*i+2, i
		if l < len(h.items) && h.cmp(h.items[l], h.items[big]) > 0 {
			big = l
		}
		if r < len(h.items) && h.cmp(h.items[r], h.items[big]) > 0 {
			big = r
		}
		if big == i {
			return
		}
		h.items[i], h.items[big] = h.items[big], h.items[i]
		i = big
	}
}
