package mastodontest_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/socialflow/socialflow/networks/mastodon/mastodontest"
)

func ExampleNewServer() {
	srv := mastodontest.NewServer()
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/api/v1/statuses", strings.NewReader(`{"status":"hello"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+srv.IssueToken("write:statuses"))
	resp, err := srv.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	fmt.Println(resp.StatusCode, len(srv.Statuses()), resp.Header.Get("X-RateLimit-Limit"))
	// Output: 200 1 300
}
