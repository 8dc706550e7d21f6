package analytics

import "time"

// Target describes one published target (one post on one channel) with the
// attributes aggregation groups by. The zero value is invalid: ID is required.
type Target struct {
	ID          string    `json:"id"`
	Network     string    `json:"network,omitempty"`   // e.g. "mastodon"
	Channel     string    `json:"channel,omitempty"`   // the connected account
	Workspace   string    `json:"workspace,omitempty"` // the brand or client
	Campaign    string    `json:"campaign,omitempty"`
	Labels      []string  `json:"labels,omitempty"`
	Author      string    `json:"author,omitempty"`      // the member who wrote the post
	PublishedAt time.Time `json:"published_at,omitzero"` // zero: unknown (excluded from best time)
	Zone        string    `json:"zone,omitempty"`        // the channel's IANA zone; "" is UTC
}

// Validate checks that the target has an ID and, if Zone is set, a zone
// time.LoadLocation knows. Failures are a [*FieldError] or a [*ZoneError],
// both matching socialflow.ErrInvalid.
func (t Target) Validate() error {
	if t.ID == "" {
		return &FieldError{Op: "Target.Validate", Field: "id", Reason: "required"}
	}
	_, err := loadZone("Target.Validate", "zone", t.Zone)
	return err
}
