package main

import (
	"context"
	"errors"
	"github.com/carekiosk/carekiosk/supervisor"
	"time"

	"github.com/carekiosk/carekiosk/access"
	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/hardware"
	"github.com/carekiosk/carekiosk/sip2"
)

// A library kiosk (auth mode sip2): each card the gate lets through is checked by the
// library's SIP2 server, after the PIN pad with require_pin, in a goroutine of its own so that
// the reader is never held up. One card at a time: a card read while another is checked is
// ignored; one read while the PIN pad waits replaces the card that waits.

// pinTries is how many PINs a card may be tried with before it is blocked for the cooldown.
const pinTries = 3

// library is the SIP2 check of a library kiosk.
type library struct {
	client     *sip2.Client
	requirePIN bool
	bound      time.Duration // one whole check: connecting, logging in, asking, one reconnect
}

// newLibrary returns the check of an [auth] table in mode sip2, or nil for another mode.
func newLibrary(a config.Auth) (*library, error) {
	if a.Mode != config.AuthSIP2 {
		return nil, nil
	}
	o, err := sip2.Configure(a.SIP2)
	if err != nil {
		return nil, err
	}
	return &library{client: sip2.New(o), requirePIN: a.SIP2.RequirePIN, bound: 3 * a.SIP2.Timeout.D()}, nil
}

// pendingCard is a library card being checked, or waiting for its PIN.
type pendingCard struct {
	id     string
	number hardware.CardNumber
	tries  int // wrong PINs so far
}

// errNoNumber: the reader gave no number to check (it was started without KeepNumber).
var errNoNumber = errors.New("the reader gave no card number to check")

// library starts the check of a card the gate let through, or asks for its PIN first. It takes
// number (and wipes it when done) if it returns true.
func (d *cardDesk) library(id string, number hardware.CardNumber) (taken bool) {
	if number.Empty() {
		d.checkFailed(errNoNumber)
		return false
	}
	if !d.mgr.TakesCards() {
		d.log.Info("reader: card ignored: the kiosk takes no card now (a session, or closed)")
		return false
	}
	d.mu.Lock()
	if d.checking {
		d.mu.Unlock()
		d.log.Info("reader: card ignored: another library card is being checked")
		return false
	}
	d.dropPending()
	c := &pendingCard{id: id, number: number}
	d.pending = c
	askPIN := d.lib.requirePIN
	d.checking = !askPIN
	d.mu.Unlock()
	if !askPIN {
		go d.check(c, nil)
	} else if !d.mgr.AskPIN(0) {
		d.mu.Lock()
		if d.pending == c {
			d.dropPending()
		}
		d.mu.Unlock()
	}
	return true
}

// takePINs hands what the patient does on the PIN pad (the manager's Options.PINPad) to
// PINEntered and PINCancelled, until pad is closed.
func (d *cardDesk) takePINs(pad <-chan supervisor.PINPad) {
	for p := range pad {
		if p.Cancelled {
			d.PINCancelled()
		} else {
			d.PINEntered(p.PIN)
		}
	}
}

// PINEntered takes the PIN pad's PIN: the card waiting for it is checked with it, in a
// goroutine of its own. It owns pin, and zeroes it.
func (d *cardDesk) PINEntered(pin []byte) {
	go func() {
		d.mu.Lock()
		c := d.pending
		if c == nil || d.checking {
			d.mu.Unlock()
			clear(pin)
			d.mgr.CardRefused() // the card is gone (replaced, or the pad timed out): start again
			return
		}
		d.checking = true
		d.mu.Unlock()
		d.check(c, pin)
	}()
}

// PINCancelled forgets the card waiting for its PIN.
func (d *cardDesk) PINCancelled() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.checking {
		d.dropPending()
	}
}

// dropPending wipes and forgets the pending card; d.mu is held.
func (d *cardDesk) dropPending() {
	if d.pending != nil {
		d.pending.number.Wipe()
		d.pending = nil
	}
}

// check asks the library's server about c (with pin, if not nil, which it zeroes) and acts on
// the answer: a session, the PIN pad again, a refusal, or — the server down or confused — the
// "can't check cards" screen, failing closed.
func (d *cardDesk) check(c *pendingCard, pin []byte) {
	defer clear(pin)
	d.mu.Lock()
	lib := d.lib
	d.mu.Unlock()
	var p sip2.Patron
	err := errors.New("auth mode is no longer sip2")
	if lib != nil {
		ctx, cancel := context.WithTimeout(context.Background(), lib.bound)
		c.number.Lend(func(n []byte) { p, err = lib.client.Check(ctx, n, pin) })
		cancel()
	}
	now := d.now()
	v := p.Verdict()
	triesLeft := 0
	d.mu.Lock()
	d.checking = false
	if err == nil && v == sip2.WrongPIN {
		c.tries++
		if d.pending == c && c.tries < pinTries {
			triesLeft = pinTries - c.tries
		}
	}
	if triesLeft == 0 && d.pending == c {
		d.dropPending()
	}
	d.mu.Unlock()

	switch {
	case err != nil:
		d.checkFailed(err)
	case v == sip2.Allowed:
		d.met.SIP2Check("allowed")
		d.log.Info("reader: library card allowed by the SIP2 server")
		d.mgr.CardID(c.id)
	case v == sip2.WrongPIN && triesLeft > 0:
		d.met.SIP2Check("wrong-pin")
		d.log.Info("reader: wrong PIN for a library card", "tries_left", triesLeft)
		if !d.mgr.AskPIN(triesLeft) {
			d.mu.Lock()
			if d.pending == c {
				d.dropPending()
			}
			d.mu.Unlock()
		}
	case v == sip2.WrongPIN:
		d.met.SIP2Check("wrong-pin")
		until := d.gate.Block(c.id, now)
		d.log.Info("reader: library card refused: wrong PIN too many times", "blocked_until", until.Format(time.TimeOnly))
		d.refused(now, d.gate.Refuse(now), access.WrongPIN)
	default:
		d.met.SIP2Check("refused")
		d.log.Info("reader: library card refused by the SIP2 server")
		d.refused(now, d.gate.Refuse(now), access.SIP2Refused)
	}
}

// checkFailed fails closed: the card starts nothing, the patient is asked to find a member of
// staff, and the technician gets the metric and a log line (the error names no card).
func (d *cardDesk) checkFailed(err error) {
	d.met.SIP2Check("error")
	d.log.Error("reader: a library card could not be checked, so it was refused", "err", err)
	d.mgr.CardCheckDown()
}
