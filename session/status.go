package session

import (
	"math"
	"time"
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

// Status is the kiosk's status at now. ShellPID and Containment are the supervisor's to fill in.
func (c *Core) Status(now time.Time) Status {
	s := c.stats
	s.State = c.m.State()
	if c.sess != nil && c.m.InSession() {
		s.SessionID = c.sess.id
		s.URL = c.sess.url
	}
	s.Closed = !c.open(now)
	if ends := c.m.Ends(); !ends.IsZero() {
		s.SecondsLeft = int(math.Ceil(ends.Sub(now).Seconds()))
	}
	s.Standby = c.next != nil && c.next.painted
	return s
}
