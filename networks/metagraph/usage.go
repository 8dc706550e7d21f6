package metagraph

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/socialflow/socialflow/networks"
)

// The usage headers of the Graph API
// (https://developers.facebook.com/docs/graph-api/overview/rate-limiting).
const (
	HeaderAppUsage  = "X-App-Usage"
	HeaderPageUsage = "X-Page-Usage"
	HeaderBUCUsage  = "X-Business-Use-Case-Usage"
)

// Usage is one usage report of a Graph API answer: the percentages of the
// budget used (100 means calls fail) and, for business use cases, the wait
// until calls are allowed again.
type Usage struct {
	Header       string         // the header it came from
	Scope        networks.Scope // ScopeApp for X-App-Usage, else ScopeAccount
	Type         string         // the business use case type ("pages", "instagram"...); empty otherwise
	CallCount    int
	TotalCPUTime int
	TotalTime    int
	// RegainAccess is estimated_time_to_regain_access (sent in minutes);
	// zero when not throttled or not said.
	RegainAccess time.Duration
}

// Percent is the highest of the three percentages.
func (u Usage) Percent() int { return max(u.CallCount, u.TotalCPUTime, u.TotalTime) }

type usageJSON struct {
	Type         string `json:"type"`
	CallCount    int    `json:"call_count"`
	TotalCPUTime int    `json:"total_cputime"`
	TotalTime    int    `json:"total_time"`
	Regain       int    `json:"estimated_time_to_regain_access"`
}

func (j usageJSON) usage(header string, scope networks.Scope) Usage {
	return Usage{Header: header, Scope: scope, Type: j.Type, CallCount: j.CallCount, TotalCPUTime: j.TotalCPUTime,
		TotalTime: j.TotalTime, RegainAccess: time.Duration(max(j.Regain, 0)) * time.Minute}
}

// ParseUsage reads the usage headers of h. Malformed headers are skipped;
// it never panics.
func ParseUsage(h http.Header) []Usage {
	var out []Usage
	for _, name := range []string{HeaderAppUsage, HeaderPageUsage} {
		v := h.Get(name)
		if v == "" {
			continue
		}
		var j usageJSON
		if json.Unmarshal([]byte(v), &j) != nil {
			continue
		}
		scope := networks.ScopeAccount
		if name == HeaderAppUsage {
			scope = networks.ScopeApp
		}
		out = append(out, j.usage(name, scope))
	}
	if v := h.Get(HeaderBUCUsage); v != "" {
		var m map[string][]usageJSON
		if json.Unmarshal([]byte(v), &m) == nil {
			for _, list := range m {
				for _, j := range list {
					out = append(out, j.usage(HeaderBUCUsage, networks.ScopeAccount))
				}
			}
		}
	}
	return out
}

// Quotas turns the usage headers of h into quotas at now: Limit 100,
// Remaining 100 minus [Usage.Percent], Reset now plus RegainAccess, or one
// hour (the rolling window) when Meta does not say.
func Quotas(h http.Header, now time.Time) []networks.Quota {
	var out []networks.Quota
	for _, u := range ParseUsage(h) {
		reset := now.Add(time.Hour)
		if u.RegainAccess > 0 {
			reset = now.Add(u.RegainAccess)
		}
		out = append(out, networks.Quota{Scope: u.Scope, Limit: 100, Remaining: min(max(100-u.Percent(), 0), 100), Reset: reset})
	}
	return out
}

// regain is the longest estimated_time_to_regain_access of h.
func regain(h http.Header) time.Duration {
	var d time.Duration
	for _, u := range ParseUsage(h) {
		d = max(d, u.RegainAccess)
	}
	return d
}
