package tiktok

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

var kinds = []error{networks.ErrTransient, networks.ErrRateLimited, networks.ErrAuthExpired, networks.ErrRejected,
	networks.ErrDuplicate, networks.ErrOutcomeUnknown, networks.ErrNotFound, networks.ErrInvalid}

func oneKind(t *testing.T, err error) {
	t.Helper()
	n := 0
	for _, k := range kinds {
		if errors.Is(err, k) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d kinds: %v", n, err)
	}
	if len(err.Error()) > 4000 {
		t.Fatalf("unbounded message: %d bytes", len(err.Error()))
	}
}

// FuzzClassify feeds any status and body (TikTok's error object, HTML,
// truncated JSON) to the classify hook: never a panic, never nil, always
// exactly one kind, a bounded message.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		`{"data":{},"error":{"code":"spam_risk_too_many_posts","message":"cap","log_id":"x"}}`,
		`{"error":{"code":"access_token_invalid"}}`, `{"error":{"code":"ok"}}`, `<html>502</html>`, `{"error":`, ``,
		`{"error":{"code":"` + strings.Repeat("a", 3000) + `","message":"` + strings.Repeat("é", 3000) + `"}}`,
	} {
		f.Add(403, s, false)
		f.Add(429, s, true)
	}
	f.Fuzz(func(t *testing.T, status int, body string, write bool) {
		fl := &apikit.Failure{Network: Network, Req: &apikit.Request{Name: "POST /v2/post/publish/video/init/", Write: write}, Status: status,
			Header: http.Header{}, Body: []byte(body), Now: time.Unix(1e9, 0)}
		err := classify(fl)
		if err == nil {
			t.Fatal("nil error")
		}
		oneKind(t, err)
		var rl *networks.RateLimitError
		if errors.As(err, &rl) && rl.Wait(fl.Now) <= 0 {
			t.Fatalf("a rate limit without a wait: %v", err)
		}
	})
}

// FuzzStatus decodes any status/fetch answer and settles a pending
// receipt with it: pending, published with a digit ID, or an error of one
// kind.
func FuzzStatus(f *testing.F) {
	for _, s := range []string{
		`{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[7300000000000000001]},"error":{"code":"ok"}}`,
		`{"data":{"status":"FAILED","fail_reason":"picture_size_check_failed","publicaly_available_post_id":[],"uploaded_bytes":10000}}`,
		`{"data":{"status":"PROCESSING_UPLOAD","uploaded_bytes":5242880}}`, `{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":["../x"]}}`,
		`{"data":{"status":"FAILED","fail_reason":"auth_removed"}}`, `{}`, `[`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var env envelope[statusData]
		if json.Unmarshal([]byte(body), &env) != nil {
			return // the kit reports an undecodable answer as transient
		}
		r := networks.Receipt{Network: Network, ID: "v_pub_1", Status: networks.StatusPending}
		got, err := settle(networks.Account{ID: "a", Handle: "h"}, r, env.Data)
		if err != nil {
			oneKind(t, err)
			return
		}
		switch got.Status {
		case networks.StatusPending:
			if got.ID != r.ID {
				t.Fatal("a pending receipt keeps its publish_id")
			}
		case networks.StatusPublished:
			if got.ID != r.ID && !validID(string(got.ID)) {
				t.Fatalf("published under %q", got.ID)
			}
			if strings.ContainsAny(got.URL, " \n") {
				t.Fatalf("URL %q", got.URL)
			}
		default:
			t.Fatalf("status %q", got.Status)
		}
	})
}

// FuzzPlan: any size and chunk give a valid plan or an ErrInvalid.
func FuzzPlan(f *testing.F) {
	f.Add(int64(50_000_123), int64(10_000_000))
	f.Add(int64(1), int64(MinChunkSize))
	f.Add(int64(1<<40), int64(MaxChunkSize))
	f.Fuzz(func(t *testing.T, size, chunk int64) {
		c, n, err := Plan(size, chunk)
		if err != nil {
			if !errors.Is(err, networks.ErrInvalid) {
				t.Fatal(err)
			}
			return
		}
		final := size - (n-1)*c
		if n < 1 || n > MaxChunks || size/c != n || final > MaxFinalChunk || (n > 1 && (c < MinChunkSize || c > MaxChunkSize || final < c)) || (n == 1 && c != size) {
			t.Fatalf("size %d chunk %d: plan %d × %d, final %d", size, chunk, n, c, final)
		}
	})
}
