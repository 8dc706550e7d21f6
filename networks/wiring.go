package networks

// ManagesTokens reports whether the Publisher supplies tokens for accounts
// without their own token source (it was built with [WithTokenStore]).
// When it does not, every account must carry its own Tokens; hosts check
// this at start-up (workflow's Dispatcher.CheckWiring does).
func (p *Publisher) ManagesTokens() bool { return p.o.store != nil }
