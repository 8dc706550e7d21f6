package uploadtest

import (
	"runtime"
	"sync"
)

// HeapPeak is the highest heap (runtime.MemStats.HeapAlloc: the bytes of
// the objects allocated and not yet freed) among its samples. A [Source]
// samples it as it is read; a test may call Sample itself too. Use
// [NewHeapPeak]; the zero value also works but starts from whatever
// garbage the heap holds. Safe for concurrent use.
type HeapPeak struct {
	mu      sync.Mutex
	peak    uint64
	samples int
}

// NewHeapPeak collects garbage (runtime.GC), so that the samples measure
// what the code under test holds, and returns a HeapPeak with no sample.
func NewHeapPeak() *HeapPeak {
	runtime.GC()
	return &HeapPeak{}
}

// Sample reads the heap's size now (runtime.ReadMemStats, which stops the
// world for a moment) and keeps it if it is the highest yet.
func (h *HeapPeak) Sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.peak = max(h.peak, ms.HeapAlloc)
	h.samples++
}

// Peak is the highest sample in bytes, 0 before the first.
func (h *HeapPeak) Peak() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.peak
}

// Samples is the number of samples taken.
func (h *HeapPeak) Samples() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.samples
}
