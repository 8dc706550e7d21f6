package pinterest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// FindByMarker looks for the pin a publish with marker made: the [Journal]
// says which board it went to, when, and the digest of its title and
// description; the board's pins (GET /v5/boards/{board_id}/pins, pages of
// 100, at most [WithFindPages]) are searched for one with that digest made
// no earlier than a minute before the entry. A marker the journal does not
// know was never sent by this adapter's journal: false. Two drafts of the
// same title and description published to one board within the same
// minutes are indistinguishable; the newest listed is returned.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	op := networks.OpFind
	if err := ctx.Err(); err != nil {
		return networks.Receipt{}, false, fmt.Errorf("pinterest: find: %w", err)
	}
	e, ok, err := a.journal.Get(ctx, marker)
	if err != nil {
		return networks.Receipt{}, false, &networks.TransientError{Network: Network, Op: op, Err: fmt.Errorf("journal: %w", err)}
	}
	if !ok || !digits(e.Board) {
		return networks.Receipt{}, false, nil
	}
	since := e.At.Add(-time.Minute)
	bookmark := ""
	for range a.findPages {
		q := url.Values{"page_size": {"100"}}
		if bookmark != "" {
			q.Set("bookmark", bookmark)
		}
		var p page[pinJSON]
		if _, err := a.api.Do(ctx, &apikit.Request{Method: http.MethodGet, URL: a.url("/boards/"+e.Board+"/pins", q),
			Name: "GET /v5/boards/{board_id}/pins", Account: &acct, Op: op, AccountID: acct.ID, Marker: marker}, &p); err != nil {
			return networks.Receipt{}, false, err
		}
		for _, pin := range p.Items {
			if !digits(pin.ID) || Digest(str(pin.Title), str(pin.Description)) != e.Digest {
				continue
			}
			at, known := parseTime(pin.CreatedAt)
			if known && at.Before(since) {
				continue
			}
			if !known {
				at = a.now()
			}
			id := networks.RemoteID(pin.ID)
			return networks.Receipt{Network: Network, AccountID: acct.ID, ID: id, URL: PinURL(id), Status: networks.StatusPublished,
				Marker: marker, At: at}, true, nil
		}
		if p.Bookmark == nil || *p.Bookmark == "" {
			break
		}
		bookmark = *p.Bookmark
	}
	return networks.Receipt{}, false, nil
}

// parseTime reads a pin's created_at: RFC 3339, or without a zone (UTC), as
// Pinterest has been seen to send it.
func parseTime(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, true
	}
	return time.Time{}, false
}
