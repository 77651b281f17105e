package session

// CardID reports a card the reader accepted, with its identity: the HMAC the hardware package
// makes of the card's number (never the number). The session it starts keeps id, so that
// CardRemoved can tell its card from another; id is never shown, logged, audited or put in
// Status. An empty id is a card without identity, as Card.
func (g *Manager) CardID(id string) { g.do(func() { g.card(id) }) }

// CardRemoved reports that the card with identity id was lifted off the reader (readers that
// see a card lying on them, with [reader] lift_to_end). If it is the card that started the
// session under way — from the privacy check on: a patient who lifts the card before
// accepting it has gone too — the session ends as card-removed and CardRemoved returns true.
// A removal of any other card, with no session, an empty id, or a session already ending is
// ignored (false).
func (g *Manager) CardRemoved(id string) (ended bool) {
	g.do(func() {
		if id == "" || g.sess == nil || g.sess.card != id || !g.m.InSession() {
			return
		}
		g.o.Log.Info("the session's card was lifted off the reader", "session", g.sess.id)
		g.m.End(CardRemoved)
		ended = true
	})
	return ended
}

// ReaderPaused says (on) that the card reader is ignored for a while, after too many refused
// cards in a row; the welcome screen asks the patient to find a member of staff until it is
// called with off. It changes nothing else: the caller ignores the reader.
func (g *Manager) ReaderPaused(on bool) {
	g.do(func() {
		if g.readerPaused == on {
			return
		}
		g.readerPaused = on
		if g.m.State() == Welcome && g.endedUntil.IsZero() {
			g.showWelcome()
		}
	})
}

// TakesCards reports whether a card read now could start a session: the welcome screen (or the
// PIN pad) is up and the kiosk is open. A library kiosk asks before it sends a card's number to
// its server, so that a card read during a session goes nowhere.
func (g *Manager) TakesCards() (ok bool) {
	g.do(func() { ok = g.m.State() == Welcome && g.cur != nil && g.open(g.o.Now()) })
	return ok
}
