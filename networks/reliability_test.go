package networks_test

import (
	"errors"
	"flag"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/fakenet"
)

var soak = flag.Bool("soak", false, "run the full 10,000-publish reliability soak")

type outcome struct {
	published, failed, unconfirmed int
	attempts                       int
	causes                         map[string]int
	faults                         map[fakenet.Kind]int
}

// reliability publishes n posts across accounts on a fakenet failing
// faultRate of publishes at random, and checks every post ends published
// exactly once, or failed or unconfirmed with its cause.
func reliability(t *testing.T, n, accounts int, faultRate float64, finder bool, opts ...networks.Option) outcome {
	spec := fakenet.DefaultSpec()
	spec.Rate = networks.RateLimits{
		PerAccount: networks.Window{Count: 60, Per: time.Hour},
		PerApp:     networks.Window{Count: 50 * accounts, Per: time.Hour},
	}
	fake := fakenet.New(fakenet.Options{Spec: spec, Seed: 42, FaultRate: faultRate})
	a := fake.Adapter()
	if !finder {
		a = fake.AdapterWithoutFinder()
	}
	p, err := networks.NewPublisher(a, opts...)
	require.NoError(t, err)

	accts := make([]networks.Account, accounts)
	for i := range accts {
		accts[i] = fake.ConnectToken(fmt.Sprint("acct-", i), &oauth2.Token{AccessToken: fmt.Sprint("tok-", i)})
	}
	type result struct {
		marker string
		r      networks.Receipt
		err    error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			d := networks.Draft{Text: fmt.Sprint("post number ", i), Marker: fmt.Sprint("marker-", i)}
			r, err := p.Publish(t.Context(), accts[i%accounts], d)
			results[i] = result{d.Marker, r, err}
		})
	}
	wg.Wait()

	out := outcome{causes: map[string]int{}, faults: fake.Faults()}
	for _, res := range results {
		posted := fake.Published(res.marker)
		out.attempts += fake.Attempts(res.marker)
		switch {
		case res.err == nil:
			out.published++
			assert.Equal(t, 1, posted, "published exactly once: %s", res.marker)
			assert.Equal(t, networks.StatusPublished, res.r.Status)
		case errors.Is(res.err, socialflow.ErrOutcomeUnknown):
			out.unconfirmed++
			assert.LessOrEqual(t, posted, 1, res.marker)
			out.causes["unconfirmed"]++
		default:
			out.failed++
			assert.Equal(t, 0, posted, "a failed publish left nothing: %s", res.marker)
			switch {
			case errors.Is(res.err, socialflow.ErrTransient):
				out.causes["transient"]++
			case errors.Is(res.err, socialflow.ErrRateLimited):
				out.causes["rate limited"]++
			default:
				t.Errorf("unexpected failure cause for %s: %v", res.marker, res.err)
			}
		}
	}
	assert.Empty(t, fake.Duplicates(), "no post was published twice")
	assert.Equal(t, 0, fake.Violations(), "no publish went over the rate limits")
	assert.Equal(t, n, out.published+out.failed+out.unconfirmed)
	return out
}

func TestReliabilityUnderRandomFaults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		o := reliability(t, 500, 20, 0.3, true)
		t.Logf("500 publishes / 20 accounts / 30%% faults: %d published, %d failed, %d unconfirmed, %d publish calls, %v virtual time, causes %v, faults injected %v",
			o.published, o.failed, o.unconfirmed, o.attempts, time.Since(start), o.causes, o.faults)
		assert.Equal(t, 500, o.published, "with retries and a Finder every post gets through")
	})
}

func TestReliabilityWithoutFinderOrPatience(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := reliability(t, 500, 20, 0.3, false, networks.WithMaxAttempts(2))
		t.Logf("500 publishes / 20 accounts / 30%% faults, no Finder, 2 attempts: %d published, %d failed, %d unconfirmed, causes %v, faults injected %v",
			o.published, o.failed, o.unconfirmed, o.causes, o.faults)
		assert.Positive(t, o.unconfirmed, "lost responses and timeouts surface as unconfirmed")
		assert.Positive(t, o.published)
	})
}

// go test -run '^TestReliabilitySoak$' -soak -v ./networks
func TestReliabilitySoak(t *testing.T) {
	if !*soak {
		t.Skip("pass -soak to publish 10,000 posts across 100 accounts")
	}
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		o := reliability(t, 10_000, 100, 0.3, true)
		t.Logf("10000 publishes / 100 accounts / 30%% faults: %d published, %d failed, %d unconfirmed, %d publish calls, %v virtual time, causes %v, faults injected %v",
			o.published, o.failed, o.unconfirmed, o.attempts, time.Since(start), o.causes, o.faults)
	})
}

func TestThroughputAtTheLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const r, n = 10, 1000 // 10 publishes per second
		spec := fakenet.DefaultSpec()
		spec.Rate = networks.RateLimits{PerAccount: networks.Window{Count: r, Per: time.Second}}
		fake := fakenet.New(fakenet.Options{Spec: spec, AllowDuplicateContent: true})
		p, err := networks.NewPublisher(fake.Adapter())
		require.NoError(t, err)
		acct := fake.Account()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := w; i < n; i += 8 {
					_, err := p.Publish(t.Context(), acct, networks.Draft{Text: "x"})
					assert.NoError(t, err)
				}
			})
		}
		wg.Wait()
		posts := fake.Posts()
		require.Len(t, posts, n)
		span := posts[n-1].At.Sub(posts[0].At)
		achieved := float64(n-1) / span.Seconds()
		t.Logf("limit %d/s: achieved %.3f/s (%.2f%%) over %v virtual", r, achieved, 100*achieved/r, span)
		assert.GreaterOrEqual(t, achieved, 0.99*r)
		assert.LessOrEqual(t, achieved, float64(r))
		assert.Equal(t, 0, fake.Violations(), "no sliding window of 1 s ever held more than r publishes")
	})
}

func BenchmarkPublisher(b *testing.B) {
	fake := fakenet.New(fakenet.Options{AllowDuplicateContent: true,
		Spec: func() networks.Spec { s := fakenet.DefaultSpec(); s.Rate = networks.RateLimits{}; return s }()})
	p, err := networks.NewPublisher(fake.Adapter())
	require.NoError(b, err)
	acct := fake.Account()
	d := networks.Draft{Text: "benchmark post #socialflow https://example.com"}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Publish(ctx, acct, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAdapterOnly is the baseline for BenchmarkPublisher: the fake
// network alone, so the difference is the Publisher's overhead.
func BenchmarkAdapterOnly(b *testing.B) {
	fake := fakenet.New(fakenet.Options{AllowDuplicateContent: true,
		Spec: func() networks.Spec { s := fakenet.DefaultSpec(); s.Rate = networks.RateLimits{}; return s }()})
	a := fake.Adapter()
	acct := fake.Account()
	d := networks.Draft{Text: "benchmark post #socialflow https://example.com", Marker: "m"}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Publish(ctx, acct, d); err != nil {
			b.Fatal(err)
		}
	}
}
