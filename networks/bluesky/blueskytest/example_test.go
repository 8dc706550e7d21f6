package blueskytest_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/socialflow/socialflow/networks/bluesky/blueskytest"
)

func ExampleNewServer() {
	srv := blueskytest.NewServer()
	defer srv.Close()
	srv.CreateAccount("alice.test", "app-password")
	resp, err := srv.Client().Post(srv.URL()+"/xrpc/com.atproto.server.createSession", "application/json",
		strings.NewReader(`{"identifier":"alice.test","password":"wrong"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	fmt.Println(resp.StatusCode == http.StatusUnauthorized, resp.Header.Get("RateLimit-Limit"))
	// Output: true 5000
}
