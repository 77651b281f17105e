package session

import (
	"reflect"
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// Settings are what a config reload changes in a running manager. None of them touches a
// session under way: they apply from the next session.
type Settings struct {
	Timeouts   Timeouts
	StartURL   string
	LogoutURL  string
	LogoutWait time.Duration
	Init       wire.Init // what each new browser is told: allowed hosts, trusted certificates
	Hours      Schedule  // nil: always open
}

// Reload takes new settings. They wait while a session is under way (from the card to the end
// of its wipe), then apply at once: timeouts, start_url, logout_url and logout_wait to the next
// session; opening hours to the welcome screen and the next card (a session under way keeps
// the closing time it started with). When Init changed, the browsers already started (the one
// showing the welcome screen and the one warming up) were told the old allowed hosts and
// certificates, so they are replaced: a fresh one is started hidden and takes over the welcome
// screen as soon as it is ready (the old one is wiped); a card that comes before that starts
// its session in the old browser, under the old hosts.
func (g *Manager) Reload(s Settings) {
	g.do(func() { g.pending = &s })
}

// applyPending applies settings that Reload left, once no session is under way.
func (g *Manager) applyPending() {
	if g.pending == nil || g.sess != nil {
		return
	}
	p := g.pending
	g.pending = nil
	initChanged := !reflect.DeepEqual(p.Init, g.o.Init)
	g.o.Timeouts, g.o.StartURL, g.o.LogoutURL, g.o.LogoutWait = p.Timeouts, p.StartURL, p.LogoutURL, p.LogoutWait
	g.o.Init, g.o.Hours = p.Init, p.Hours
	g.m.SetTimeouts(p.Timeouts)
	g.o.Log.Info("new settings in force", "browsers_replaced", initChanged)
	if initChanged {
		g.gen++
		g.refreshShells()
	}
	if g.m.State() == Welcome && g.endedUntil.IsZero() && g.cur != nil && g.cur.gen == g.gen {
		g.showWelcome() // the opening hours may have changed
	}
}

// refreshShells replaces the browsers started before the settings changed (see Reload).
func (g *Manager) refreshShells() {
	if g.m.State() == OutOfService {
		return
	}
	if g.next != nil && g.next.gen != g.gen {
		g.discard(g.next)
		g.next = nil
	}
	if g.cur != nil && g.cur.gen != g.gen && !g.cur.ready {
		g.discard(g.cur)
		g.cur = nil
	}
	if g.next == nil && (g.cur == nil || g.cur.gen != g.gen) {
		g.startShell(g.cur != nil)
	}
}

// swapStale puts sh, a fresh hidden browser that is ready, on screen in place of a browser that
// was started before the settings changed, and wipes that one. It does nothing during a session
// or when the browser on screen is current.
func (g *Manager) swapStale(sh *shell) {
	if sh == nil || sh != g.next || !sh.ready || g.cur == nil || g.cur.gen == g.gen || sh.gen != g.gen ||
		g.sess != nil || g.m.State() != Welcome {
		return
	}
	old := g.cur
	g.cur, g.next = sh, nil
	g.stats.Screen = ""
	sh.Send(wire.Command{Cmd: wire.CmdShow})
	if g.endedUntil.IsZero() {
		g.showWelcome()
	} else {
		g.render(g.o.UI.Screen(ui.Ended{}, ui.ActionOK))
	}
	g.discard(old)
}

// discard wipes a browser that serves no session, in the background.
func (g *Manager) discard(sh *shell) {
	go func() { g.wiped <- wipeResult{sh: sh, err: sh.Wipe()} }()
}
