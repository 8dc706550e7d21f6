package memstore

import "github.com/socialflow/socialflow/workflow"

// dueState holds the due index.
type dueState struct{}

func (st *dueState) index(old *workflow.Post, p workflow.Post) {}
