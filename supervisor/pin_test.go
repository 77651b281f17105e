package supervisor

import (
	"bytes"
	"github.com/carekiosk/carekiosk/session"
	"log/slog"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/syncbuf"
	"github.com/carekiosk/carekiosk/wire"
)

// pinTaker records what the PIN pad hands over.
type pinTaker struct {
	pins      chan string
	cancelled chan struct{}
}

// take receives what the pad sends, as the card desk does.
func (p *pinTaker) take(pad <-chan PINPad) {
	for e := range pad {
		if e.Cancelled {
			p.cancelled <- struct{}{}
		} else {
			p.pins <- string(e.PIN)
			clear(e.PIN)
		}
	}
}

// press touches a button of the screen on show, as the shell reports it.
func (h *harness) press(names ...string) {
	for _, n := range names {
		h.g.do(func(now time.Time) {
			cur, _, _ := h.g.core.Shells()
			h.g.core.ShellEvent(now, cur, wire.Event{Ev: wire.EvButton, Name: n})
		})
	}
}

// TestManagerPINPad: the pad takes digits, deletes, hands the PIN over on OK and zeroes its
// own copy; Cancel, a card's session and the pad's timeout close it; digits are never logged;
// it shows only on the welcome screen.
func TestManagerPINPad(t *testing.T) {
	taker := &pinTaker{pins: make(chan string, 4), cancelled: make(chan struct{}, 4)}
	logs := &syncbuf.Buffer{}
	h := newHarnessWith(t, "ok", nil, func(o *Options) {
		pad := make(chan PINPad)
		go taker.take(pad)
		o.PINPad = pad
		o.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		o.Timeouts.Privacy = 2 * time.Second
	})
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "welcome" })
	if !h.g.AskPIN(0) {
		t.Fatal("AskPIN on the welcome screen: not shown")
	}
	h.waitFor("the pad", func(s session.Status) bool { return s.Screen == "pin" })
	h.press("digit-7", "digit-3", "digit-9", "pin-delete", "digit-1", "digit-x", "digit-12", "pin-ok", "digit-5")
	select {
	case got := <-taker.pins:
		if got != "731" {
			t.Errorf("PIN %q, want 731", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no PIN handed over")
	}
	// That the pad's own copy is zeroed, and keys after OK ignored: session.TestPINPadZeroesItsDigits.

	h.g.AskPIN(2) // a wrong PIN: again
	h.press("digit-4", "pin-cancel")
	select {
	case <-taker.cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("Cancel did not reach the taker")
	}
	h.waitFor("welcome again", func(s session.Status) bool { return s.Screen == "welcome" })

	h.g.AskPIN(0) // nobody answers: back to welcome after the privacy timeout
	select {
	case <-taker.cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the pad did not time out")
	}

	h.g.AskPIN(0)
	h.press("digit-2")
	h.g.CardID("aa")
	h.waitFor("a session", func(s session.Status) bool { return s.State == session.Active })
	if h.g.AskPIN(0) {
		t.Error("AskPIN during a session: shown")
	}
	select {
	case <-taker.cancelled:
		t.Error("a session's start reported the pad cancelled")
	default:
	}
	if bytes.Contains(logs.Bytes(), []byte("digit-")) {
		t.Errorf("the log mentions the pad's digits:\n%s", logs.Bytes())
	}
}
