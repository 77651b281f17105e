package session

import (
	"time"

	"github.com/carekiosk/carekiosk/ui"
)

// What the card reader, the sensor and the control socket tell the Core.

// Card: the reader accepted a card with identity id: the HMAC the hardware package makes of
// the card's number (never the number). The session it starts keeps id, so that CardRemoved
// can tell its card from another; id is never shown, logged, audited or put in Status. An
// empty id is a card without identity.
func (c *Core) Card(now time.Time, id string) {
	c.swapStale(now, c.next) // a browser with the reloaded settings is ready: use it
	if c.m.State() == Welcome && !c.open(now) {
		c.logInfo("card ignored: the kiosk is closed")
		c.emit(Count{Metric: CardRead, Label: "closed"})
		return
	}
	if c.m.State() == Ending && c.sess != nil && c.cur != nil && c.cur != c.sess.sh {
		c.heldCard = &id // the next patient is already at the clean screen: serve them once verified
		c.logInfo("card held until the last session's wipe is verified")
		return
	}
	if c.cur == nil || !c.m.Card(now) {
		c.logInfo("card ignored: not on the welcome screen", "state", c.m.State())
		c.emit(Count{Metric: CardRead, Label: "ignored"})
		return
	}
	c.emit(Count{Metric: CardRead, Label: "accepted"})
	c.closePIN(false)
	c.m.SetClosing(c.closesAt(now))
	c.endedUntil, c.langUntil = time.Time{}, time.Time{} // the language chosen lasts the session
	c.sess = &sessInfo{id: c.cur.name, sh: c.cur, started: now, card: id}
	c.sessionView = ""
	c.prompt, c.passwordAt, c.authAsked = "", time.Time{}, false
	c.stats.SessionsTotal++
	c.show(ui.Privacy{}, ui.ActionReady)
}

// CardRemoved: the card with identity id was lifted off the reader (readers that see a card
// lying on them, with [reader] lift_to_end). If it is the card that started the session under
// way — from the privacy check on: a patient who lifts the card before accepting it has gone
// too — the session ends as card-removed and CardRemoved returns true. A removal of any other
// card, with no session, an empty id, or a session already ending is ignored (false).
func (c *Core) CardRemoved(id string) (ended bool) {
	if id == "" || c.sess == nil || c.sess.card != id || !c.m.InSession() {
		return false
	}
	c.logInfo("the session's card was lifted off the reader", "session", c.sess.id)
	c.m.End(CardRemoved)
	return true
}

// CardRefused: a read the reader could not take as a card. On the welcome screen, the patient
// is told so, without saying why.
func (c *Core) CardRefused(now time.Time) { c.passing(now, ui.Refused{}) }

// CardCheckDown: a card could not be checked (the library's server is down or answered
// nonsense): the patient is asked to find a member of staff.
func (c *Core) CardCheckDown(now time.Time) { c.passing(now, ui.CheckDown{}) }

// TakesCards reports whether a card read now could start a session: the welcome screen (or the
// PIN pad) is up and the kiosk is open. A library kiosk asks before it sends a card's number to
// its server, so that a card read during a session goes nowhere.
func (c *Core) TakesCards(now time.Time) bool {
	return c.m.State() == Welcome && c.cur != nil && c.open(now)
}

// ReaderPaused says (on) that the card reader is ignored for a while, after too many refused
// cards in a row; the welcome screen asks the patient to find a member of staff until it is
// called with off. It changes nothing else: the caller ignores the reader.
func (c *Core) ReaderPaused(now time.Time, on bool) {
	if c.readerPaused == on {
		return
	}
	c.readerPaused = on
	c.redrawWelcome(now)
}

// ReaderStatus: the card reader is connected or not; the welcome screen says so.
func (c *Core) ReaderStatus(now time.Time, device string, connected bool) {
	c.stats.Reader = ReaderState{Device: device, Connected: connected}
	if c.readerOK != connected {
		c.readerOK = connected
		c.redrawWelcome(now)
	}
}

// redrawWelcome draws the welcome screen again if it is the one showing.
func (c *Core) redrawWelcome(now time.Time) {
	if c.m.State() == Welcome && c.endedUntil.IsZero() {
		c.showWelcome(now)
	}
}

// EndSession ends the session under way for reason; it reports false when there was none.
func (c *Core) EndSession(reason Reason) (ended bool) {
	ended = c.m.InSession()
	c.m.End(reason)
	return ended
}

// PresenceAlert: what the presence sensor sees; on when someone else may be able to see the
// screen. During a session, on blurs the page under "someone may be able to see your screen"
// until the patient answers it or the sensor clears; outside a session it does nothing.
func (c *Core) PresenceAlert(on bool) {
	was := c.presence
	c.presence = on
	switch {
	case on && !was && c.m.InSession():
		c.prompt = ui.PromptPresence
	case !on && c.prompt == ui.PromptPresence:
		c.prompt = ""
	}
}

// Technician shows the technician screen: the kiosk's status, nothing about any patient, and
// info about the unit. It shows only between sessions; its Close button takes it down.
func (c *Core) Technician(info ui.TechnicianInfo) {
	if st := c.m.State(); st != Welcome && st != OutOfService {
		return
	}
	s := c.stats
	c.closePIN(true)
	c.endedUntil = time.Time{}
	c.show(ui.Technician{State: string(c.m.State()), ReaderDevice: s.Reader.Device, ReaderOK: c.readerOK,
		Sessions: s.SessionsTotal, LastEnd: string(s.LastEndReason), WipeVerified: s.LastWipeVerified,
		Problem: s.Problem, TechnicianInfo: info}, ui.ActionTechClose)
}
