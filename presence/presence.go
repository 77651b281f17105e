// Package presence decides, from what the presence sensor sees, whether someone besides the
// patient could be reading the screen: a second person inside the overlook zone for longer
// than a set time raises the alert; their leaving clears it.
package presence

import (
	"time"

	"github.com/carekiosk/carekiosk/hardware"
)

// Zone is a rectangle in the sensor's frame, in mm: XMin ≤ x ≤ XMax, YMin ≤ y ≤ YMax.
type Zone struct{ XMin, XMax, YMin, YMax int }

func (z Zone) contains(t hardware.Target) bool {
	return t.X >= z.XMin && t.X <= z.XMax && t.Y >= z.YMin && t.Y <= z.YMax
}

// ClearAfter is how long the overlook zone must stay empty (of anyone but the patient) before
// an alert clears: the radar loses a target for a report now and then, and a flickering alert
// would be worse than none.
const ClearAfter = time.Second

// Watcher turns sensor reports into the alert. The zero value never alerts; use NewWatcher.
// It is not safe for concurrent use: feed it from one goroutine.
type Watcher struct {
	user, overlook Zone
	after          time.Duration

	since time.Time // a second person has been in the overlook zone since then
	empty time.Time // the overlook zone has been clear since then (while alerting)
	on    bool
}

// NewWatcher returns a Watcher: the patient stands in user; a second person in overlook for
// after raises the alert.
func NewWatcher(user, overlook Zone, after time.Duration) *Watcher {
	return &Watcher{user: user, overlook: overlook, after: after}
}

// Update takes the report received at now and returns the alert (on) and whether it changed.
//
// The patient is the nearest target in the user zone, or, when the user zone is empty, the
// nearest target of all (a patient who stepped back is still the patient); any other target
// inside the overlook zone is a second person.
func (w *Watcher) Update(r hardware.Report, now time.Time) (on, changed bool) {
	ts := r.Present()
	patient := -1
	for pass := 0; pass < 2 && patient < 0; pass++ {
		for i, t := range ts {
			if (pass == 1 || w.user.contains(t)) && (patient < 0 || dist2(t) < dist2(ts[patient])) {
				patient = i
			}
		}
	}
	second := false
	for i, t := range ts {
		if i != patient && w.overlook.contains(t) {
			second = true
		}
	}
	switch {
	case second:
		w.empty = time.Time{}
		if w.since.IsZero() {
			w.since = now
		}
		if !w.on && now.Sub(w.since) >= w.after {
			w.on = true
			return true, true
		}
	default:
		w.since = time.Time{}
		if w.on && w.empty.IsZero() {
			w.empty = now
		}
		if w.on && now.Sub(w.empty) >= ClearAfter {
			w.on, w.empty = false, time.Time{}
			return false, true
		}
	}
	return w.on, false
}

// Lost says the sensor stopped seeing (unplugged, silent): the alert clears at once, and
// changed says whether it was on.
func (w *Watcher) Lost() (changed bool) {
	changed = w.on
	w.on, w.since, w.empty = false, time.Time{}, time.Time{}
	return changed
}

func dist2(t hardware.Target) int { return t.X*t.X + t.Y*t.Y }
