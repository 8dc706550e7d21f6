package workflow_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
	"github.com/socialflow/socialflow/workflow/team"
)

// bulkService: workspace "w" owned by "boss", with channels in Oslo, New
// York and without a zone.
func bulkService(t testing.TB) *workflow.Service {
	t.Helper()
	tm, err := team.NewTeam()
	require.NoError(t, err)
	require.NoError(t, tm.AddOrganization(team.Organization{ID: "o", Kind: team.OrgCompany}))
	require.NoError(t, tm.AddMember(team.Member{ID: "boss"}))
	require.NoError(t, tm.AddWorkspace(team.Workspace{ID: "w", OrgID: "o"}, "boss", t0))
	for _, c := range []team.Channel{
		{ID: "osl", WorkspaceID: "w", Network: "instagram", Zone: "Europe/Oslo"},
		{ID: "osl2", WorkspaceID: "w", Network: "x", Zone: "Europe/Oslo"},
		{ID: "nyc", WorkspaceID: "w", Network: "x", Zone: "America/New_York"},
		{ID: "utc", WorkspaceID: "w", Network: "linkedin"},
	} {
		require.NoError(t, tm.AddChannel(c))
	}
	svc, err := workflow.NewService(tm, memstore.New())
	require.NoError(t, err)
	return svc
}

func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func TestBulkCreateRows(t *testing.T) {
	for _, tt := range []struct {
		name    string
		csv     string
		at      time.Time // the post's instant, when the row is good
		zone    string
		text    string
		errLine int      // the bad row's line, when it is bad
		errHas  []string // what its error says
	}{
		{"zone column", "text,channels,zone,at\nhi,utc,Europe/Oslo,2026-01-10 09:00\n", utc(2026, 1, 10, 8, 0), "Europe/Oslo", "hi", 0, nil},
		{"no zone column: the channel's zone", "text,channels,at\nhi,nyc,2026-01-10 09:00\n", utc(2026, 1, 10, 14, 0), "America/New_York", "hi", 0, nil},
		{"empty zone: the channel's zone", "text,channels,zone,at\nhi,osl,,2026-07-10 09:00\n", utc(2026, 7, 10, 7, 0), "Europe/Oslo", "hi", 0, nil},
		{"channels sharing a zone", "text,channels,at\nhi,osl;osl2,2026-07-10 09:00\n", utc(2026, 7, 10, 7, 0), "Europe/Oslo", "hi", 0, nil},
		{"channel without a zone: UTC", "text,channels,at\nhi,utc,2026-07-10 09:00\n", utc(2026, 7, 10, 9, 0), "", "hi", 0, nil},
		{"channels in different zones", "text,channels,at\nhi,osl;nyc,2026-07-10 09:00\n", time.Time{}, "", "", 2, []string{"zone", "osl", "nyc"}},
		{"DST gap moves forward by the gap (RFC 5545)", "text,channels,at\nhi,nyc,2026-03-08 02:30\n", utc(2026, 3, 8, 7, 30), "America/New_York", "hi", 0, nil},
		{"DST gap in Oslo", "text,channels,at\nhi,osl,2026-03-29 02:15\n", utc(2026, 3, 29, 1, 15), "Europe/Oslo", "hi", 0, nil},
		{"DST overlap is the first occurrence (RFC 5545)", "text,channels,at\nhi,nyc,2026-11-01 01:30\n", utc(2026, 11, 1, 5, 30), "America/New_York", "hi", 0, nil},
		{"DST overlap in Oslo", "text,channels,at\nhi,osl,2026-10-25 02:30\n", utc(2026, 10, 25, 0, 30), "Europe/Oslo", "hi", 0, nil},
		{"RFC 3339 is an instant", "text,channels,at\nhi,nyc,2026-03-08T02:30:00Z\n", utc(2026, 3, 8, 2, 30), "America/New_York", "hi", 0, nil},
		{"quoted comma", "text,channels\n\"Hello, world\",utc\n", time.Time{}, "", "Hello, world", 0, nil},
		{"text keeps its spaces", "text,channels\n\"  two  spaces \",utc\n", time.Time{}, "", "  two  spaces ", 0, nil},
		{"unquoted comma is an extra field", "text,channels\nHello, world,utc\n", time.Time{}, "", "", 2, []string{"3 fields", "header has 2"}},
		{"extra field on a later row", "text,channels\nfine,utc\nHello, world,utc\n", time.Time{}, "", "", 3, []string{"3 fields"}},
		{"missing field", "text,channels,campaign\nhi,utc\n", time.Time{}, "", "", 2, []string{"2 fields", "header has 3"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			svc := bulkService(t)
			posts, err := svc.BulkCreate(t.Context(), "boss", "w", strings.NewReader(tt.csv), false)
			if tt.errLine != 0 {
				require.ErrorIs(t, err, socialflow.ErrInvalid)
				var be *workflow.BulkError
				require.ErrorAs(t, err, &be)
				require.Len(t, be.Rows, 1, "%v", err)
				assert.Equal(t, tt.errLine, be.Rows[0].Line)
				for _, s := range tt.errHas {
					assert.Contains(t, be.Rows[0].Error(), s)
				}
				assert.Empty(t, posts)
				return
			}
			require.NoError(t, err)
			require.Len(t, posts, 1)
			assert.Equal(t, tt.at, posts[0].At)
			assert.Equal(t, tt.zone, posts[0].Zone)
			assert.Equal(t, tt.text, posts[0].Content.Text)
		})
	}
}

// TestBulkExportRoundTrip: what BulkExport writes, BulkCreate reads back
// into the same posts.
func TestBulkExportRoundTrip(t *testing.T) {
	in := "text,channels,labels,campaign,link,first_comment,zone,at\n" +
		"\"Hello, world\",osl;osl2,tips;spring,launch,https://example.com/a,\"first; comment\",,2026-03-29 02:15\n" +
		"\"multi\nline \"\"quoted\"\"\",nyc,,,,,,2026-11-01 01:30\n" +
		"no time,utc,,,,,Asia/Tokyo,\n" +
		"  padded  ,utc,,,,,,2026-07-01T10:00:00+02:00\n"
	src := bulkService(t)
	first, err := src.BulkCreate(t.Context(), "boss", "w", strings.NewReader(in), false)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, src.BulkExport(t.Context(), "boss", "w", &out))

	dst := bulkService(t)
	again, err := dst.BulkCreate(t.Context(), "boss", "w", bytes.NewReader(out.Bytes()), false)
	require.NoError(t, err, out.String())
	require.Equal(t, len(first), len(again))
	byText := func(a, b workflow.Post) int { return strings.Compare(a.Content.Text, b.Content.Text) }
	slices.SortFunc(first, byText)
	slices.SortFunc(again, byText)
	for i := range first {
		assert.Equal(t, bulkView(first[i]), bulkView(again[i]), "row %d of\n%s", i, out.String())
	}
}

// bulkView is what a bulk file carries of a post.
func bulkView(p workflow.Post) map[string]any {
	var chans []string
	for _, t := range p.Targets {
		chans = append(chans, t.Channel)
	}
	return map[string]any{"text": p.Content.Text, "link": p.Content.Link, "first_comment": p.Content.FirstComment,
		"channels": chans, "labels": p.Labels, "campaign": p.Campaign, "zone": p.Zone, "at": p.At}
}
