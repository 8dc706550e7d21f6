package apikit_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
)

// apiError is a network's documented error payload.
type apiError struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

func (e *apiError) Error() string { return "example: " + e.Title + ": " + e.Detail }

// Example builds a Client for a network whose errors are {"title","detail"}
// with a "Duplicate content" title, and publishes through it.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"title":"Duplicate content","detail":"You already said that."}`))
	}))
	defer srv.Close()

	c := &apikit.Client{
		Network: "example",
		HTTP:    srv.Client(),
		Quotas:  apikit.XRateLimitHeaders,
		Classify: func(f *apikit.Failure) error {
			var e apiError
			if !f.DecodeJSON(&e) || e.Title == "" {
				return apikit.ByStatus(f) // not the documented payload: an HTML page, a truncated body
			}
			e.Detail = apikit.Message(e.Detail)
			if e.Title == "Duplicate content" {
				return f.Error(apikit.ClassDuplicate, "", e.Detail, &e)
			}
			return f.Error(apikit.ClassOfStatus(f.Status), e.Title, e.Detail, &e)
		},
	}
	_, err := c.Do(context.Background(), &apikit.Request{
		Method: http.MethodPost, URL: srv.URL + "/2/tweets", Name: "POST /2/tweets",
		JSON: map[string]string{"text": "hello"}, Token: "access-token",
		Write: true, Op: networks.OpPublish, Marker: "m-1",
	}, nil)
	var e *apiError
	fmt.Println(errors.Is(err, socialflow.ErrDuplicate), errors.As(err, &e))
	fmt.Println(err)
	// Output:
	// true true
	// networks: example publish: duplicate: You already said that.: example: Duplicate content: You already said that.
}
