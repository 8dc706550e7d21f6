// Package approval decides who must say yes before content goes out: policies
// (none, optional, required, multi-level), routing rules, deadlines and signed
// links for external approvers. It is pure: no I/O, no goroutines, time passed
// in as now.
package approval
