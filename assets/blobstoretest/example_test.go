package blobstoretest_test

import (
	"testing"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/blobstoretest"
	"github.com/socialflow/socialflow/assets/memblob"
)

// A host runs the suite against its own BlobStore from one test function;
// here the in-memory bucket stands in for it.
func ExampleRun() {
	_ = func(t *testing.T) {
		blobstoretest.Run(t, func(t *testing.T) assets.BlobStore { return memblob.New() })
	}
}
