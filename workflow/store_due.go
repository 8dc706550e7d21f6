package workflow

// DueIndex finds the targets due at or before an instant without scanning
// every post.
type DueIndex interface{}
