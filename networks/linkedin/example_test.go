package linkedin_test

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/linkedin"
	"github.com/socialflow/socialflow/networks/linkedin/linkedintest"
)

// Publish to an organization page (the fake here), with a first comment,
// then read its statistics.
func Example() {
	srv := linkedintest.NewServer(linkedintest.Options{})
	defer srv.Close()
	srv.IssueToken("access-token", linkedintest.Member, time.Time{})

	ad, err := linkedin.New(srv.Client())
	if err != nil {
		fmt.Println(err)
		return
	}
	acct := networks.Account{
		ID: "acme-page", Network: linkedin.Network,
		Handle:  "urn:li:organization:2414183", // the author: a page the member administers
		BaseURL: srv.URL(),                     // leave empty for api.linkedin.com
		Tokens:  oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "access-token"}),
	}
	ctx := context.Background()
	r, err := ad.Publish(ctx, acct, networks.Draft{Text: "We are hiring (Go)!", FirstComment: "Apply: https://acme.test/jobs"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Status, r.URL)
	fmt.Println(srv.Posts()[0].Commentary)
	snap, err := ad.Metrics(ctx, acct, r.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("metrics reported:", snap.Counters.Len())
	// Output:
	// published https://www.linkedin.com/feed/update/urn:li:share:7100000000000000001/
	// We are hiring \(Go\)!
	// metrics reported: 6
}
