package supervisor

import (
	"bytes"
	"github.com/carekiosk/carekiosk/session"
	"testing"
)

// TestManagerCardRemoved: lifting the session's own card ends it as card-removed; lifting
// another card, or any card with no session, does nothing; the identity is never audited.
func TestManagerCardRemoved(t *testing.T) {
	const mine, other = "aa11", "bb22"
	h := newHarness(t, "ok")
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome })
	if h.g.CardRemoved(mine) {
		t.Error("a removal with no session ended one")
	}
	h.g.CardID(mine)
	h.waitFor("active", func(s session.Status) bool { return s.State == session.Active })
	if h.g.CardRemoved(other) || h.g.CardRemoved("") {
		t.Error("the removal of another card ended the session")
	}
	if s := h.g.Status(); s.State != session.Active {
		t.Fatalf("after another card's removal: %+v, want active", s)
	}
	if !h.g.CardRemoved(mine) {
		t.Error("the removal of the session's card did not end it")
	}
	s := h.waitFor("the end", func(s session.Status) bool { return s.State == session.Welcome && s.LastEndReason != "" })
	if s.LastEndReason != session.CardRemoved || !s.LastWipeVerified {
		t.Errorf("after the removal: %+v, want card-removed, verified", s)
	}
	if a := h.audit.Bytes(); !bytes.Contains(a, []byte(`"reason":"card-removed"`)) || bytes.Contains(a, []byte(mine)) {
		t.Errorf("audit %q: want card-removed and no identity", a)
	}
}

// TestManagerReaderPaused: the welcome screen is redrawn when the reader is paused and again
// when it resumes.
func TestManagerReaderPaused(t *testing.T) {
	h := newHarness(t, "ok")
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "welcome" })
	h.g.ReaderPaused(true)
	h.g.ReaderPaused(false)
	if s := h.g.Status(); s.State != session.Welcome {
		t.Errorf("after a pause: %+v", s)
	}
}
