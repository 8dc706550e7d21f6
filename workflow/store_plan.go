package workflow

// PlanStore persists the planning state (posting slots, queues, rules,
// blackouts, calendar events, guidelines, bookings).
type PlanStore interface{}
