package analytics_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseSVG decodes the whole document with encoding/xml and returns the
// number of each element and all character data.
func parseSVG(t *testing.T, b []byte) (map[string]int, string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	counts := map[string]int{}
	var text strings.Builder
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch x := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				require.Equal(t, "svg", x.Name.Local)
				require.Equal(t, "http://www.w3.org/2000/svg", x.Name.Space)
			}
			depth++
			counts[x.Name.Local]++
		case xml.EndElement:
			depth--
		case xml.CharData:
			text.Write(x)
		}
	}
	require.Equal(t, 0, depth)
	require.Equal(t, 1, roots)
	return counts, text.String()
}

func TestHeatmapSVG(t *testing.T) {
	d := bestTimeDataset(t)
	maps, err := d.BestTimes(analytics.BestTimeOptions{Now: utc(2026, 4, 30, 12, 0), Weeks: 17})
	require.NoError(t, err)
	m := maps[0]
	m.Channel = `Fish & <Chips> "Ltd"`
	var buf bytes.Buffer
	require.NoError(t, analytics.WriteHeatmapSVG(&buf, m, ""))
	counts, text := parseSVG(t, buf.Bytes())
	assert.GreaterOrEqual(t, counts["rect"], 168)
	assert.GreaterOrEqual(t, counts["title"], 169, "one tooltip per cell and a document title")
	assert.Contains(t, text, `Fish & <Chips> "Ltd"`, "escaped on write, restored on parse")
	for _, label := range []string{"Mon", "Sun", "00", "23", "Tue 09:00"} {
		assert.Contains(t, text, label)
	}
}

func TestLineChartSVG(t *testing.T) {
	d := handDataset(t)
	tab, err := d.Aggregate(osloDays())
	require.NoError(t, err)
	c := analytics.TrendChart(tab, analytics.MetricKPI(analytics.Likes), analytics.AtEnd, "Likes <by> campaign & day")
	require.Len(t, c.Series, 2)
	var buf bytes.Buffer
	require.NoError(t, c.WriteSVG(&buf))
	counts, text := parseSVG(t, buf.Bytes())
	assert.Contains(t, text, "Likes <by> campaign & day")
	assert.Contains(t, text, "spring")
	assert.Contains(t, text, "fall")
	assert.Contains(t, text, "Oct 24")
	assert.Contains(t, text, "likes")
	assert.GreaterOrEqual(t, counts["polyline"], 1, "spring has a line")
	assert.GreaterOrEqual(t, counts["circle"], 1, "fall has a single defined point")

	empty := analytics.TrendChart(tab, analytics.ROI, analytics.InPeriod, "nothing")
	empty.Series = empty.Series[1:] // spring never has ROI
	err = empty.WriteSVG(&buf)
	require.ErrorIs(t, err, socialflow.ErrInvalid)
}
