package session

import (
	"math"
)

// Status is what `carekiosk status` shows: the kiosk's state, never anything about the patient.
type Status struct {
	State            State       `json:"state"`
	SessionID        string      `json:"session_id"`   // "" when no session is under way
	URL              string      `json:"url"`          // the session's page, without query; "" outside a session
	SecondsLeft      int         `json:"seconds_left"` // until the session ends if nothing happens
	Reader           ReaderState `json:"reader"`
	SessionsTotal    int         `json:"sessions_total"`
	LastEndReason    Reason      `json:"last_end_reason"`
	LastWipeVerified bool        `json:"last_wipe_verified"`
	Screen           string      `json:"screen"`    // the kiosk screen last painted ("session" over the site)
	ScreenAt         int64       `json:"screen_at"` // when the shell reported it painted, Unix microseconds
	ShellPID         int         `json:"shell_pid"` // the browser shell on screen (0: none)
	Standby          bool        `json:"standby"`   // the next patient's browser is ready and painted off the screen
	ShellsStarted    int         `json:"shells_started"`
	ShellsCrashed    int         `json:"shells_crashed"`
	Refused          int         `json:"navigations_refused"`
	Problem          string      `json:"problem,omitempty"` // why the kiosk is out of service
	Closed           bool        `json:"closed,omitempty"`  // outside opening hours: no session starts
	// Containment is how the shells' processes are kept track of: shellproc.Cgroup, or
	// shellproc.Directory where the kiosk has no cgroup of its own (the log says why).
	Containment string `json:"containment"`
}

// ReaderState is the card reader as status shows it.
type ReaderState struct {
	Device    string `json:"device"`
	Connected bool   `json:"connected"`
}

// Status returns a snapshot of the kiosk's state.
func (g *Manager) Status() Status {
	var s Status
	g.do(func() { s = g.snapshot() })
	return s
}

// snapshot is Status, in the manager's loop.
func (g *Manager) snapshot() Status {
	s := g.stats
	s.State = g.m.State()
	if g.sess != nil && g.m.InSession() {
		s.SessionID = g.sess.id
		s.URL = g.sess.url
	}
	s.Closed = !g.open(g.o.Now())
	if ends := g.m.Ends(); !ends.IsZero() {
		s.SecondsLeft = int(math.Ceil(ends.Sub(g.o.Now()).Seconds()))
	}
	s.Standby = g.next != nil && g.next.painted
	if g.cur != nil {
		s.ShellPID = g.cur.PID()
	}
	if g.contain != nil {
		s.Containment = g.contain.Mechanism()
	}
	return s
}
