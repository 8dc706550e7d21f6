package metagraph_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
)

func failure(status int, body string, h http.Header, write bool) *apikit.Failure {
	if h == nil {
		h = http.Header{}
	}
	return &apikit.Failure{Network: "instagram", Req: &apikit.Request{Name: "POST /{ig-user-id}/media_publish", Write: write},
		Status: status, Header: h, Body: []byte(body), Now: time.Unix(1_700_000_000, 0)}
}

func TestClassifyDocumentedCodes(t *testing.T) {
	buc := http.Header{}
	buc.Set(metagraph.HeaderBUCUsage, `{"123":[{"type":"instagram","call_count":100,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":7}]}`)
	cases := []struct {
		name   string
		status int
		body   string
		h      http.Header
		write  bool
		kind   error
		check  func(t *testing.T, err error)
	}{
		{"190 expired", 401, `{"error":{"message":"Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"A"}}`, nil, false, networks.ErrAuthExpired,
			func(t *testing.T, err error) { var e *networks.AuthExpiredError; assert.ErrorAs(t, err, &e) }},
		{"190/460 password changed", 400, `{"error":{"message":"x","type":"OAuthException","code":190,"error_subcode":460}}`, nil, false, networks.ErrAuthExpired,
			func(t *testing.T, err error) { var e *networks.ReauthRequiredError; assert.ErrorAs(t, err, &e) }},
		{"4 app throttled", 400, `{"error":{"message":"Application request limit reached","code":4}}`, nil, false, networks.ErrRateLimited,
			func(t *testing.T, err error) {
				var e *networks.RateLimitError
				require.ErrorAs(t, err, &e)
				assert.Equal(t, networks.ScopeApp, e.Scope)
			}},
		{"17 with BUC wait", 400, `{"error":{"message":"User request limit reached","code":17}}`, buc, false, networks.ErrRateLimited,
			func(t *testing.T, err error) {
				var e *networks.RateLimitError
				require.ErrorAs(t, err, &e)
				assert.Equal(t, 7*time.Minute, e.RetryAfter, "estimated_time_to_regain_access is in minutes")
			}},
		{"32 page throttled", 400, `{"error":{"message":"Page request limit reached","code":32}}`, nil, false, networks.ErrRateLimited, nil},
		{"613", 400, `{"error":{"message":"Calls to this api have exceeded the rate limit.","code":613}}`, nil, false, networks.ErrRateLimited, nil},
		{"80002 BUC", 400, `{"error":{"message":"too many calls","code":80002}}`, nil, false, networks.ErrRateLimited, nil},
		{"9/2207042 publish limit", 400, `{"error":{"message":"max posts","code":9,"error_subcode":2207042}}`, nil, true, networks.ErrRateLimited, nil},
		{"368 policy block", 400, `{"error":{"message":"temporarily blocked","code":368}}`, nil, true, networks.ErrRejected,
			func(t *testing.T, err error) {
				var e *networks.RejectedError
				require.ErrorAs(t, err, &e)
				assert.Equal(t, "368", e.Code)
			}},
		{"506 duplicate", 400, `{"error":{"message":"Duplicate status message","code":506}}`, nil, true, networks.ErrDuplicate, nil},
		{"1 unknown on a read", 500, `{"error":{"message":"An unknown error occurred","code":1}}`, nil, false, networks.ErrTransient, nil},
		{"2 service on a write", 503, `{"error":{"message":"Service temporarily unavailable","code":2}}`, nil, true, networks.ErrOutcomeUnknown, nil},
		{"100/33 missing", 400, `{"error":{"message":"Object does not exist","code":100,"error_subcode":33}}`, nil, false, networks.ErrNotFound, nil},
		{"100 invalid parameter", 400, `{"error":{"message":"Invalid parameter","code":100}}`, nil, true, networks.ErrRejected, nil},
		{"10 permission", 403, `{"error":{"message":"no permission","code":10}}`, nil, true, networks.ErrRejected, nil},
		{"230 permission range", 403, `{"error":{"message":"no permission","code":230}}`, nil, true, networks.ErrRejected, nil},
		{"is_transient unlisted", 500, `{"error":{"message":"x","code":12345,"is_transient":true}}`, nil, false, networks.ErrTransient, nil},
		{"HTML proxy page", 502, `<html><body>Bad Gateway</body></html>`, nil, false, networks.ErrTransient, nil},
		{"truncated", 400, `{"error":{"message":"Inv`, nil, true, networks.ErrRejected, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := metagraph.Classify(failure(c.status, c.body, c.h, c.write))
			require.ErrorIs(t, err, c.kind)
			var ge *metagraph.Error
			if c.body[0] == '{' && c.name != "truncated" {
				require.ErrorAs(t, err, &ge, "the Graph error is reachable")
				assert.NotZero(t, ge.Code)
			}
			if c.check != nil {
				c.check(t, err)
			}
		})
	}
}

func TestQuotasFromUsageHeaders(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	h := http.Header{}
	h.Set(metagraph.HeaderAppUsage, `{"call_count":28,"total_time":25,"total_cputime":25}`)
	h.Set(metagraph.HeaderPageUsage, `{"call_count":91,"total_time":5,"total_cputime":5}`)
	h.Set(metagraph.HeaderBUCUsage, `{"1":[{"type":"pages","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":15}]}`)
	q := metagraph.Quotas(h, now)
	require.Len(t, q, 3)
	assert.Equal(t, networks.Quota{Scope: networks.ScopeApp, Limit: 100, Remaining: 72, Reset: now.Add(time.Hour)}, q[0])
	assert.Equal(t, 9, q[1].Remaining)
	assert.Equal(t, 0, q[2].Remaining)
	assert.Equal(t, now.Add(15*time.Minute), q[2].Reset)
	h.Set(metagraph.HeaderAppUsage, `not json`)
	h.Del(metagraph.HeaderPageUsage)
	h.Del(metagraph.HeaderBUCUsage)
	assert.Empty(t, metagraph.Quotas(h, now), "a malformed header is skipped")
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{`{"error":{"code":190,"error_subcode":463}}`, `{"error":{"code":4}}`, `<html>`, `{"error":`, `{"error":{"code":"x"}}`, ``} {
		f.Add(400, s, `{"1":[{"estimated_time_to_regain_access":5}]}`)
	}
	f.Fuzz(func(t *testing.T, status int, body, usage string) {
		h := http.Header{}
		h.Set(metagraph.HeaderBUCUsage, usage)
		err := metagraph.Classify(failure(status, body, h, status%2 == 0))
		if err == nil {
			t.Fatal("a failure is never classified as nil")
		}
		_ = err.Error()
		var ge *metagraph.Error
		_ = errors.As(err, &ge)
	})
}

func TestProof(t *testing.T) {
	// HMAC-SHA256("token") keyed by "secret".
	assert.Equal(t, "e941110e3d2bfe82621f0e3e1434730d7305d106c5f68c87165d0b27a4611a4a", metagraph.Proof("secret", "token"))
	assert.Len(t, metagraph.Proof("secret", "token"), 64)
	assert.NotEqual(t, metagraph.Proof("secret", "token"), metagraph.Proof("secret", "token2"))
	assert.Equal(t, "REDACTED", metagraph.Secret("s3cr3t").String())
}
