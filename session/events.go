package session

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// What the shells tell the Core, and what it decides about it.

// ShellEvent: shell id sent ev.
func (c *Core) ShellEvent(now time.Time, id ShellID, ev wire.Event) {
	sh := c.byID(id)
	if sh == nil {
		return // a shell being wiped
	}
	if ev.Ev == wire.EvPong {
		sh.missed = 0
		return
	}
	if ev.Ev == wire.EvLoad && c.sess != nil && sh == c.sess.sh && sh != c.cur {
		c.onLogoutLoad(ev.URL) // the ending session's window, off the screen
		return
	}
	if ev.Ev == wire.EvReady {
		sh.ready = true
		sh.offscreen = ev.Detail == wire.ReadyOffscreen
		c.failures = 0
		if c.m.State() == Starting && (sh == c.cur || sh == c.next && c.cur == nil) {
			c.promote(now, sh)
		}
		c.warm(sh)
		c.swapStale(now, sh)
		return
	}
	if ev.Ev == wire.EvShown && sh == c.next && sh.lifting {
		c.lifted(sh)
		return
	}
	if ev.Ev == wire.EvShown && sh == c.next && sh.warm {
		sh.painted = true // the standby has drawn its screens off the screen
	}
	if sh == c.next && (sh.lifting || sh.under) && c.cur != nil &&
		(ev.Ev == wire.EvButton || ev.Ev == wire.EvQuick || ev.Ev == wire.EvActivity) {
		// The patient's touch or keys reached the standby while it was on top for a moment
		// (lift): the same screen, the same patient. The quick-exit chord above all must work.
		// The patient is moving on: the session's window goes back on top now, painted or not.
		if sh.lifting {
			c.lifted(sh)
		}
		sh = c.cur
	}
	if sh != c.cur {
		return
	}
	switch ev.Ev {
	case wire.EvShown:
		c.stats.Screen = ev.Screen
		c.stats.ScreenAt = now.UnixMicro()
		if c.next != nil && c.next.under && !c.next.warm {
			c.warmUnder(c.next) // the session's window is back on top of the lifted standby
		}
		if c.sess != nil && c.next == nil && c.m.InSession() {
			c.startShell(true) // the session's first screen is up: warm the next patient's browser
		}
	case wire.EvActivity:
		c.m.Input(now)
	case wire.EvLoad:
		if c.sess != nil && c.sess.activated && c.m.InSession() {
			c.sess.url = ev.URL
		}
		c.onLogoutLoad(ev.URL)
	case wire.EvBlocked:
		c.stats.Refused++
		c.emit(Count{Metric: NavigationRefused})
		c.logInfo("refused", "what", ev.Detail, "url", ev.URL)
		c.promptOver(ui.PromptBlocked, ui.PromptHelp, ui.PromptPassword)
	case wire.EvFailed:
		c.logWarn("page failed to load", "url", ev.URL, "detail", ev.Detail)
		c.promptOver(ui.PromptFailed, ui.PromptHelp, ui.PromptPassword)
	case wire.EvPassword:
		if c.prompt == "" && now.Sub(c.passwordAt) >= time.Minute && c.promptOver(ui.PromptPassword) {
			c.passwordAt = now
		}
	case wire.EvAuth:
		// The sign-in prompt goes over any other prompt: the page waits for it.
		c.authAsked = ev.Detail == "ask" && c.sess != nil && c.sess.activated && c.m.InSession()
		if c.authAsked {
			c.prompt = ui.PromptAuth
		} else if c.prompt == ui.PromptAuth {
			c.prompt = ""
		}
	case wire.EvQuick:
		if c.m.InSession() {
			c.m.End(QuickExit)
		}
	case wire.EvButton:
		c.onButton(now, ev.Name)
	case wire.EvPrint:
		// A job that could not be sent (no printer) is explained to the patient in plain
		// words, never with a print dialog; "limited" is the page's own loop.
		c.logInfo("print", "result", ev.Detail)
		if ev.Detail == "failed" {
			c.promptOver(ui.PromptPrint, ui.PromptHelp, ui.PromptPassword)
		}
	case wire.EvKeyboard:
		c.emit(Log{slog.LevelDebug, "on-screen keyboard", []any{"state", ev.Detail}})
	}
}

// onLogoutLoad wipes the ending session once its browser has loaded the logout page.
func (c *Core) onLogoutLoad(url string) {
	if !c.logoutBy.IsZero() && strings.HasPrefix(url, wire.Redact(c.cfg.LogoutURL)) {
		c.logoutBy = time.Time{}
		c.beginWipe()
	}
}

// onButton acts on the kiosk's own buttons, only where each makes sense.
func (c *Core) onButton(now time.Time, name string) {
	st := c.m.State()
	if c.pin != nil && st == Welcome && (strings.HasPrefix(name, ui.ActionDigit) ||
		name == ui.ActionPINDelete || name == ui.ActionPINOK || name == ui.ActionPINCancel) {
		c.onPINKey(now, name) // never logged
		return
	}
	switch {
	case name == ui.ActionDemoCard && c.cfg.Dev && st == Welcome && c.cfg.DemoCard:
		c.emit(DemoCard{}) // the demo card goes through the real reader path
	case name == ui.ActionOK && st == Welcome:
		c.showWelcome(now)
	case name == ui.ActionReady && st == Privacy:
		c.m.Accept(now)
		c.sess.activated = true
		c.send(c.cur, wire.Command{Cmd: wire.CmdNavigate, URL: c.cfg.StartURL})
	case name == ui.ActionCancel && st == Privacy:
		c.m.End(PrivacyDeclined)
	case name == ui.ActionEnd:
		c.m.End(UserEnded)
	case name == ui.ActionQuickExit:
		c.m.End(QuickExit)
	case name == ui.ActionStillHere:
		c.m.Input(now)
	case strings.HasPrefix(name, ui.ActionLang) && st == Welcome:
		c.lang = strings.TrimPrefix(name, ui.ActionLang)
		c.langUntil = now.Add(c.cfg.LangFor)
		c.showWelcome(now)
	case name == ui.ActionHelp && st == Welcome:
		c.show(ui.HelpScreen{}, ui.ActionHelpClose)
		c.endedUntil = now.Add(2 * time.Minute) // then back to the welcome screen
	case (name == ui.ActionHelpClose || name == ui.ActionTechClose) && st == Welcome:
		c.showWelcome(now)
	case name == ui.ActionHelp && st == Active:
		c.prompt = ui.PromptHelp
	case name == ui.ActionHelpClose && c.prompt == ui.PromptHelp, name != "" && name == ui.PromptButton(c.prompt):
		c.prompt = ""
		if c.authAsked {
			c.prompt = ui.PromptAuth // the site still waits for the patient to sign in
		}
	}
}

// promptOver shows prompt over the provider's site when no prompt or one of these is showing.
func (c *Core) promptOver(prompt string, these ...string) bool {
	if c.m.State() != Active || c.sess == nil || !c.sess.activated || c.prompt != "" && !slices.Contains(these, c.prompt) {
		return false
	}
	c.prompt = prompt
	return true
}

// ShellExited: shell id's process is gone.
func (c *Core) ShellExited(id ShellID) {
	sh := c.byID(id)
	if sh == nil {
		return // a shell being wiped
	}
	if c.sess != nil && sh == c.sess.sh {
		if c.m.InSession() {
			c.stats.ShellsCrashed++
			c.emit(Count{Metric: ShellCrash})
			c.logError("the browser died during a session", "session", sh.name)
			c.m.End(BrowserCrashed)
		} else if !c.logoutBy.IsZero() { // died on the logout page: wipe without waiting
			c.logoutBy = time.Time{}
			c.beginWipe()
		}
		return // otherwise the wipe under way sees the exit
	}
	c.stats.ShellsCrashed++
	c.emit(Count{Metric: ShellCrash})
	c.failures++
	c.logError("the browser exited before a session", "shell", sh.name, "failures", c.failures)
	hidden := sh == c.next
	c.forget(sh)
	ending := c.sess != nil // the standby died covering a session's end: its wipe goes on
	c.emit(Wipe{Shell: sh.id})
	if c.m.State() == OutOfService {
		return
	}
	if c.failures >= MaxShellFailures {
		c.outOfService(fmt.Sprintf("the browser failed %d times in a row before showing the welcome screen", c.failures))
		return
	}
	if !hidden && !ending {
		c.m = NewMachine(c.cfg.Timeouts) // back to starting, keeping no session
	}
	c.startShell(hidden || ending)
}
