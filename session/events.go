package session

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// What the shells and the reader tell the manager, and what it does about it.

func (g *Manager) onShellEvent(sh *shell, ev wire.Event) {
	if ev.Ev == wire.EvPong {
		sh.missed = 0
		return
	}
	if ev.Ev == wire.EvLoad && g.sess != nil && sh == g.sess.sh && sh != g.cur {
		g.onLogoutLoad(ev.URL) // the ending session's window, off the screen
		return
	}
	if ev.Ev == wire.EvReady {
		sh.ready = true
		sh.offscreen = ev.Detail == wire.ReadyOffscreen
		g.failures = 0
		if g.m.State() == Starting && (sh == g.cur || sh == g.next && g.cur == nil) {
			g.promote(sh)
		}
		g.warm(sh)
		g.swapStale(sh)
		return
	}
	if ev.Ev == wire.EvShown && sh == g.next && sh.lifting {
		g.lifted(sh)
		return
	}
	if ev.Ev == wire.EvShown && sh == g.next && sh.warm {
		sh.painted = true // the standby has drawn its screens off the screen
	}
	if sh == g.next && (sh.lifting || sh.under) && g.cur != nil &&
		(ev.Ev == wire.EvButton || ev.Ev == wire.EvQuick || ev.Ev == wire.EvActivity) {
		// The patient's touch or keys reached the standby while it was on top for a moment
		// (lift): the same screen, the same patient. The quick-exit chord above all must work.
		// The patient is moving on: the session's window goes back on top now, painted or not.
		if sh.lifting {
			g.lifted(sh)
		}
		sh = g.cur
	}
	if sh != g.cur {
		return
	}
	now := g.o.Now()
	switch ev.Ev {
	case wire.EvShown:
		g.stats.Screen = ev.Screen
		g.stats.ScreenAt = now.UnixMicro()
		if g.next != nil && g.next.under && !g.next.warm {
			g.warmUnder(g.next) // the session's window is back on top of the lifted standby
		}
		if g.sess != nil && g.next == nil && g.m.InSession() {
			g.startShell(true) // the session's first screen is up: warm the next patient's browser
		}
	case wire.EvActivity:
		g.m.Input(now)
	case wire.EvLoad:
		if g.sess != nil && g.sess.activated && g.m.InSession() {
			g.sess.url = ev.URL
		}
		g.onLogoutLoad(ev.URL)
	case wire.EvBlocked:
		g.stats.Refused++
		g.o.Metrics.NavigationRefused()
		g.o.Log.Info("refused", "what", ev.Detail, "url", ev.URL)
		g.promptOver(ui.PromptBlocked, ui.PromptHelp, ui.PromptPassword)
	case wire.EvFailed:
		g.o.Log.Warn("page failed to load", "url", ev.URL, "detail", ev.Detail)
		g.promptOver(ui.PromptFailed, ui.PromptHelp, ui.PromptPassword)
	case wire.EvPassword:
		if g.prompt == "" && now.Sub(g.passwordAt) >= time.Minute && g.promptOver(ui.PromptPassword) {
			g.passwordAt = now
		}
	case wire.EvAuth:
		// The sign-in prompt goes over any other prompt: the page waits for it.
		g.authAsked = ev.Detail == "ask" && g.sess != nil && g.sess.activated && g.m.InSession()
		if g.authAsked {
			g.prompt = ui.PromptAuth
		} else if g.prompt == ui.PromptAuth {
			g.prompt = ""
		}
	case wire.EvQuick:
		if g.m.InSession() {
			g.m.End(QuickExit)
		}
	case wire.EvButton:
		g.onButton(ev.Name, now)
	case wire.EvPrint:
		g.onPrint(ev)
	case wire.EvKeyboard:
		g.o.Log.Debug("on-screen keyboard", "state", ev.Detail)
	}
}

// onLogoutLoad wipes the ending session once its browser has loaded the logout page.
func (g *Manager) onLogoutLoad(url string) {
	if !g.logoutBy.IsZero() && strings.HasPrefix(url, wire.Redact(g.o.LogoutURL)) {
		g.logoutBy = time.Time{}
		g.beginWipe()
	}
}

// onButton acts on the kiosk's own buttons, only where each makes sense.
func (g *Manager) onButton(name string, now time.Time) {
	st := g.m.State()
	if g.pin != nil && st == Welcome && (strings.HasPrefix(name, ui.ActionDigit) ||
		name == ui.ActionPINDelete || name == ui.ActionPINOK || name == ui.ActionPINCancel) {
		g.onPINKey(name) // never logged
		return
	}
	switch {
	case name == ui.ActionDemoCard && g.o.Dev && st == Welcome && g.o.DemoCard != nil:
		go g.o.DemoCard() // the demo card goes through the real reader path
	case name == ui.ActionOK && st == Welcome:
		g.showWelcome()
	case name == ui.ActionReady && st == Privacy:
		g.m.Accept(now)
		g.sess.activated = true
		g.cur.Send(wire.Command{Cmd: wire.CmdNavigate, URL: g.o.StartURL})
	case name == ui.ActionCancel && st == Privacy:
		g.m.End(PrivacyDeclined)
	case name == ui.ActionEnd:
		g.m.End(UserEnded)
	case name == ui.ActionQuickExit:
		g.m.End(QuickExit)
	case name == ui.ActionStillHere:
		g.m.Input(now)
	case strings.HasPrefix(name, ui.ActionLang) && st == Welcome:
		g.lang = strings.TrimPrefix(name, ui.ActionLang)
		g.langUntil = now.Add(g.o.LangFor)
		g.showWelcome()
	case name == ui.ActionHelp && st == Welcome:
		g.render(g.ui().Screen(ui.HelpScreen{}, ui.ActionHelpClose))
		g.endedUntil = now.Add(2 * time.Minute) // then back to the welcome screen
	case (name == ui.ActionHelpClose || name == ui.ActionTechClose) && st == Welcome:
		g.showWelcome()
	case name == ui.ActionHelp && st == Active:
		g.prompt = ui.PromptHelp
	case name == ui.ActionHelpClose && g.prompt == ui.PromptHelp, name != "" && name == ui.PromptButton(g.prompt):
		g.prompt = ""
		if g.authAsked {
			g.prompt = ui.PromptAuth // the site still waits for the patient to sign in
		}
	}
}

// promptOver shows prompt over the provider's site when no prompt or one of these is showing.
func (g *Manager) promptOver(prompt string, these ...string) bool {
	if g.m.State() != Active || g.sess == nil || !g.sess.activated || g.prompt != "" && !slices.Contains(these, g.prompt) {
		return false
	}
	g.prompt = prompt
	return true
}

func (g *Manager) card(id string) {
	now := g.o.Now()
	g.swapStale(g.next) // a browser with the reloaded settings is ready: use it
	if g.m.State() == Welcome && !g.open(now) {
		g.o.Log.Info("card ignored: the kiosk is closed")
		g.o.Metrics.CardRead("closed")
		return
	}
	if g.m.State() == Ending && g.sess != nil && g.cur != nil && g.cur != g.sess.sh {
		g.heldCard = &id // the next patient is already at the clean screen: serve them once verified
		g.o.Log.Info("card held until the last session's wipe is verified")
		return
	}
	if g.cur == nil || !g.m.Card(now) {
		g.o.Log.Info("card ignored: not on the welcome screen", "state", g.m.State())
		g.o.Metrics.CardRead("ignored")
		return
	}
	g.o.Metrics.CardRead("accepted")
	g.closePIN(false)
	g.m.SetClosing(g.closesAt(now))
	g.endedUntil, g.langUntil = time.Time{}, time.Time{} // the language chosen lasts the session
	g.sess = &sessInfo{id: g.cur.ID, sh: g.cur, started: now, card: id}
	g.sessionView = ""
	g.prompt, g.passwordAt, g.authAsked = "", time.Time{}, false
	g.stats.SessionsTotal++
	g.render(g.ui().Screen(ui.Privacy{}, ui.ActionReady))
}

func (g *Manager) onShellExit(sh *shell) {
	if g.sess != nil && sh == g.sess.sh {
		if g.m.InSession() {
			g.stats.ShellsCrashed++
			g.o.Metrics.ShellCrashed()
			g.o.Log.Error("the browser died during a session", "session", sh.ID)
			g.m.End(BrowserCrashed)
		} else if !g.logoutBy.IsZero() { // died on the logout page: wipe without waiting
			g.logoutBy = time.Time{}
			g.beginWipe()
		}
		return // otherwise the wipe under way sees the exit
	}
	if sh != g.cur && sh != g.next {
		return // a shell being wiped
	}
	g.stats.ShellsCrashed++
	g.o.Metrics.ShellCrashed()
	g.failures++
	g.o.Log.Error("the browser exited before a session", "shell", sh.ID, "failures", g.failures)
	hidden := sh == g.next
	if hidden {
		g.next = nil
	} else {
		g.cur = nil
	}
	ending := g.sess != nil // the standby died covering a session's end: its wipe goes on
	go func() { g.wiped <- wipeResult{sh: sh, err: sh.Wipe()} }()
	if g.m.State() == OutOfService {
		return
	}
	if g.failures >= maxShellFailures {
		g.outOfService(fmt.Sprintf("the browser failed %d times in a row before showing the welcome screen", g.failures))
		return
	}
	if !hidden && !ending {
		g.m = NewMachine(g.o.Timeouts) // back to starting, keeping no session
	}
	g.startShell(hidden || ending)
}
