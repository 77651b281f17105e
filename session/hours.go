package session

import (
	"time"

	"github.com/carekiosk/carekiosk/ui"
)

// The Core's side of opening hours (Settings.Hours): outside them the welcome screen says
// when the kiosk opens and a card starts nothing; a session under way at closing time gets the
// time-limit warning and ends as closing-time (the machine's SetClosing).

// Schedule is when the kiosk is open; *hours.Schedule implements it, and a nil one is always
// open. Times are answered in the kiosk's own zone.
type Schedule interface {
	Open(t time.Time) bool
	Closes(t time.Time) time.Time // end of the opening t is in; zero if closed or not closing
	Opens(t time.Time) time.Time  // next opening after t; zero if open or not opening soon
}

// open reports whether a session may start at now.
func (c *Core) open(now time.Time) bool {
	return c.cfg.Hours == nil || c.cfg.Hours.Open(now)
}

// closesAt is when a session starting at now must end for closing time (zero: no need).
func (c *Core) closesAt(now time.Time) time.Time {
	if c.cfg.Hours == nil {
		return time.Time{}
	}
	return c.cfg.Hours.Closes(now)
}

// hoursDue is when the welcome screen on show must be drawn again for the opening hours; zero
// when no welcome screen is on show.
func (c *Core) hoursDue() time.Time {
	if c.m.State() != Welcome || !c.endedUntil.IsZero() {
		return time.Time{}
	}
	return c.hoursAt
}

// hoursView sets on the welcome screen whether the kiosk is closed and when it opens, and sets
// hoursAt to when that text must be drawn again: at the next opening or closing, or at
// midnight, when "tomorrow" becomes "today".
func (c *Core) hoursView(now time.Time, v *ui.Welcome) {
	c.hoursAt = time.Time{}
	if c.cfg.Hours == nil {
		return
	}
	open := c.cfg.Hours.Open(now)
	v.Closed = !open
	if open {
		c.hoursAt = c.cfg.Hours.Closes(now)
		return
	}
	opens := c.cfg.Hours.Opens(now)
	local := now.Local()
	y, m, d := local.Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, local.Location())
	c.hoursAt = midnight
	if opens.IsZero() {
		return
	}
	if opens.Before(midnight) {
		c.hoursAt = opens
	}
	v.Opens = ui.OpensAt(local, opens)
}
