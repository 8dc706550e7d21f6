package metagraph_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks"
	"github.com/socialflow/socialflow/networks/apikit"
	"github.com/socialflow/socialflow/networks/metagraph"
)

// Config.Classify replaces the Graph classify hook; without it Classify
// reads the answer.
func TestConfigClassifyHook(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/v1.0/me", r.URL.Path, "the version of the config")
		w.WriteHeader(400)
		_, _ = w.Write([]byte(`{"error":{"code":100,"error_subcode":33,"message":"missing"}}`))
	}))
	defer srv.Close()
	mine := errors.New("classified by the hook")
	calls := 0
	hooked, err := metagraph.New(srv.Client(), metagraph.Config{Network: "threads", BaseURL: srv.URL, Version: "v1.0",
		Classify: func(f *apikit.Failure) error { calls++; return mine }})
	require.NoError(t, err)
	_, err = hooked.Do(t.Context(), &metagraph.Call{Method: http.MethodGet, Path: "/me", Name: "GET /me", Token: "t"}, nil)
	require.ErrorIs(t, err, mine)
	assert.Equal(t, 1, calls)

	plain, err := metagraph.New(srv.Client(), metagraph.Config{Network: "threads", BaseURL: srv.URL, Version: "v1.0"})
	require.NoError(t, err)
	_, err = plain.Do(t.Context(), &metagraph.Call{Method: http.MethodGet, Path: "/me", Name: "GET /me", Token: "t"}, nil)
	require.ErrorIs(t, err, networks.ErrNotFound, "the default hook maps 100/33")
}
