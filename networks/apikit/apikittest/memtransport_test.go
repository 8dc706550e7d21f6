package apikittest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/apikit/apikittest"
)

// TestMemTransport serves requests in memory, also inside a synctest
// bubble, and turns a lost answer into ErrLost after the effect.
func TestMemTransport(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := apikittest.New(apikittest.Options{})
		defer s.Close()
		n := 0
		s.Handle(http.MethodPost, "/things", func(c *apikittest.Call) (any, error) {
			n++
			c.SetStatus(http.StatusCreated)
			return map[string]int{"n": n}, nil
		})
		hc := &http.Client{Transport: s.Transport()}
		resp, err := hc.Post("http://fake.invalid/things", "application/json", strings.NewReader("{}"))
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusCreated, resp.StatusCode)
		assert.JSONEq(t, `{"n":1}`, string(body))

		s.Script(apikittest.Fault{Lost: true})
		_, err = hc.Post("http://fake.invalid/things", "application/json", strings.NewReader("{}"))
		require.ErrorIs(t, err, apikittest.ErrLost)
		assert.Equal(t, 2, n, "the request took effect before its answer was lost")
	})
}
