package session

import (
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// The end of a session: the standby covers the screen, the old browser logs out, is killed,
// wiped and verified, the audit line is written, and the next patient's screen comes on.

// beginEnding starts the end of the session: a cover screen, the logout page, then the wipe.
func (c *Core) beginEnding(now time.Time) {
	c.sess.ending = true
	c.logInfo("ending session", "session", c.sess.id, "reason", c.m.Reason())
	if c.next == nil {
		c.startShell(true) // the next patient's shell warms up while this one is wiped
	}
	c.coverWithStandby()
	if c.m.Reason() == BrowserCrashed {
		c.beginWipe()
		return
	}
	if c.cur == c.sess.sh { // no standby was ready: cover the session in its own browser
		if c.m.Reason() == QuickExit {
			c.show(ui.Neutral{}, ui.ActionOK) // at once, and nothing about health records
		} else {
			c.show(ui.Ending{}, "")
		}
	}
	if c.sess.activated && c.cfg.LogoutURL != "" {
		c.logoutBy = now.Add(c.cfg.LogoutWait)
		c.send(c.sess.sh, wire.Command{Cmd: wire.CmdNavigate, URL: c.cfg.LogoutURL})
		return
	}
	c.beginWipe()
}

// coverWithStandby puts the standby, if it is ready, on the screen in place of the ending
// session's browser, which is hidden at once: from the end on, the patient sees only a browser
// that never held the session. The standby shows the ending (or neutral) screen while the old
// browser visits the logout page off the screen and is wiped; the next card is taken only once
// that wipe is verified (Wiped).
func (c *Core) coverWithStandby() {
	old, sb := c.sess.sh, c.next
	if c.cur != old || sb == nil || !sb.ready || sb.gen != c.gen {
		return
	}
	c.cur, c.next = sb, nil
	c.stats.Screen = ""
	switch {
	case c.m.Reason() == QuickExit:
		c.show(ui.Neutral{}, ui.ActionOK)
	case !sb.warm || c.lang != "":
		c.show(ui.Ending{}, "")
	}
	c.send(sb, wire.Command{Cmd: wire.CmdShow}) // it reports the screen shown once painted on
	c.send(old, wire.Command{Cmd: wire.CmdHide})
}

// warm has a standby that just became ready draw, off the screen, the screens it will need: the
// privacy check (the next patient's first screen after a card: its fonts, layout and QR code
// are then ready in this process) and last the ending screen it shows when it takes over.
// A standby that can't paint off the screen is lifted beneath the session instead, while the
// patient reads the privacy check; after that it stays unmapped until the end, and paints late.
func (c *Core) warm(sh *shell) {
	if sh != c.next || c.sess == nil {
		return
	}
	if !sh.offscreen {
		if c.m.State() == Privacy && c.stats.Screen == ui.ScreenPrivacy {
			c.lift(sh)
		}
		return
	}
	for _, v := range []ui.View{ui.Privacy{}, ui.Ending{}} {
		c.emit(Show{Shell: sh.id, View: v}) // in the configured language
	}
	sh.warm = true
}

// lift maps a standby beneath the session's window on a compositor that shows every mapped
// window and puts the newest on top (cage). The standby is mapped showing the privacy check the
// patient is reading, in their language: it covers the session's window with the same pixels,
// and takes the focus for a moment (a touch or key on it counts as the session's). Once it has
// painted — or as soon as the patient does something — lifted maps the session's window again,
// on top.
func (c *Core) lift(sh *shell) {
	sh.lifting = true
	c.emit(Show{Shell: sh.id, Lang: c.lang, View: ui.Privacy{}, Focus: ui.ActionReady})
	c.send(sh, wire.Command{Cmd: wire.CmdShow})
}

// lifted: the standby has painted on top (or the patient acted on it). The session's window goes
// back on top (whatever it shows by now); once it reports a screen from there, warmUnder follows.
func (c *Core) lifted(sh *shell) {
	sh.lifting, sh.under = false, true
	if c.cur != nil {
		c.send(c.cur, wire.Command{Cmd: wire.CmdRaise})
	}
}

// warmUnder has the standby, beneath the session's window again, draw the ending screen it will
// show when it takes over: there it is painted before it is needed. Not sooner: while the
// session's window is being mapped again the standby shows through, and must still show the
// privacy check.
func (c *Core) warmUnder(sh *shell) {
	c.emit(Show{Shell: sh.id, Lang: c.lang, View: ui.Ending{}})
	sh.warm = true // painted once it reports the screen shown
}

// beginWipe has the session's shell wiped; Wiped follows.
func (c *Core) beginWipe() {
	if c.cur == c.sess.sh {
		c.cur = nil
	}
	c.emit(Wipe{Shell: c.sess.sh.id, Session: true})
}

// Wiped: shell id was wiped in took; err says why the wipe could not be verified.
func (c *Core) Wiped(now time.Time, id ShellID, err error, took time.Duration) {
	if c.sess == nil || c.sess.sh.id != id { // a shell that served no session
		if err != nil {
			c.emit(Count{Metric: WipeFailure})
			c.outOfService("wipe failed: " + err.Error())
		}
		return
	}
	verified := err == nil
	c.audit(now, c.sess, verified, took)
	c.sess = nil
	c.stats.LastEndReason, c.stats.LastWipeVerified = c.m.Reason(), verified
	c.m.Ended(verified)
	if !verified {
		c.heldCard = nil
		c.outOfService("wipe failed: " + err.Error())
		return
	}
	switch {
	case c.cur != nil && c.cur.ready: // the standby already covers the screen
		c.promote(now, c.cur)
	case c.cur == nil && c.next != nil && c.next.ready:
		c.promote(now, c.next)
	}
	if id := c.heldCard; id != nil {
		c.heldCard = nil
		c.Card(now, *id)
	}
}

// promote puts sh on screen and shows the next patient's first screen: after a session, the
// session-ended message; otherwise the welcome screen.
func (c *Core) promote(now time.Time, sh *shell) {
	if sh == c.next {
		c.cur, c.next = sh, nil
		c.stats.Screen = "" // until the new shell paints
		c.send(sh, wire.Command{Cmd: wire.CmdShow})
	}
	c.m.Ready()
	r := c.m.Reason()
	if r == "" || r == PrivacyDeclined || c.stats.SessionsTotal == 0 {
		c.lang = "" // the next patient starts in the configured language
		c.showWelcome(now)
		return
	}
	c.endedUntil = now.Add(c.cfg.EndedFor)
	if r == QuickExit {
		c.show(ui.Neutral{}, ui.ActionOK)
	} else {
		c.show(ui.Ended{}, ui.ActionOK)
	}
	c.lang = ""
}

// audit writes the session's audit line.
func (c *Core) audit(now time.Time, s *sessInfo, verified bool, took time.Duration) {
	c.emit(Audit{
		Line: AuditLine{
			SessionID: s.id, Started: s.started.UTC().Format(time.RFC3339), Ended: now.UTC().Format(time.RFC3339),
			Reason: c.m.Reason(), DurationS: now.Sub(s.started).Round(time.Millisecond).Seconds(),
			WipeVerified: verified, WipeMS: took.Milliseconds(),
		},
		Lasted: now.Sub(s.started), WipeTook: took,
	})
}
