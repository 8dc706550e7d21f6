// Package analytics turns metric snapshots into KPIs with declared formulas,
// aggregations, best-time-to-post maps and team metrics. It is pure: no I/O,
// no goroutines, time passed in.
package analytics
