package supervisor

import (
	"time"

	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/ui"
)

// The manager's methods for the rest of the supervisor: the reader, the sensor, the control
// socket, a library's card check. Each runs in the manager's loop and is safe from any
// goroutine; session.Core says what each means.

// Card reports a card the reader accepted, without its identity (see CardID).
func (g *Manager) Card() { g.CardID("") }

// CardID reports a card the reader accepted, with its identity (session.Core.Card).
func (g *Manager) CardID(id string) { g.do(func(now time.Time) { g.core.Card(now, id) }) }

// CardRemoved reports that the card with identity id was lifted off the reader; true when that
// ended the session under way.
func (g *Manager) CardRemoved(id string) (ended bool) {
	g.do(func(time.Time) { ended = g.core.CardRemoved(id) })
	return ended
}

// CardRefused reports a read the reader could not take as a card.
func (g *Manager) CardRefused() { g.do(g.core.CardRefused) }

// CardCheckDown says that a card could not be checked (the library's server is down).
func (g *Manager) CardCheckDown() { g.do(g.core.CardCheckDown) }

// TakesCards reports whether a card read now could start a session.
func (g *Manager) TakesCards() (ok bool) {
	g.do(func(now time.Time) { ok = g.core.TakesCards(now) })
	return ok
}

// AskPIN shows the PIN pad for the card just read; false when it can't show.
func (g *Manager) AskPIN(triesLeft int) (shown bool) {
	g.do(func(now time.Time) { shown = g.core.AskPIN(now, triesLeft) })
	return shown
}

// ReaderPaused says that the card reader is ignored for a while (on), or no longer (off).
func (g *Manager) ReaderPaused(on bool) {
	g.do(func(now time.Time) { g.core.ReaderPaused(now, on) })
}

// ReaderStatus reports whether the card reader is connected; the welcome screen says so.
func (g *Manager) ReaderStatus(device string, connected bool) {
	g.do(func(now time.Time) { g.core.ReaderStatus(now, device, connected) })
}

// EndSession ends the session under way for reason; it reports false when there was none.
func (g *Manager) EndSession(reason session.Reason) (ended bool) {
	g.do(func(time.Time) { ended = g.core.EndSession(reason) })
	return ended
}

// PresenceAlert reports what the presence sensor sees: on when someone else may be able to see
// the screen.
func (g *Manager) PresenceAlert(on bool) { g.do(func(time.Time) { g.core.PresenceAlert(on) }) }

// Technician shows the technician screen, with info about the unit, between sessions only.
func (g *Manager) Technician(info ui.TechnicianInfo) {
	g.do(func(time.Time) { g.core.Technician(info) })
}

// Reload takes new settings; they apply once no session is under way (session.Core.Reload).
func (g *Manager) Reload(s session.Settings) { g.do(func(time.Time) { g.core.Reload(s) }) }

// Status returns a snapshot of the kiosk's state.
func (g *Manager) Status() session.Status {
	var s session.Status
	g.do(func(now time.Time) { s = g.snapshot(now) })
	return s
}

// snapshot is Status, in the manager's loop.
func (g *Manager) snapshot(now time.Time) session.Status {
	s := g.core.Status(now)
	if cur, _, _ := g.core.Shells(); g.shells[cur] != nil {
		s.ShellPID = g.shells[cur].PID()
	}
	if g.contain != nil {
		s.Containment = g.contain.Mechanism()
	}
	return s
}
