package pinterest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// Destination is where an account's pins go: a board and, optionally, a
// section of it (ids as Pinterest gives them: [Adapter.Boards],
// [Adapter.Sections]).
type Destination struct {
	Board   string `json:"board"`
	Section string `json:"section,omitempty"`
}

func (d Destination) check(account string) error {
	if !digits(d.Board) {
		return &networks.FieldError{Network: Network, Field: "account.destination.board", Value: d.Board,
			Reason: "account " + strconv.Quote(account) + ": a board id is decimal digits"}
	}
	if d.Section != "" && !digits(d.Section) {
		return &networks.FieldError{Network: Network, Field: "account.destination.section", Value: d.Section,
			Reason: "account " + strconv.Quote(account) + ": a section id is decimal digits"}
	}
	return nil
}

// Destinations says where each account pins. The host chooses the board
// when it connects the account (typically from [Adapter.Boards], or a board
// it creates with [Adapter.CreateBoard]) and keeps it beside the account.
type Destinations interface {
	// Destination returns acct's destination, and false when it has none.
	Destination(acct networks.Account) (Destination, bool)
}

// DestinationMap is a fixed [Destinations] by [networks.Account].ID. It
// must not change while the adapter publishes (a map is not safe for
// concurrent writes); a host whose accounts change at run time gives a
// [DestinationFunc] over its own synchronized records.
type DestinationMap map[string]Destination

// Destination returns m[acct.ID].
func (m DestinationMap) Destination(acct networks.Account) (Destination, bool) {
	d, ok := m[acct.ID]
	return d, ok
}

// DestinationFunc adapts a function to [Destinations].
type DestinationFunc func(acct networks.Account) (Destination, bool)

// Destination returns f(acct).
func (f DestinationFunc) Destination(acct networks.Account) (Destination, bool) { return f(acct) }

func (a *Adapter) destination(acct networks.Account) (Destination, error) {
	d, ok := a.dest.Destination(acct)
	if !ok {
		return d, &networks.FieldError{Network: Network, Field: "account.destination", Value: acct.ID,
			Reason: "no board for this account (WithDestinations)"}
	}
	return d, d.check(acct.ID)
}

// Board is a board as [Adapter.Boards] lists it (components.schemas.Board).
type Board struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Privacy is PUBLIC, PROTECTED or SECRET.
	Privacy  string `json:"privacy,omitempty"`
	PinCount int    `json:"pin_count,omitempty"`
}

// Section is a board section (components.schemas.BoardSection).
type Section struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// The board privacies (components.schemas.BoardPrivacy).
const (
	Public    = "PUBLIC"
	Protected = "PROTECTED"
	Secret    = "SECRET"
)

// maxListPages bounds the pages Boards and Sections read.
const maxListPages = 40

type page[T any] struct {
	Items    []T     `json:"items"`
	Bookmark *string `json:"bookmark"`
}

// list reads every page of a paginated GET (bookmark and page_size, at most
// 250).
func list[T any](ctx context.Context, a *Adapter, acct networks.Account, path, name string) ([]T, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pinterest: %s: %w", name, err)
	}
	var all []T
	bookmark := ""
	for range maxListPages {
		q := url.Values{"page_size": {"250"}}
		if bookmark != "" {
			q.Set("bookmark", bookmark)
		}
		var p page[T]
		if _, err := a.api.Do(ctx, &apikit.Request{Method: http.MethodGet, URL: a.url(path, q), Name: name,
			Account: &acct, Op: "boards", AccountID: acct.ID}, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Items...)
		if p.Bookmark == nil || *p.Bookmark == "" {
			break
		}
		bookmark = *p.Bookmark
	}
	return all, nil
}

// Boards lists the account's boards (boards/list, GET /v5/boards), every
// page.
func (a *Adapter) Boards(ctx context.Context, acct networks.Account) ([]Board, error) {
	return list[Board](ctx, a, acct, "/boards", "GET /v5/boards")
}

// CreateBoard creates a board (boards/create, POST /v5/boards): name
// required, privacy empty (PUBLIC), [Public], [Protected] or [Secret].
func (a *Adapter) CreateBoard(ctx context.Context, acct networks.Account, name, description, privacy string) (Board, error) {
	if err := ctx.Err(); err != nil {
		return Board{}, fmt.Errorf("pinterest: create board: %w", err)
	}
	switch {
	case name == "" || utf8.RuneCountInString(name) > 180:
		return Board{}, &networks.FieldError{Network: Network, Field: "board.name", Value: name, Reason: "1 to 180 characters"}
	case privacy != "" && privacy != Public && privacy != Protected && privacy != Secret:
		return Board{}, &networks.FieldError{Network: Network, Field: "board.privacy", Value: privacy, Reason: "PUBLIC, PROTECTED or SECRET"}
	}
	in := map[string]string{"name": name}
	if description != "" {
		in["description"] = description
	}
	if privacy != "" {
		in["privacy"] = privacy
	}
	var b Board
	_, err := a.api.Do(ctx, &apikit.Request{Method: http.MethodPost, URL: a.url("/boards", nil), Name: "POST /v5/boards", JSON: in,
		Account: &acct, Write: true, Op: "boards", AccountID: acct.ID}, &b)
	return b, err
}

// Sections lists a board's sections (board_sections/list, GET
// /v5/boards/{board_id}/sections).
func (a *Adapter) Sections(ctx context.Context, acct networks.Account, board string) ([]Section, error) {
	if !digits(board) {
		return nil, &networks.FieldError{Network: Network, Field: "board", Value: board, Reason: "a board id is decimal digits"}
	}
	return list[Section](ctx, a, acct, "/boards/"+board+"/sections", "GET /v5/boards/{board_id}/sections")
}

// CreateSection creates a section of a board (board_sections/create,
// POST /v5/boards/{board_id}/sections); name is 1 to 180 characters.
func (a *Adapter) CreateSection(ctx context.Context, acct networks.Account, board, name string) (Section, error) {
	if err := ctx.Err(); err != nil {
		return Section{}, fmt.Errorf("pinterest: create section: %w", err)
	}
	switch {
	case !digits(board):
		return Section{}, &networks.FieldError{Network: Network, Field: "board", Value: board, Reason: "a board id is decimal digits"}
	case name == "" || utf8.RuneCountInString(name) > 180:
		return Section{}, &networks.FieldError{Network: Network, Field: "section.name", Value: name, Reason: "1 to 180 characters"}
	}
	var s Section
	_, err := a.api.Do(ctx, &apikit.Request{Method: http.MethodPost, URL: a.url("/boards/"+board+"/sections", nil),
		Name: "POST /v5/boards/{board_id}/sections", JSON: map[string]string{"name": name},
		Account: &acct, Write: true, Op: "boards", AccountID: acct.ID}, &s)
	return s, err
}
