package instagram

import "log/slog"

// String describes the adapter without its secrets (the app secret of its
// Graph configuration), so that printing it with any verb is safe.
func (a *Adapter) String() string { return "instagram.Adapter{" + a.cfg.String() + "}" }

// GoString is String, so %#v never prints a secret.
func (a *Adapter) GoString() string { return a.String() }

// LogValue implements [slog.LogValuer] with String.
func (a *Adapter) LogValue() slog.Value { return slog.StringValue(a.String()) }
