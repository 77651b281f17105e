package session

import (
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/ui"
)

// The PIN pad of a library kiosk (auth mode sip2 with require_pin): after a card, the welcome
// screen gives way to a pad whose digits the patient touches. They come as button actions
// (ui.ActionDigit + a digit), are kept here masked, handed over in a PINEntered effect on OK,
// and zeroed. Nothing logs them.

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
func (c *Core) AskPIN(now time.Time, triesLeft int) (shown bool) {
	if c.m.State() != Welcome || c.cur == nil {
		return false
	}
	c.closePIN(false)
	c.pin = &pinPad{digits: make([]byte, 0, maxPIN), triesLeft: triesLeft}
	c.showPIN(now)
	return true
}

// showPIN draws the pad, and (re)starts its timeout.
func (c *Core) showPIN(now time.Time) {
	p := c.pin
	c.show(ui.PINPad{Digits: len(p.digits), Checking: p.checking, TriesLeft: p.triesLeft}, "")
	c.endedUntil = now.Add(c.cfg.Timeouts.Privacy)
}

// onPINKey acts on a key of the pad: a digit, delete, OK or cancel.
func (c *Core) onPINKey(now time.Time, name string) {
	p := c.pin
	switch {
	case name == ui.ActionPINCancel:
		c.showWelcome(now) // closes the pad
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
		if len(p.digits) == 0 || !c.cfg.PIN {
			return
		}
		pin := append(make([]byte, 0, len(p.digits)), p.digits...)
		clear(p.digits[:cap(p.digits)])
		p.digits, p.checking = p.digits[:0], true
		c.emit(PINEntered{pin})
	}
	c.showPIN(now)
}

// closePIN takes the pad down, zeroing its digits; with notify, the PINTaker hears of it.
func (c *Core) closePIN(notify bool) {
	if c.pin == nil {
		return
	}
	clear(c.pin.digits[:cap(c.pin.digits)])
	c.pin = nil
	if notify && c.cfg.PIN {
		c.emit(PINCancelled{})
	}
}
