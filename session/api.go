package session

import (
	"time"

	"github.com/carekiosk/carekiosk/ui"
)

// The manager's methods for the rest of the supervisor: the reader, the sensor, the control
// socket. Each runs in the manager's loop (do) and is safe from any goroutine.

// Card reports a card the reader accepted, without its identity (see CardID).
func (g *Manager) Card() { g.do(func() { g.card("") }) }

// ReaderStatus reports whether the card reader is connected; the welcome screen says so.
func (g *Manager) ReaderStatus(device string, connected bool) {
	g.do(func() {
		g.stats.Reader = ReaderState{Device: device, Connected: connected}
		if g.readerOK != connected {
			g.readerOK = connected
			if g.m.State() == Welcome && g.endedUntil.IsZero() {
				g.showWelcome()
			}
		}
	})
}

// EndSession ends the session under way for reason; it reports false when there was none.
func (g *Manager) EndSession(reason Reason) (ended bool) {
	g.do(func() {
		ended = g.m.InSession()
		g.m.End(reason)
	})
	return ended
}

// PresenceAlert reports what the presence sensor sees: on when someone else may be able to see
// the screen. During a session, on blurs the page under "someone may be able to see your screen"
// until the patient answers it or the sensor clears; outside a session it does nothing.
func (g *Manager) PresenceAlert(on bool) {
	g.do(func() {
		was := g.presence
		g.presence = on
		switch {
		case on && !was && g.m.InSession():
			g.prompt = ui.PromptPresence
		case !on && g.prompt == ui.PromptPresence:
			g.prompt = ""
		}
	})
}

// CardRefused reports a read the reader could not take as a card: on the welcome screen, the
// patient is told so, without saying why.
func (g *Manager) CardRefused() { g.cardNotTaken(ui.Refused{}) }

// cardNotTaken shows v, which says why a card starts no session, over the welcome screen for
// EndedFor (then the welcome screen is back).
func (g *Manager) cardNotTaken(v ui.View) {
	g.do(func() {
		if g.m.State() == Welcome && g.cur != nil {
			g.closePIN(true)
			g.render(g.ui().Screen(v, ui.ActionOK))
			g.endedUntil = g.o.Now().Add(g.o.EndedFor)
		}
	})
}

// Technician shows (on) or takes down the technician screen: the kiosk's status, nothing about
// any patient. It shows only between sessions.
func (g *Manager) Technician(on bool) {
	g.do(func() {
		if st := g.m.State(); st != Welcome && st != OutOfService {
			return
		}
		if !on {
			g.showWelcome()
			return
		}
		s := g.stats
		g.closePIN(true)
		g.endedUntil = time.Time{}
		v := ui.Technician{State: string(g.m.State()), ReaderDevice: s.Reader.Device, ReaderOK: g.readerOK,
			Sessions: s.SessionsTotal, LastEnd: string(s.LastEndReason), WipeVerified: s.LastWipeVerified, Problem: s.Problem}
		if g.o.TechnicianInfo != nil {
			v.TechnicianInfo = g.o.TechnicianInfo()
		}
		g.render(g.ui().Screen(v, ui.ActionTechClose))
	})
}
