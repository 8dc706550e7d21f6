package apikit_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/apikit"
)

// TestStreamBody: a Stream is sent as it is read, with its length as
// Content-Length (chunked when unknown), and its Content-Type.
func TestStreamBody(t *testing.T) {
	for _, tt := range []struct {
		name    string
		length  int64
		wantLen int64
		chunked bool
	}{
		{"known length", 11, 11, false},
		{"unknown length", -1, -1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			var gotLen int64
			var te []string
			s := server(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				got, gotLen, te = string(b)+" "+r.Header.Get("Content-Type"), r.ContentLength, r.TransferEncoding
				_, _ = w.Write([]byte(`{}`))
			})
			_, err := client(s).Do(t.Context(), &apikit.Request{Method: http.MethodPost, URL: s.URL, Name: "POST /upload",
				Stream: strings.NewReader("hello bytes"), StreamLength: tt.length, ContentType: "application/octet-stream"}, nil)
			require.NoError(t, err)
			assert.Equal(t, "hello bytes application/octet-stream", got)
			assert.Equal(t, tt.wantLen, gotLen)
			assert.Equal(t, tt.chunked, len(te) > 0 && te[0] == "chunked")
		})
	}
	t.Run("empty", func(t *testing.T) {
		var n int64 = -2
		s := server(t, func(w http.ResponseWriter, r *http.Request) { n = r.ContentLength; _, _ = w.Write([]byte(`{}`)) })
		_, err := client(s).Do(t.Context(), &apikit.Request{Method: http.MethodPost, URL: s.URL, Name: "POST /upload",
			Stream: strings.NewReader(""), StreamLength: 0}, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(0), n)
	})
}
