package analytics

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to a strings.Builder cannot fail
	return b.String()
}

// shortNum formats v compactly for labels: 12345 → "12.3k", 0.0412 → "0.0412".
func shortNum(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 1, 64) + "G"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case a >= 1e4:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	case a >= 100 || a == 0:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// ramp maps t in [0, 1] from a pale to a dark blue.
func ramp(t float64) string {
	t = math.Max(0, math.Min(1, t))
	lerp := func(a, b float64) int { return int(math.Round(a + (b-a)*t)) }
	return fmt.Sprintf("#%02x%02x%02x", lerp(247, 8), lerp(251, 48), lerp(255, 107))
}

var dayNames = [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// WriteHeatmapSVG draws m as a 7 × 24 heatmap (days down, local hours
// across) with the smoothed score printed in every cell, the top five slots
// outlined, a colour legend with its minimum and maximum, and a tooltip per
// cell (score, posts, confidence). title is escaped; "" uses a default.
func WriteHeatmapSVG(w io.Writer, m WeekMap, title string) error {
	if title == "" {
		zone := m.Zone
		if zone == "" {
			zone = "UTC"
		}
		title = fmt.Sprintf("Best time to post: %s (%s), %s", m.Channel, zone, m.KPI)
	}
	const (
		left, top, cw, ch = 48.0, 64.0, 30.0, 24.0
		width             = left + 24*cw + 16
		height            = top + 7*ch + 90
	)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range m.Slots {
		lo, hi = math.Min(lo, s.Score), math.Max(hi, s.Score)
	}
	scale := func(v float64) float64 {
		if hi <= lo {
			return 0.5
		}
		return (v - lo) / (hi - lo)
	}
	top5 := map[int]bool{}
	for _, s := range m.Top(5) {
		top5[SlotIndex(s.Weekday, s.Hour)] = true
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", esc(title))
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%g" y="24" font-size="16" font-weight="bold">%s</text>`+"\n", left, esc(title))
	fmt.Fprintf(&b, `<text x="%g" y="42" font-size="11" fill="#555555">%s</text>`+"\n", left,
		esc(fmt.Sprintf("smoothed %s per post by local hour of publishing; %d posts; prior: %s; outlined: top 5 slots", m.KPI, m.Posts, m.Source)))
	for h := range 24 {
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10" text-anchor="middle">%02d</text>`+"\n", left+float64(h)*cw+cw/2, top-6, h)
	}
	for d := range 7 {
		y := top + float64(d)*ch
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" text-anchor="end">%s</text>`+"\n", left-6, y+ch/2+4, dayNames[d])
		for h := range 24 {
			i := d*24 + h
			s := m.Slots[i]
			t := scale(s.Score)
			x := left + float64(h)*cw
			stroke := `stroke="#ffffff" stroke-width="1"`
			if top5[i] {
				stroke = `stroke="#e6550d" stroke-width="2.5"`
			}
			fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="%s" %s><title>%s</title></rect>`+"\n",
				x, y, cw, ch, ramp(t), stroke,
				esc(fmt.Sprintf("%s %02d:00 — score %s, %d posts, confidence %.2f", dayNames[d], h, shortNum(s.Score), s.N, s.Confidence)))
			fill := "#000000"
			if t > 0.55 {
				fill = "#ffffff"
			}
			fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="8" text-anchor="middle" fill="%s">%s</text>`+"\n", x+cw/2, y+ch/2+3, fill, esc(shortNum(s.Score)))
		}
	}
	// Legend: a gradient bar with its end values.
	ly := top + 7*ch + 30
	fmt.Fprintf(&b, `<defs><linearGradient id="ramp" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="%s"/><stop offset="1" stop-color="%s"/></linearGradient></defs>`+"\n", ramp(0), ramp(1))
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11">%s</text>`+"\n", left, ly-6, esc("smoothed "+m.KPI.String()))
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="240" height="12" fill="url(#ramp)" stroke="#999999"/>`+"\n", left, ly)
	if math.IsInf(lo, 0) {
		lo, hi = 0, 0
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10">%s</text>`+"\n", left, ly+26, esc(shortNum(lo)))
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="10" text-anchor="end">%s</text>`+"\n", left+240, ly+26, esc(shortNum(hi)))
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// Point is one value of a [LineSeries]; an undefined value breaks the line.
type Point struct {
	At time.Time
	V  Value
}

// LineSeries is one labelled line of a [LineChart].
type LineSeries struct {
	Name   string
	Points []Point // in time order
}

// LineChart is a line chart of values over time.
type LineChart struct {
	Title  string
	YLabel string
	Zone   *time.Location // for tick labels; nil is UTC
	Series []LineSeries
}

// TrendChart returns a chart of KPI k over the periods of t, one series per
// group (basis b picks Total or Gain), each point at its period's start.
func TrendChart(t Table, k KPI, b Basis, title string) LineChart {
	c := LineChart{Title: title, YLabel: k.String()}
	if b == InPeriod {
		c.YLabel += " (in period)"
	}
	for _, r := range t.Rows {
		name := r.Group
		if name == "" {
			name = "(none)"
		}
		if n := len(c.Series); n == 0 || c.Series[n-1].Name != name {
			c.Series = append(c.Series, LineSeries{Name: name})
			c.Zone = r.Start.Location()
		}
		s := &c.Series[len(c.Series)-1]
		s.Points = append(s.Points, Point{At: r.Start, V: b.of(r).KPI(k)})
	}
	return c
}

var palette = [...]string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"}

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := math.Floor(lo/step) * step; v <= hi+step*1e-9; v += step {
		out = append(out, v)
		if len(out) > 50 {
			break
		}
	}
	if out[len(out)-1] < hi {
		out = append(out, out[len(out)-1]+step)
	}
	return out
}

// WriteSVG draws the chart: a title, a y axis with round ticks and its
// label, a time axis with dated ticks, one coloured line per series with its
// name written at its last point, and a legend. A chart with no defined
// point is a [*FieldError].
func (c LineChart) WriteSVG(w io.Writer) error {
	var t0, t1 time.Time
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			if !p.V.OK || math.IsNaN(p.V.V) || math.IsInf(p.V.V, 0) {
				continue
			}
			if t0.IsZero() || p.At.Before(t0) {
				t0 = p.At
			}
			if p.At.After(t1) {
				t1 = p.At
			}
			lo, hi = math.Min(lo, p.V.V), math.Max(hi, p.V.V)
		}
	}
	if math.IsInf(lo, 0) {
		return &FieldError{Op: "LineChart.WriteSVG", Field: "series", Reason: "no defined point"}
	}
	loc := c.Zone
	if loc == nil {
		loc = time.UTC
	}
	const (
		width, height            = 860.0, 440.0
		left, right, top, bottom = 72.0, 160.0, 56.0, 64.0
		pw, ph                   = width - left - right, height - top - bottom
	)
	ticks := niceTicks(math.Min(lo, 0), hi, 5)
	ylo, yhi := ticks[0], ticks[len(ticks)-1]
	span := t1.Sub(t0)
	if span <= 0 {
		span = time.Hour
	}
	X := func(t time.Time) float64 { return left + pw*float64(t.Sub(t0))/float64(span) }
	Y := func(v float64) float64 { return top + ph*(1-(v-ylo)/(yhi-ylo)) }

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<title>%s</title>`+"\n", esc(c.Title))
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%g" y="28" font-size="16" font-weight="bold">%s</text>`+"\n", left, esc(c.Title))
	// Y axis, grid and ticks.
	for _, v := range ticks {
		y := Y(v)
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#e5e5e5"/>`+"\n", left, y, left+pw, y)
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" font-size="10" text-anchor="end">%s</text>`+"\n", left-6, y+3, esc(shortNum(v)))
	}
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333333"/>`+"\n", left, top, left, top+ph)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333333"/>`+"\n", left, top+ph, left+pw, top+ph)
	fmt.Fprintf(&b, `<text transform="translate(16 %g) rotate(-90)" font-size="12" text-anchor="middle">%s</text>`+"\n", top+ph/2, esc(c.YLabel))
	// X axis ticks.
	layout := "Jan 2"
	if span < 48*time.Hour {
		layout = "Jan 2 15:04"
	}
	const nx = 6
	for i := 0; i <= nx; i++ {
		t := t0.Add(time.Duration(float64(span) * float64(i) / nx))
		x := X(t)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#333333"/>`+"\n", x, top+ph, x, top+ph+5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="10" text-anchor="middle">%s</text>`+"\n", x, top+ph+18, esc(t.In(loc).Format(layout)))
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="12" text-anchor="middle">%s</text>`+"\n", left+pw/2, height-14,
		esc("time ("+loc.String()+")"))
	// Series.
	lx := left
	for i, s := range c.Series {
		color := palette[i%len(palette)]
		var pts []string
		var last *Point
		flush := func() {
			if len(pts) > 1 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", color, strings.Join(pts, " "))
			} else if len(pts) == 1 {
				xy := strings.Split(pts[0], ",")
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="2.5" fill="%s"/>`+"\n", xy[0], xy[1], color)
			}
			pts = pts[:0]
		}
		for j := range s.Points {
			p := &s.Points[j]
			if !p.V.OK || math.IsNaN(p.V.V) || math.IsInf(p.V.V, 0) {
				flush()
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", X(p.At), Y(p.V.V)))
			last = p
		}
		flush()
		if last != nil {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="%s">%s</text>`+"\n", X(last.At)+6, Y(last.V.V)+4, color,
				esc(s.Name+" "+shortNum(last.V.V)))
		}
		// Legend entry, in a row under the title.
		const ly = 44.0
		fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="3"/>`+"\n", lx, ly, lx+16, ly, color)
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11">%s</text>`+"\n", lx+20, ly+4, esc(s.Name))
		lx += 36 + 6.5*float64(len([]rune(s.Name)))
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}
