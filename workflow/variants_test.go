package workflow_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/networks/fakenet"
	"github.com/socialflow/socialflow/workflow"
)

// TestVariantsOverrideFieldByField: a variant replaces only the fields it
// sets; a channel's variant wins over its network's, which wins over the
// base.
func TestVariantsOverrideFieldByField(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	base := workflow.Content{Text: "base text", Media: []workflow.MediaRef{{Asset: "img1"}}, Link: "https://ex.com/a", FirstComment: "#tags", Thread: []string{"part 2"}}
	p, err := e.svc.CreatePost(ctx, "cat", workflow.NewPost{Workspace: "brand", Channels: []string{"ig", "x"}, Content: base,
		NetworkVariants: map[string]workflow.Content{"x": {Text: "x network text", Link: "https://ex.com/x"}, "instagram": {FirstComment: "ig tags"}},
		Variants: map[string]workflow.Content{
			"x":  {Text: "x channel text", Omit: []workflow.ContentField{workflow.FieldThread}},
			"ig": {Media: []workflow.MediaRef{{Asset: "img2", AltText: "alt"}}},
		}})
	require.NoError(t, err)
	cases := []struct {
		channel string
		want    workflow.Content
	}{
		{"x", workflow.Content{Text: "x channel text", Media: []workflow.MediaRef{{Asset: "img1"}}, Link: "https://ex.com/x", FirstComment: "#tags"}},
		{"ig", workflow.Content{Text: "base text", Media: []workflow.MediaRef{{Asset: "img2", AltText: "alt"}}, Link: "https://ex.com/a", FirstComment: "ig tags", Thread: []string{"part 2"}}},
		{"not-a-target", base},
	}
	for _, c := range cases {
		t.Run(c.channel, func(t *testing.T) {
			assert.Equal(t, c.want, p.ContentFor(c.channel))
			read, err := e.svc.Post(ctx, "mgr", p.ID)
			require.NoError(t, err)
			assert.Equal(t, c.want, read.ContentFor(c.channel), "reads show the effective content")
		})
	}

	xOnly := workflow.Content{Text: "only text"}
	assert.Equal(t, workflow.Content{Text: "only text", Media: base.Media, Link: base.Link, FirstComment: base.FirstComment, Thread: base.Thread},
		base.Override(xOnly), "a variant with only Text keeps the base's media")

	p, err = e.svc.EditPost(ctx, "cat", p.ID, workflow.Edit{Rev: p.Rev, NetworkVariants: map[string]*workflow.Content{"x": nil, "instagram": {Text: "ig net"}}})
	require.NoError(t, err)
	assert.Equal(t, "https://ex.com/a", p.ContentFor("x").Link, "the x network variant was removed")
	assert.Equal(t, "ig net", p.ContentFor("ig").Text)
	vs, err := e.svc.Versions(ctx, "mgr", p.ID)
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.Contains(t, vs[0].NetworkVariants, "x")
	assert.NotContains(t, vs[1].NetworkVariants, "x")
}

// TestVariantInputIsChecked: variants that cannot apply are refused.
func TestVariantInputIsChecked(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	cases := []struct {
		name string
		in   workflow.NewPost
	}{
		{"network variant for a network not targeted", workflow.NewPost{NetworkVariants: map[string]workflow.Content{"linkedin": {Text: "li"}}}},
		{"unknown field omitted", workflow.NewPost{Variants: map[string]workflow.Content{"x": {Omit: []workflow.ContentField{"title"}}}}},
		{"omit on the base", workflow.NewPost{Content: workflow.Content{Text: "t", Omit: []workflow.ContentField{workflow.FieldMedia}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.Workspace, in.Channels = "brand", []string{"ig", "x"}
			if in.Content.Text == "" {
				in.Content.Text = "base"
			}
			_, err := e.svc.CreatePost(ctx, "cat", in)
			require.ErrorIs(t, err, socialflow.ErrInvalid)
		})
	}
}

// TestDispatcherPublishesTheEffectiveContent: what goes out is the base
// with the network's and the channel's variants laid over it.
func TestDispatcherPublishesTheEffectiveContent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newDispatchEnv(t, fakenet.Options{})
		ctx := context.Background()
		p, err := e.svc.CreatePost(ctx, "boss", workflow.NewPost{Workspace: "w", Channels: []string{"a", "b"},
			Content:         workflow.Content{Text: "base", Thread: []string{"part 2"}},
			NetworkVariants: map[string]workflow.Content{fakenet.Network: {Text: "for fakenet"}, "othernet": {Text: "for othernet"}},
			Variants:        map[string]workflow.Content{"b": {Text: "for b"}}})
		require.NoError(t, err)
		_, err = e.svc.Submit(ctx, "boss", p.ID)
		require.NoError(t, err)
		_, err = e.svc.Schedule(ctx, "boss", p.ID, time.Now())
		require.NoError(t, err)
		d, err := workflow.NewDispatcher(e.svc, e.connect(t))
		require.NoError(t, err)
		_, err = d.RunOnce(ctx, time.Now())
		require.NoError(t, err)
		for net, want := range map[string]string{fakenet.Network: "for fakenet", "othernet": "for b"} {
			posts := e.nets[net].Posts()
			require.Len(t, posts, 1, net)
			assert.Equal(t, want, posts[0].Draft.Text, net)
			assert.Equal(t, []string{"part 2"}, posts[0].Draft.Thread, "%s: the base thread is inherited", net)
		}
	})
}

// TestOverrideCoversEveryField: every field of Content a variant sets wins
// over the base, and every field it omits is emptied, so a field added to
// Content later cannot be forgotten by Override.
func TestOverrideCoversEveryField(t *testing.T) {
	base := workflow.Content{Text: "b", Media: []workflow.MediaRef{{Asset: "b"}}, Link: "https://b", FirstComment: "b", Thread: []string{"b"}}
	v := workflow.Content{Text: "v", Media: []workflow.MediaRef{{Asset: "v"}}, Link: "https://v", FirstComment: "v", Thread: []string{"v"}}
	rt := reflect.TypeOf(base)
	for i := range rt.NumField() {
		f := rt.Field(i)
		if f.Name == "Omit" {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			require.False(t, reflect.ValueOf(base).Field(i).IsZero(), "the fixture sets %s", f.Name)
			only := workflow.Content{}
			reflect.ValueOf(&only).Elem().Field(i).Set(reflect.ValueOf(v).Field(i))
			got := base.Override(only)
			assert.Equal(t, reflect.ValueOf(v).Field(i).Interface(), reflect.ValueOf(got).Field(i).Interface(), "the variant's %s wins", f.Name)
			for j := range rt.NumField() {
				if j != i && rt.Field(j).Name != "Omit" {
					assert.Equal(t, reflect.ValueOf(base).Field(j).Interface(), reflect.ValueOf(got).Field(j).Interface(), "%s is inherited", rt.Field(j).Name)
				}
			}
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			dropped := base.Override(workflow.Content{Omit: []workflow.ContentField{workflow.ContentField(tag)}})
			assert.True(t, reflect.ValueOf(dropped).Field(i).IsZero(), "omitting %s empties it", tag)
		})
	}
}
