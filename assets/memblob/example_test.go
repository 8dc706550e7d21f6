package memblob_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/assets/memblob"
)

func Example() {
	ctx := context.Background()
	b := memblob.New()
	if err := b.Put(ctx, "sha256/abc", strings.NewReader("hello bytes"), 11, "text/plain"); err != nil {
		log.Fatal(err)
	}
	r, err := b.NewRangeReader(ctx, "sha256/abc", 6, 5)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	part, _ := io.ReadAll(r)
	attrs, _ := b.Attributes(ctx, "sha256/abc")
	fmt.Println(string(part), attrs.Size, attrs.ContentType)

	err = b.Put(ctx, "sha256/short", strings.NewReader("abc"), 10, "text/plain")
	fmt.Println(errors.Is(err, socialflow.ErrInvalid))
	// Output:
	// bytes 11 text/plain
	// true
}
