// Package httpx holds the HTTP plumbing the network adapters share.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// NewRequest builds a request that accepts JSON: with a JSON body when
// jsonBody is not nil, else with raw (of type rawType) when raw is not nil,
// and with a bearer token when token is not empty. The token is only put in
// the Authorization header, never in an error.
func NewRequest(ctx context.Context, method, url string, jsonBody any, raw []byte, rawType, token string) (*http.Request, error) {
	var body io.Reader
	ctype := ""
	switch {
	case jsonBody != nil:
		b, err := json.Marshal(jsonBody)
		if err != nil {
			return nil, fmt.Errorf("encode: %w", err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case raw != nil:
		body, ctype = bytes.NewReader(raw), rawType
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}
