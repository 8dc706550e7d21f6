package mastodon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/text"
)

// DefaultFindWindow is how far back [Adapter.FindByMarker] reads the
// account's statuses by default.
const DefaultFindWindow = 7 * 24 * time.Hour

// FindPages is the most pages of 40 statuses [Adapter.FindByMarker] reads.
const FindPages = 20

// findPageSize is the limit of GET /api/v1/accounts/:id/statuses
// (Mastodon's and GoToSocial's maximum).
const findPageSize = 40

// tagBase is the Unicode tag block: U+E0000 + an ASCII code is that
// character's invisible tag (https://www.unicode.org/charts/PDF/UE0000.pdf).
const tagBase = 0xE0000

// markerTagLen is the number of code points of a marker tag.
const markerTagLen = 2 + 16

// MarkerTag returns the invisible text the adapter adds to every status
// it posts, after its last character that is not a line break or other
// control character, so that [Adapter.FindByMarker] can find it again: "sf" and the
// first 8 bytes of SHA-256(key) in hex, each character written as its
// Unicode tag character (U+E0020–U+E007E, Default_Ignorable_Code_Point:
// readers, screen readers and clients show nothing). key is the status's
// [IdempotencyKey]; the root's is the publish marker itself.
//
// Why the text: a status keeps nothing else the client API lets a poster
// set and read back verbatim, and GoToSocial ignores Idempotency-Key. The
// tag survives in the server's stored text and in the rendered content;
// it costs nothing on Mastodon (tag characters extend the grapheme before
// them; alone, in a status of media only, they are one) and 18 characters
// on GoToSocial (code points), which the adapter's Spec keeps free.
func MarkerTag(key string) string {
	sum := sha256.Sum256([]byte(key))
	plain := "sf" + hex.EncodeToString(sum[:8])
	var b strings.Builder
	b.Grow(4 * len(plain))
	for _, c := range plain {
		b.WriteRune(tagBase + c)
	}
	return b.String()
}

// markerCost is what a marker tag adds to the length of a status with
// text, counted by m: nothing when the tag extends the last grapheme (see
// withTag), its code points otherwise.
func markerCost(m text.Method) int {
	base, err1 := text.Count(m, "a")
	n, err2 := text.Count(m, "a"+MarkerTag(""))
	if err1 != nil || err2 != nil {
		return markerTagLen
	}
	return n - base
}

// withTag puts tag into s after its last character that is not a control
// character or line break, where it extends that character's grapheme
// cluster (https://unicode.org/reports/tr29/#GB9: no break before Extend;
// GB4: a break after Control, CR and LF).
func withTag(s, tag string) string {
	body := strings.TrimRightFunc(s, breaksAfter)
	return body + tag + s[len(body):]
}

// breaksAfter reports whether r is of Grapheme_Cluster_Break Control, CR
// or LF: control characters, line and paragraph separators, and format
// characters other than the joiners.
func breaksAfter(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) ||
		(unicode.Is(unicode.Cf, r) && r != 0x200C && r != 0x200D && r < tagBase)
}

// WithFindWindow sets how far back [Adapter.FindByMarker] looks. Default:
// [DefaultFindWindow].
func WithFindWindow(d time.Duration) Option {
	return positive("find_window", d, func(a *Adapter) *time.Duration { return &a.findWindow })
}

// FindByMarker looks the account's statuses up for the one a publish with
// marker posted (the root, which carries [MarkerTag] of the marker). It
// implements [networks.Finder].
//
// It reads the account's id from GET /api/v1/accounts/verify_credentials
// (https://docs.joinmastodon.org/methods/accounts/#verify_credentials,
// scope read:accounts) and then its statuses, newest first, from GET
// /api/v1/accounts/:id/statuses
// (https://docs.joinmastodon.org/methods/accounts/#statuses), 40 a page,
// until one carries the tag and GET /api/v1/statuses/:id still has it
// (found), the list ends or a page reaches
// statuses older than the find window (a definite not found). When
// [FindPages] pages end inside the window it cannot say and returns a
// *networks.OutcomeUnknownError.
func (a *Adapter) FindByMarker(ctx context.Context, acct networks.Account, marker string) (networks.Receipt, bool, error) {
	if marker == "" {
		return networks.Receipt{}, false, &networks.FieldError{Network: Network, Field: "marker", Reason: "required"}
	}
	s, err := a.open(ctx, acct, networks.OpFind)
	if err != nil {
		return networks.Receipt{}, false, err
	}
	var me struct {
		ID string `json:"id"`
	}
	if _, err := a.do(ctx, s.base, request{method: http.MethodGet, path: "/api/v1/accounts/verify_credentials",
		token: s.Token, op: networks.OpFind, account: acct.ID}, &me); err != nil {
		return networks.Receipt{}, false, err
	}
	if me.ID == "" || !validID(networks.RemoteID(me.ID)) {
		return networks.Receipt{}, false, &networks.TransientError{Network: Network, Op: networks.OpFind,
			Err: fmt.Errorf("GET /api/v1/accounts/verify_credentials: no usable account id")}
	}
	tag := MarkerTag(marker)
	cutoff := a.now().Add(-a.findWindow)
	path := "/api/v1/accounts/" + url.PathEscape(me.ID) + "/statuses"
	maxID := ""
	for range FindPages {
		q := url.Values{"limit": {strconv.Itoa(findPageSize)}, "exclude_reblogs": {"true"}}
		if maxID != "" {
			q.Set("max_id", maxID)
		}
		var page []found
		if _, err := a.do(ctx, s.base, request{method: http.MethodGet, path: path, query: q,
			token: s.Token, op: networks.OpFind, account: acct.ID}, &page); err != nil {
			return networks.Receipt{}, false, err
		}
		if len(page) == 0 {
			return networks.Receipt{}, false, nil
		}
		old := false
		for _, st := range page {
			if strings.Contains(st.Text, tag) || strings.Contains(st.Content, tag) {
				live, err := a.live(ctx, s, st.ID)
				if err != nil {
					return networks.Receipt{}, false, err
				}
				if live {
					return a.receipt(s, marker, st.status, nil), true, nil
				}
			}
			if t, err := time.Parse(time.RFC3339Nano, st.CreatedAt); err == nil && t.Before(cutoff) {
				old = true
			}
		}
		if old {
			return networks.Receipt{}, false, nil
		}
		maxID = page[len(page)-1].ID
	}
	return networks.Receipt{}, false, &networks.OutcomeUnknownError{Network: Network, Op: networks.OpFind, AccountID: acct.ID, Marker: marker,
		Err: fmt.Errorf("no status carries the marker among the newest %d, which do not reach back %s", FindPages*findPageSize, a.findWindow)}
}

// live reports whether status id still exists: GoToSocial lists a status
// it has just deleted for a moment, while GET /api/v1/statuses/:id
// already answers 404.
func (a *Adapter) live(ctx context.Context, s session, id string) (bool, error) {
	if !validID(networks.RemoteID(id)) {
		return false, nil
	}
	_, err := a.do(ctx, s.base, request{method: http.MethodGet, path: "/api/v1/statuses/" + url.PathEscape(id),
		token: s.Token, op: networks.OpFind, account: s.Account.ID, target: networks.RemoteID(id)}, nil)
	var nf *networks.NotFoundError
	if errors.As(err, &nf) {
		return false, nil
	}
	return err == nil, err
}

// found is a status of an account's list: the Status entity with its
// rendered content, and text where the server includes it (GoToSocial).
type found struct {
	status
	Content string `json:"content"`
	Text    string `json:"text"`
}

var _ networks.Finder = (*Adapter)(nil)
