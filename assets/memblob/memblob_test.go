package memblob_test

import (
	"testing"

	"github.com/socialflow/socialflow/assets"
	"github.com/socialflow/socialflow/assets/blobstoretest"
	"github.com/socialflow/socialflow/assets/memblob"
)

func TestConformance(t *testing.T) {
	blobstoretest.Run(t, func(*testing.T) assets.BlobStore { return memblob.New() })
}
