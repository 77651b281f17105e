package kiosk

import "time"

// RateLimit allows at most Max events in any window of Per (a sliding log). Its zero value
// allows nothing; it is not safe for concurrent use (the shell uses it on the GTK thread).
type RateLimit struct {
	Max  int
	Per  time.Duration
	seen []time.Time
}

// Allow records an event at now and reports whether it is within the limit.
func (r *RateLimit) Allow(now time.Time) bool {
	keep := r.seen[:0]
	for _, t := range r.seen {
		if now.Sub(t) < r.Per {
			keep = append(keep, t)
		}
	}
	r.seen = keep
	if len(r.seen) >= r.Max {
		return false
	}
	r.seen = append(r.seen, now)
	return true
}
