package calendar_test

import (
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/calendar"
)

func TestCheck(t *testing.T) {
	c := calendar.New()
	oslo := mustZone(t, "Europe/Oslo")
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, oslo) }
	require.NoError(t, c.AddAll([]calendar.Entry{
		entry("m9", at(2, 9, 0)), entry("m12", at(2, 12, 0)), entry("m23", at(2, 23, 30)),
	}))
	other := entry("other-channel", at(2, 9, 30))
	other.Channel = "li-acme"
	idea := entry("idea", at(2, 9, 45))
	idea.Status = calendar.StatusIdea
	require.NoError(t, c.Add(other))
	require.NoError(t, c.Add(idea))

	rules := calendar.Rules{MinGap: time.Hour, MaxPerDay: 3, Blackouts: []calendar.Blackout{
		{ID: "crisis", Reason: "incident", Start: at(3, 0, 0), End: at(4, 0, 0), Channels: []string{"x-acme"}},
	}}
	for _, tt := range []struct {
		name     string
		proposed calendar.Entry
		want     []calendar.ViolationKind
		ids      [][]string
	}{
		{"fourth post of the day", entry("p", at(2, 15, 0)), []calendar.ViolationKind{calendar.ViolationMaxPerDay}, [][]string{{"m9", "m12", "p", "m23"}}},
		{"too close to 09:00", entry("p", at(2, 9, 59)), []calendar.ViolationKind{calendar.ViolationMinGap, calendar.ViolationMaxPerDay},
			[][]string{{"m9", "p"}, {"m9", "p", "m12", "m23"}}},
		{"exactly the gap is fine", entry("p", at(3, 10, 0)), []calendar.ViolationKind{calendar.ViolationBlackout}, [][]string{{"p"}}},
		{"other day, other rules", entry("p", at(5, 10, 0)), nil, nil},
		{"moving an entry is checked as its replacement", entry("m12", at(2, 9, 30)), []calendar.ViolationKind{calendar.ViolationMinGap}, [][]string{{"m9", "m12"}}},
		{"ideas break nothing", func() calendar.Entry { e := entry("p", at(3, 10, 0)); e.Status = calendar.StatusIdea; return e }(), nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := c.Check(rules, tt.proposed)
			require.NoError(t, err)
			var kinds []calendar.ViolationKind
			var ids [][]string
			for _, v := range vs {
				kinds = append(kinds, v.Kind)
				ids = append(ids, v.EntryIDs)
				assert.NotEmpty(t, v.String())
			}
			assert.Equal(t, tt.want, kinds)
			assert.Equal(t, tt.ids, ids)
		})
	}

	// Range: the 09:00/09:59 pair once, the crowded day once.
	require.NoError(t, c.Add(entry("close", at(2, 9, 59))))
	vs, err := c.CheckRange(rules, calendar.Query{Workspace: "acme", From: at(1, 0, 0), To: at(31, 0, 0)})
	require.NoError(t, err)
	var kinds []calendar.ViolationKind
	for _, v := range vs {
		kinds = append(kinds, v.Kind)
	}
	assert.ElementsMatch(t, []calendar.ViolationKind{calendar.ViolationMinGap, calendar.ViolationMaxPerDay}, kinds)

	_, err = c.Check(calendar.Rules{MinGap: -time.Minute}, entry("p", at(2, 15, 0)))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = c.Check(calendar.Rules{Blackouts: []calendar.Blackout{{ID: "b", Start: at(3, 0, 0), End: at(2, 0, 0)}}}, entry("p", at(2, 15, 0)))
	require.ErrorIs(t, err, socialflow.ErrInvalid)
	_, err = c.CheckRange(rules, calendar.Query{From: at(3, 0, 0), To: at(2, 0, 0)})
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}
