package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/workflow"
	"github.com/socialflow/socialflow/workflow/memstore"
)

// Two editors read the same revision; the second write is refused with the
// current revision instead of overwriting the first.
func Example() {
	ctx := context.Background()
	s := memstore.New()
	p, err := s.CreatePost(ctx, workflow.Post{ID: "p1", Workspace: "w", State: workflow.StateDraft, Content: workflow.Content{Text: "v1"}})
	if err != nil {
		log.Fatal(err)
	}
	a, b := p.Clone(), p.Clone()
	a.Content.Text = "edited by ana"
	if _, err := s.UpdatePost(ctx, a); err != nil {
		log.Fatal(err)
	}
	b.Content.Text = "edited by ben"
	_, err = s.UpdatePost(ctx, b)
	fmt.Println(errors.Is(err, socialflow.ErrConflict), err)

	// Leases: one holder at a time, with a growing fencing token.
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l1, _ := s.Acquire(ctx, "p1/x", "dispatcher-1", now, time.Minute)
	_, err = s.Acquire(ctx, "p1/x", "dispatcher-2", now.Add(30*time.Second), time.Minute)
	fmt.Println(l1.Token, err)
	// Output:
	// true workflow: post "p1" changed meanwhile: current revision 2
	// 1 workflow: lease "p1/x" is held by "dispatcher-1" (token 1)
}
