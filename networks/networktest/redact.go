package networktest

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// AssertNoSecret formats v with every verb that may reach a log or an error
// message — %v, %+v, %#v, %s, %q — and logs it with slog's text and JSON
// handlers, and fails t when any output contains one of secrets. When v is
// an error, every error reachable from it through Unwrap (what errors.As
// can reach) is checked the same way. Use it on every type of yours that
// holds a token, key or password.
func AssertNoSecret(t testing.TB, v any, secrets ...string) {
	t.Helper()
	seen := map[any]bool{}
	var walk func(v any)
	walk = func(v any) {
		for _, out := range renderings(v) {
			for _, s := range secrets {
				if s != "" && strings.Contains(out, s) {
					t.Errorf("a secret appears in the output of %T: %s", v, out)
				}
			}
		}
		err, ok := v.(error)
		if !ok {
			return
		}
		var next []error
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			next = []error{u.Unwrap()}
		case interface{ Unwrap() []error }:
			next = u.Unwrap()
		}
		for _, e := range next {
			if e == nil || seen[e] {
				continue
			}
			if isComparable(e) {
				seen[e] = true
			}
			walk(e)
		}
	}
	walk(v)
}

func isComparable(e error) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_ = map[any]bool{e: true}
	return true
}

// renderings returns v as every verb and both slog handlers show it.
func renderings(v any) []string {
	out := []string{
		fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v),
		fmt.Sprintf("%s", v), fmt.Sprintf("%q", v),
	}
	for _, h := range []func(*bytes.Buffer) slog.Handler{
		func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("networktest", "value", v)
		out = append(out, b.String())
	}
	if err, ok := v.(error); ok {
		out = append(out, err.Error())
	}
	return out
}
