package session

import (
	"reflect"
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// Settings are what a config reload changes in a running kiosk. None of them touches a
// session under way: they apply from the next session.
type Settings struct {
	Timeouts   Timeouts
	StartURL   string        // the record provider's sign-in page
	LogoutURL  string        // visited before the wipe when a session reached the site ("" = none)
	LogoutWait time.Duration // bound on waiting for LogoutURL to load
	Init       wire.Init     // what each new browser is told: allowed hosts, trusted certificates
	Hours      Schedule      // opening hours; nil: always open
}

// Reload takes new settings. They wait while a session is under way (from the card to the end
// of its wipe), then apply at once: timeouts, start_url, logout_url and logout_wait to the next
// session; opening hours to the welcome screen and the next card (a session under way keeps
// the closing time it started with). When Init changed, the browsers already started (the one
// showing the welcome screen and the one warming up) were told the old allowed hosts and
// certificates, so they are replaced: a fresh one is started hidden and takes over the welcome
// screen as soon as it is ready (the old one is wiped); a card that comes before that starts
// its session in the old browser, under the old hosts.
func (c *Core) Reload(s Settings) { c.pending = &s }

// applyPending applies settings that Reload left, once no session is under way.
func (c *Core) applyPending(now time.Time) {
	if c.pending == nil || c.sess != nil {
		return
	}
	p := c.pending
	c.pending = nil
	initChanged := !reflect.DeepEqual(p.Init, c.cfg.Init)
	c.cfg.Settings = *p
	c.m.SetTimeouts(p.Timeouts)
	c.logInfo("new settings in force", "browsers_replaced", initChanged)
	if initChanged {
		c.gen++
		c.refreshShells()
	}
	if c.m.State() == Welcome && c.endedUntil.IsZero() && c.cur != nil && c.cur.gen == c.gen {
		c.showWelcome(now) // the opening hours may have changed
	}
}

// refreshShells replaces the browsers started before the settings changed (see Reload).
func (c *Core) refreshShells() {
	if c.m.State() == OutOfService {
		return
	}
	if c.next != nil && c.next.gen != c.gen {
		c.emit(Wipe{Shell: c.next.id})
		c.next = nil
	}
	if c.cur != nil && c.cur.gen != c.gen && !c.cur.ready {
		c.emit(Wipe{Shell: c.cur.id})
		c.cur = nil
	}
	if c.next == nil && (c.cur == nil || c.cur.gen != c.gen) {
		c.startShell(c.cur != nil)
	}
}

// swapStale puts sh, a fresh hidden browser that is ready, on screen in place of a browser that
// was started before the settings changed, and wipes that one. It does nothing during a session
// or when the browser on screen is current.
func (c *Core) swapStale(now time.Time, sh *shell) {
	if sh == nil || sh != c.next || !sh.ready || c.cur == nil || c.cur.gen == c.gen || sh.gen != c.gen ||
		c.sess != nil || c.m.State() != Welcome {
		return
	}
	old := c.cur
	c.cur, c.next = sh, nil
	c.stats.Screen = ""
	c.send(sh, wire.Command{Cmd: wire.CmdShow})
	if c.endedUntil.IsZero() {
		c.showWelcome(now)
	} else {
		c.emit(Show{Shell: sh.id, View: ui.Ended{}, Focus: ui.ActionOK}) // in the configured language
	}
	c.emit(Wipe{Shell: old.id})
}
