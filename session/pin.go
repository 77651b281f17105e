package session

import (
	"strings"

	"github.com/carekiosk/carekiosk/ui"
)

// The PIN pad of a library kiosk (auth mode sip2 with require_pin): after a card, the welcome
// screen gives way to a pad whose digits the patient touches. They come as button actions
// (ui.ActionDigit + a digit) into the manager's loop, are kept here masked, handed to the
// PINTaker on OK, and zeroed. Nothing logs them.

// PINTaker receives what the patient does on the PIN pad. Its methods are called from the
// manager's loop and must not block.
type PINTaker interface {
	// PINEntered hands over the PIN typed; the taker owns pin and zeroes it once checked, then
	// calls CardID, CardRefused, CardCheckDown or AskPIN.
	PINEntered(pin []byte)
	// PINCancelled: the pad was closed without a PIN (Cancel, its timeout, or another screen
	// came over it).
	PINCancelled()
}

// maxPIN is the most digits the pad takes: SIP2 sets no length, and library PINs are 4 to 8.
const maxPIN = 12

// pinPad is the PIN pad on the screen.
type pinPad struct {
	digits    []byte // never longer than maxPIN: the array is never reallocated
	triesLeft int    // shown after a wrong PIN (0: the first try)
	checking  bool   // OK was touched: the PIN is being checked, keys are ignored
}

// AskPIN shows the PIN pad for the card just read; after a wrong PIN, triesLeft (> 0) says how
// many tries remain. It shows only on the welcome screen (or over the pad itself) and returns
// false otherwise: the caller then forgets the card. The pad goes back to the welcome screen
// after the privacy timeout without an answer.
func (g *Manager) AskPIN(triesLeft int) (shown bool) {
	g.do(func() {
		if g.m.State() != Welcome || g.cur == nil {
			return
		}
		g.closePIN(false)
		g.pin = &pinPad{digits: make([]byte, 0, maxPIN), triesLeft: triesLeft}
		g.showPIN()
		shown = true
	})
	return shown
}

// CardCheckDown says that a card could not be checked (the library's server is down or
// answered nonsense): the patient is asked to find a member of staff.
func (g *Manager) CardCheckDown() { g.cardNotTaken(ui.CheckDown{}) }

// showPIN draws the pad, and (re)starts its timeout.
func (g *Manager) showPIN() {
	p := g.pin
	g.render(g.ui().Screen(ui.PINPad{Digits: len(p.digits), Checking: p.checking, TriesLeft: p.triesLeft}, ""))
	g.endedUntil = g.o.Now().Add(g.o.Timeouts.Privacy)
}

// onPINKey acts on a key of the pad: a digit, delete, OK or cancel.
func (g *Manager) onPINKey(name string) {
	p := g.pin
	switch {
	case name == ui.ActionPINCancel:
		g.showWelcome() // closes the pad
		return
	case p.checking:
		return
	case strings.HasPrefix(name, ui.ActionDigit):
		d := strings.TrimPrefix(name, ui.ActionDigit)
		if len(d) != 1 || d[0] < '0' || d[0] > '9' || len(p.digits) == maxPIN {
			return
		}
		p.digits = append(p.digits, d[0])
	case name == ui.ActionPINDelete:
		if n := len(p.digits); n > 0 {
			p.digits[n-1] = 0
			p.digits = p.digits[:n-1]
		}
	case name == ui.ActionPINOK:
		if len(p.digits) == 0 || g.o.PIN == nil {
			return
		}
		pin := append(make([]byte, 0, len(p.digits)), p.digits...)
		clear(p.digits[:cap(p.digits)])
		p.digits, p.checking = p.digits[:0], true
		g.o.PIN.PINEntered(pin)
	}
	g.showPIN()
}

// closePIN takes the pad down, zeroing its digits; with notify, the PINTaker hears of it.
func (g *Manager) closePIN(notify bool) {
	if g.pin == nil {
		return
	}
	clear(g.pin.digits[:cap(g.pin.digits)])
	g.pin = nil
	if notify && g.o.PIN != nil {
		g.o.PIN.PINCancelled()
	}
}
