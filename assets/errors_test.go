package assets_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets"
)

// Every typed error matches exactly its documented kind and says which
// package it comes from.
func TestErrorKinds(t *testing.T) {
	kinds := []error{socialflow.ErrInvalid, socialflow.ErrNotFound, socialflow.ErrConflict, socialflow.ErrForbidden,
		socialflow.ErrRateLimited, socialflow.ErrAuthExpired, socialflow.ErrTransient, socialflow.ErrRejected,
		socialflow.ErrDuplicate, socialflow.ErrOutcomeUnknown}
	for _, tt := range []struct {
		err  error
		kind error
	}{
		{&assets.FieldError{Field: "mime", Value: "x", Reason: "bad"}, socialflow.ErrInvalid},
		{&assets.MismatchError{Declared: "image/png"}, socialflow.ErrInvalid},
		{&assets.MismatchError{Declared: "image/png", Detected: "image/gif"}, socialflow.ErrInvalid},
		{&assets.DimensionError{MIME: "image/png", Width: 1, Height: 1}, socialflow.ErrInvalid},
		{&assets.CorruptError{MIME: "image/png", Reason: "x"}, socialflow.ErrInvalid},
		{&assets.PlaceholderError{Name: "x", Reason: assets.PlaceholderEmpty}, socialflow.ErrInvalid},
		{&assets.SyntaxError{Offset: 1, Reason: "x"}, socialflow.ErrInvalid},
		{&assets.DuplicateError{Checksum: "c", ExistingID: "a"}, socialflow.ErrDuplicate},
		{&assets.NotFoundError{What: "asset", ID: "a"}, socialflow.ErrNotFound},
		{&assets.ConflictError{ID: "a", Version: 1, Current: 2}, socialflow.ErrConflict},
		{&assets.ExistsError{ID: "a"}, socialflow.ErrConflict},
		{&assets.TransitionError{ID: "a", From: assets.StatusArchived, To: assets.StatusApproved}, socialflow.ErrConflict},
		{&assets.InUseError{ID: "a", Usages: []assets.Usage{{PostID: "p"}, {PostID: "q", At: now}}}, socialflow.ErrConflict},
		{&assets.UseError{AssetID: "a", Reason: assets.ReasonRightsNotYetValid, At: now, Starts: now}, socialflow.ErrRejected},
		{&assets.UseError{AssetID: "a", Reason: "other"}, socialflow.ErrRejected},
	} {
		t.Run(strings.TrimPrefix(tt.err.Error(), "assets: "), func(t *testing.T) {
			assert.True(t, strings.HasPrefix(tt.err.Error(), "assets: "))
			for _, k := range kinds {
				assert.Equal(t, k == tt.kind, errors.Is(tt.err, k), "kind %v", k)
			}
		})
	}
}
