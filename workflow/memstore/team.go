package memstore

// teamState holds the team model.
type teamState struct{}
