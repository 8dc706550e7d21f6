package httpx_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/internal/httpx"
)

func ExampleNewRequest() {
	req, err := httpx.NewRequest(context.Background(), "POST", "https://example.test/api", map[string]string{"status": "hi"}, nil, "", "tok")
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	fmt.Println(req.Header.Get("Content-Type"), req.Header.Get("Authorization"), string(body))
	// Output: application/json Bearer tok {"status":"hi"}
}

func TestNewRequest(t *testing.T) {
	req, err := httpx.NewRequest(t.Context(), "PUT", "https://example.test/blob", nil, []byte{1, 2}, "image/png", "")
	require.NoError(t, err)
	assert.Equal(t, "image/png", req.Header.Get("Content-Type"))
	assert.Empty(t, req.Header.Get("Authorization"))
	assert.Equal(t, "application/json", req.Header.Get("Accept"))

	_, err = httpx.NewRequest(t.Context(), "POST", "https://example.test", math.Inf(1), nil, "", "secret-token")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret-token")
}
