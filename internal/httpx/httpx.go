// Package httpx holds the request builder of the adapters that are not yet
// on the adapter kit (networks/apikit); it is the kit's builder.
package httpx

import (
	"context"
	"net/http"

	"github.com/socialflow/socialflow/networks/apikit"
)

// NewRequest builds a request that accepts JSON: with a JSON body when
// jsonBody is not nil, else with raw (of type rawType) when raw is not nil,
// and with a bearer token when token is not empty. The token is only put in
// the Authorization header, never in an error. It is
// [apikit.BuildRequest]; adapters on the kit call [apikit.Client.Do].
func NewRequest(ctx context.Context, method, url string, jsonBody any, raw []byte, rawType, token string) (*http.Request, error) {
	return apikit.BuildRequest(ctx, &apikit.Request{Method: method, URL: url, JSON: jsonBody, Body: raw, ContentType: rawType, Token: token})
}
