package facebook_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/facebook"
	"github.com/socialflow/socialflow/networks/metagraph/graphtest"
)

// TestSoakPublisher publishes 300 posts (text, links, single and
// multi-photo posts) from 6 goroutines through the Publisher while a
// quarter of the fake's calls fail at random: code 2 before the effect,
// answers lost after it, throttling (code 4, one minute), code 1 on reads.
// In virtual time, every post is published exactly once.
//
//	go test -race -run TestSoakPublisher -v ./networks/facebook
func TestSoakPublisher(t *testing.T) {
	const posts, workers = 300, 6
	srv := graphtest.NewServer(graphtest.Options{CallBudget: 1 << 30})
	defer srv.Close()
	srv.IssueToken("user-tok", graphtest.FacebookUser, time.Time{})
	srv.AddPage(graphtest.FacebookUser, graphtest.FacebookPage, "Soak", "page-tok")
	synctest.Test(t, func(t *testing.T) {
		ad, err := facebook.New(&http.Client{Transport: srv.Transport()}, facebook.WithBaseURL(srv.URL()))
		require.NoError(t, err)
		// Virtual time: a retry budget of 60 attempts over two days outlasts any
		// run of faults. A multi-photo post makes several calls an attempt, so
		// at a 25 % fault rate most of its attempts fail: with 12, the budget
		// before, 2 runs in 40 had a post that failed them all.
		p, err := networks.NewPublisher(ad, networks.WithMaxAttempts(60), networks.WithMaxElapsedTime(48*time.Hour), networks.WithRateLimits(networks.RateLimits{}))
		require.NoError(t, err)
		srv.SetFaultRate(0.25, 7)
		acct := account("user-tok")
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failed []error
		for w := range workers {
			wg.Go(func() {
				for i := w; i < posts; i += workers {
					d := networks.Draft{Text: fmt.Sprintf("soak post %d", i), Marker: fmt.Sprintf("soak-%d", i)}
					switch i % 4 {
					case 1:
						d.Link = fmt.Sprintf("https://example.com/story/%d", i)
					case 2:
						d.Media = []networks.MediaItem{photo(i)}
					case 3:
						d.Media = []networks.MediaItem{photo(i), photo(i + 1000)}
					}
					if _, err := p.Publish(t.Context(), acct, d); err != nil {
						mu.Lock()
						failed = append(failed, err)
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		srv.SetFaultRate(0, 0)
		require.Empty(t, failed, "every publish succeeds in the end")
		seen := map[string]int{}
		for _, post := range srv.PagePosts(graphtest.FacebookPage) {
			for i := range posts {
				if strings.HasSuffix(post.Message, facebook.Tag(fmt.Sprintf("soak-%d", i))) {
					seen[fmt.Sprint(i)]++
				}
			}
		}
		assert.Len(t, seen, posts, "every post is on the Page")
		dup := 0
		for _, n := range seen {
			dup += n - 1
		}
		assert.Zero(t, dup, "no post twice")
		assert.Len(t, srv.PagePosts(graphtest.FacebookPage), posts)
		lost, refused := 0, 0
		for _, r := range srv.Requests() {
			switch {
			case r.Status == 0:
				lost++
			case r.Status >= 400:
				refused++
			}
		}
		assert.Positive(t, lost, "answers were lost")
		assert.Positive(t, refused, "calls were refused")
		t.Logf("%d posts published once each; %d requests, %d answers lost, %d refused; virtual time %s",
			len(seen), len(srv.Requests()), lost, refused, time.Since(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).Round(time.Second))
	})
}
