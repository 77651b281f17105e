package session

import (
	"strings"
	"time"
)

// The manager's side of opening hours (Options.Hours): outside them the welcome screen says
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
func (g *Manager) open(now time.Time) bool {
	return g.o.Hours == nil || g.o.Hours.Open(now)
}

// closesAt is when a session starting at now must end for closing time (zero: no need).
func (g *Manager) closesAt(now time.Time) time.Time {
	if g.o.Hours == nil {
		return time.Time{}
	}
	return g.o.Hours.Closes(now)
}

// hoursDue is when the welcome screen on show must be drawn again for the opening hours; zero
// when no welcome screen is on show.
func (g *Manager) hoursDue() time.Time {
	if g.m.State() != Welcome || !g.endedUntil.IsZero() {
		return time.Time{}
	}
	return g.hoursAt
}

// hoursView adds to the welcome screen's data whether the kiosk is closed and when it opens,
// and sets hoursAt to when that text must be drawn again: at the next opening or closing, or
// at midnight, when "tomorrow" becomes "today".
func (g *Manager) hoursView(data map[string]any) {
	now := g.o.Now()
	g.hoursAt = time.Time{}
	data["Closed"], data["OpensKey"], data["OpensAt"] = false, "", ""
	if g.o.Hours == nil {
		return
	}
	open := g.o.Hours.Open(now)
	data["Closed"] = !open
	if open {
		g.hoursAt = g.o.Hours.Closes(now)
		return
	}
	opens := g.o.Hours.Opens(now)
	local := now.Local()
	y, m, d := local.Date()
	midnight := time.Date(y, m, d+1, 0, 0, 0, 0, local.Location())
	g.hoursAt = midnight
	if opens.IsZero() {
		return
	}
	if opens.Before(midnight) {
		g.hoursAt = opens
	}
	opens = opens.In(local.Location())
	data["OpensAt"] = opens.Format("15:04")
	days := int(time.Date(opens.Year(), opens.Month(), opens.Day(), 12, 0, 0, 0, time.UTC).Sub(time.Date(y, m, d, 12, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days == 0:
		data["OpensKey"] = "welcome.opens_today"
	case days == 1:
		data["OpensKey"] = "welcome.opens_tomorrow"
	case days < 7:
		data["OpensKey"] = "welcome.opens_" + strings.ToLower(opens.Weekday().String())
	}
}
