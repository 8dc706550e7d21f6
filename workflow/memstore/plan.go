package memstore

import "github.com/socialflow/socialflow/workflow"

// planState holds the planning state and the calendar range index.
type planState struct{}

func (st *planState) index(old *workflow.Post, p workflow.Post) {}
