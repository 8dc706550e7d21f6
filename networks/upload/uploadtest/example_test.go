package uploadtest_test

import (
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/socialflow/socialflow/networks/upload/uploadtest"
)

// An upload of a generated 8 MiB file through a connection cut at half
// of it: the first attempt fails, the second arrives whole (its CRC-32C is
// the file's), and the file was never held in memory.
func Example() {
	var mu sync.Mutex
	var sums []uint32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
		if _, err := io.Copy(h, r.Body); err == nil {
			mu.Lock()
			sums = append(sums, h.Sum32())
			mu.Unlock()
		}
	}))
	defer srv.Close()

	const size = 8 << 20
	heap := uploadtest.NewHeapPeak()
	src := &uploadtest.Source{Size: size, Heap: heap}
	cut, err := uploadtest.NewCutter(uploadtest.Total, uploadtest.Percent(size, 50)...)
	if err != nil {
		fmt.Println(err)
		return
	}
	hc := cut.Client()
	for attempt := 1; attempt <= 2; attempt++ {
		body, _ := src.Open(context.Background())
		req, _ := http.NewRequest(http.MethodPut, srv.URL, body)
		req.ContentLength = size
		resp, err := hc.Do(req)
		if err != nil {
			fmt.Printf("attempt %d: cut\n", attempt)
			continue
		}
		_ = resp.Body.Close()
		fmt.Printf("attempt %d: %s\n", attempt, resp.Status)
	}
	mu.Lock()
	defer mu.Unlock()
	fmt.Println("cuts:", cut.Cuts(), "opens:", src.Opens(), "read:", src.Read() >= size*3/2)
	fmt.Println("arrived whole:", len(sums) == 1 && sums[0] == src.CRC32C())
	fmt.Println("heap sampled:", heap.Samples() > 0, "held under the file:", heap.Peak() < size)
	// Output:
	// attempt 1: cut
	// attempt 2: 200 OK
	// cuts: 1 opens: 2 read: true
	// arrived whole: true
	// heap sampled: true held under the file: true
}
