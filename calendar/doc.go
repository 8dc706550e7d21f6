// Package calendar is the content calendar: an index of entries with fast
// range queries and day, week and month views, DST-correct posting slots and
// queues, scheduling rules and iCalendar export. It is pure: time is passed in.
package calendar
