package apikit

import (
	"log/slog"
	"strconv"

	"github.com/socialflow/socialflow/networks"
)

// Session is what one adapter operation knows of its account: the account
// and the access token got for it ([networks.AccessToken]). Embed it in an
// adapter's own session type; its String, GoString and LogValue never show
// the token, so the session may be printed or logged.
type Session struct {
	Account networks.Account
	Token   string
}

// String describes the session without its token.
func (s Session) String() string {
	return s.Account.Network + ".session{account:" + strconv.Quote(s.Account.ID) + " token:REDACTED}"
}

// GoString is String, so %#v never prints the token.
func (s Session) GoString() string { return s.String() }

// LogValue implements [slog.LogValuer]: the account only.
func (s Session) LogValue() slog.Value {
	return slog.GroupValue(slog.String("account", s.Account.ID), slog.String("token", "REDACTED"))
}
