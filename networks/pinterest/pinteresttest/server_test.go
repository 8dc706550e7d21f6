package pinteresttest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow/networks/pinterest"
)

// register registers a video with the fake and returns the upload URL and
// parameters.
func register(t *testing.T, s *Server) (string, map[string]string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.APIURL()+"/media", strings.NewReader(`{"media_type":"video"}`))
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	var out struct {
		MediaID          string            `json:"media_id"`
		UploadURL        string            `json:"upload_url"`
		UploadParameters map[string]string `json:"upload_parameters"`
	}
	require.NoError(t, jsonDecode(resp.Body, &out))
	return out.UploadURL, out.UploadParameters, out.MediaID
}

func post(t *testing.T, s *Server, u string, fields map[string]string, file []byte, auth bool) (int, string) {
	t.Helper()
	ctype, prefix, suffix, err := pinterest.Multipart(fields, "v.mp4", "video/mp4", "fakeboundary0123456789")
	require.NoError(t, err)
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, u, io.MultiReader(bytes.NewReader(prefix), bytes.NewReader(file), bytes.NewReader(suffix)))
	req.ContentLength = int64(len(prefix) + len(file) + len(suffix))
	req.Header.Set("Content-Type", ctype)
	if auth {
		req.Header.Set("Authorization", "Bearer tok")
	}
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestUploadEnforcesThePolicy: the fake's upload refuses what S3 refuses
// of a presigned POST, with S3's XML error document.
func TestUploadEnforcesThePolicy(t *testing.T) {
	s := NewServer("tok")
	defer s.Close()
	u, fields, id := register(t, s)

	st, body := post(t, s, u, fields, []byte("video"), true)
	assert.Equal(t, http.StatusBadRequest, st, "a bearer token never goes to the upload URL")
	assert.Contains(t, body, "<Code>InvalidArgument</Code>")

	bad := map[string]string{}
	for k, v := range fields {
		bad[k] = v
	}
	bad["x-amz-signature"] = "0000"
	st, body = post(t, s, u, bad, []byte("video"), false)
	assert.Equal(t, http.StatusForbidden, st)
	assert.Contains(t, body, "<Code>AccessDenied</Code>")

	st, body = post(t, s, u, fields, nil, false)
	assert.Equal(t, http.StatusBadRequest, st)
	assert.Contains(t, body, "EntityTooSmall")

	m, _ := s.MediaOf(id)
	assert.Equal(t, "registered", m.Status, "nothing was stored")

	st, _ = post(t, s, u, fields, []byte("the video"), false)
	assert.Equal(t, http.StatusNoContent, st)
	m, _ = s.MediaOf(id)
	assert.Equal(t, "processing", m.Status)
	assert.Equal(t, int64(len("the video")), m.Size)
	assert.Equal(t, 4, s.Uploads())
}

func TestTokenEndpoint(t *testing.T) {
	s := NewServer("")
	defer s.Close()
	s.AddCode("code-1", "https://host.example/cb")
	form := func(v string, user, pass string) int {
		req, _ := http.NewRequest(http.MethodPost, s.APIURL()+"/oauth/token", strings.NewReader(v))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := s.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusUnauthorized, form("grant_type=authorization_code&code=code-1&redirect_uri=https://host.example/cb", ClientID, "wrong"))
	assert.Equal(t, http.StatusOK, form("grant_type=authorization_code&code=code-1&redirect_uri=https://host.example/cb", ClientID, ClientSecret))
	assert.Equal(t, http.StatusBadRequest, form("grant_type=authorization_code&code=code-1&redirect_uri=https://host.example/cb", ClientID, ClientSecret), "a code is used once")
	assert.Equal(t, http.StatusOK, form("grant_type=refresh_token&refresh_token=pinr_refresh_1", ClientID, ClientSecret))
	assert.Equal(t, http.StatusBadRequest, form("grant_type=refresh_token&refresh_token=pinr_refresh_1", ClientID, ClientSecret), "the refresh token rotated")
	assert.Equal(t, 1, s.Refreshes())
}
