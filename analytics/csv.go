package analytics

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// DefaultColumns returns the KPIs [WriteCSV] writes when given none: every
// KPI except the total of [Reach], which is never summed.
func DefaultColumns() []KPI {
	var out []KPI
	for _, k := range KPIs() {
		if k != MetricKPI(Reach) {
			out = append(out, k)
		}
	}
	return out
}

// WriteCSV writes t as CSV (encoding/csv): a header, then one record per row
// with the group (the column is named after the dimension), the period's start
// and end (RFC 3339, in the query's zone), the given KPIs of the row's Total
// or Gain (basis b; DefaultColumns when none are given) and the currency. An
// undefined KPI is an empty cell, never 0.
func WriteCSV(w io.Writer, t Table, b Basis, kpis ...KPI) error {
	if len(kpis) == 0 {
		kpis = DefaultColumns()
	}
	cw := csv.NewWriter(w)
	head := []string{t.Query.By.String(), "period_start", "period_end"}
	for _, k := range kpis {
		head = append(head, k.String())
	}
	head = append(head, "currency")
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(head))
	for _, r := range t.Rows {
		f := b.of(r)
		rec[0], rec[1], rec[2] = r.Group, r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339)
		for i, k := range kpis {
			rec[3+i] = formatValue(f.KPI(k))
		}
		rec[len(rec)-1] = f.Currency
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatValue(v Value) string {
	if !v.OK {
		return ""
	}
	return strconv.FormatFloat(v.V, 'f', -1, 64)
}
