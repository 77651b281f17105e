package session

import (
	"encoding/json"
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// The end of a session: the standby covers the screen, the old browser logs out, is killed,
// wiped and verified, the audit line is written, and the next patient's screen comes on.

// beginEnding starts the end of the session: a cover screen, the logout page, then the wipe.
func (g *Manager) beginEnding() {
	g.sess.ending = true
	g.o.Log.Info("ending session", "session", g.sess.id, "reason", g.m.Reason())
	if g.next == nil {
		g.startShell(true) // the next patient's shell warms up while this one is wiped
	}
	g.coverWithStandby()
	if g.m.Reason() == BrowserCrashed {
		g.beginWipe()
		return
	}
	if g.cur == g.sess.sh { // no standby was ready: cover the session in its own browser
		if g.m.Reason() == QuickExit {
			g.render(g.ui().Screen(ui.Neutral{}, ui.ActionOK)) // at once, and nothing about health records
		} else {
			g.render(g.ui().Screen(ui.Ending{}, ""))
		}
	}
	if g.sess.activated && g.o.LogoutURL != "" {
		g.logoutBy = g.o.Now().Add(g.o.LogoutWait)
		g.sess.sh.Send(wire.Command{Cmd: wire.CmdNavigate, URL: g.o.LogoutURL})
		return
	}
	g.beginWipe()
}

// coverWithStandby puts the standby, if it is ready, on the screen in place of the ending
// session's browser, which is hidden at once: from the end on, the patient sees only a browser
// that never held the session. The standby shows the ending (or neutral) screen while the old
// browser visits the logout page off the screen and is wiped; the next card is taken only once
// that wipe is verified (onWiped).
func (g *Manager) coverWithStandby() {
	old, sb := g.sess.sh, g.next
	if g.cur != old || sb == nil || !sb.ready || sb.gen != g.gen {
		return
	}
	g.cur, g.next = sb, nil
	g.stats.Screen = ""
	switch {
	case g.m.Reason() == QuickExit:
		g.render(g.ui().Screen(ui.Neutral{}, ui.ActionOK))
	case !sb.warm || g.lang != "":
		g.render(g.ui().Screen(ui.Ending{}, ""))
	}
	sb.Send(wire.Command{Cmd: wire.CmdShow}) // it reports the screen shown once painted on
	old.Send(wire.Command{Cmd: wire.CmdHide})
}

// warm has a standby that just became ready draw, off the screen, the screens it will need: the
// privacy check (the next patient's first screen after a card: its fonts, layout and QR code
// are then ready in this process) and last the ending screen it shows when it takes over.
// A standby that can't paint off the screen is lifted beneath the session instead, while the
// patient reads the privacy check; after that it stays unmapped until the end, and paints late.
func (g *Manager) warm(sh *shell) {
	if sh != g.next || g.sess == nil {
		return
	}
	if !sh.offscreen {
		if g.m.State() == Privacy && g.stats.Screen == ui.ScreenPrivacy {
			g.lift(sh)
		}
		return
	}
	for _, v := range []ui.View{ui.Privacy{}, ui.Ending{}} {
		if u, err := g.o.UI.Screen(v, ""); err == nil {
			sh.Send(wire.Command{Cmd: wire.CmdUI, UI: u})
		}
	}
	sh.warm = true
}

// lift maps a standby beneath the session's window on a compositor that shows every mapped
// window and puts the newest on top (cage). The standby is mapped showing the privacy check the
// patient is reading, in their language: it covers the session's window with the same pixels,
// and takes the focus for a moment (a touch or key on it counts as the session's). Once it has
// painted — or as soon as the patient does something — lifted maps the session's window again,
// on top.
func (g *Manager) lift(sh *shell) {
	u, err := g.ui().Screen(ui.Privacy{}, ui.ActionReady)
	if err != nil {
		g.o.Log.Error("rendering a kiosk screen", "err", err)
		return
	}
	sh.lifting = true
	sh.Send(wire.Command{Cmd: wire.CmdUI, UI: u})
	sh.Send(wire.Command{Cmd: wire.CmdShow})
}

// lifted: the standby has painted on top (or the patient acted on it). The session's window goes
// back on top (whatever it shows by now); once it reports a screen from there, warmUnder follows.
func (g *Manager) lifted(sh *shell) {
	sh.lifting, sh.under = false, true
	if g.cur != nil {
		g.cur.Send(wire.Command{Cmd: wire.CmdRaise})
	}
}

// warmUnder has the standby, beneath the session's window again, draw the ending screen it will
// show when it takes over: there it is painted before it is needed. Not sooner: while the
// session's window is being mapped again the standby shows through, and must still show the
// privacy check.
func (g *Manager) warmUnder(sh *shell) {
	if u, err := g.ui().Screen(ui.Ending{}, ""); err == nil {
		sh.Send(wire.Command{Cmd: wire.CmdUI, UI: u})
	}
	sh.warm = true // painted once it reports the screen shown
}

// beginWipe wipes the session's shell in the background; onWiped follows.
func (g *Manager) beginWipe() {
	sess, start := g.sess, time.Now()
	if g.cur == sess.sh {
		g.cur = nil
	}
	go func() {
		err := g.wipeSession(sess.sh)
		g.wiped <- wipeResult{sh: sess.sh, sess: sess, err: err, dur: time.Since(start)}
	}()
}

func (g *Manager) onWiped(r wipeResult) {
	if r.sess == nil { // a shell that died outside a session
		if r.err != nil {
			g.o.Metrics.WipeFailed()
			g.outOfService("wipe failed: " + r.err.Error())
		}
		return
	}
	verified := r.err == nil
	g.audit(r.sess, verified, r.dur)
	g.sess = nil
	g.stats.LastEndReason, g.stats.LastWipeVerified = g.m.Reason(), verified
	g.m.Ended(verified)
	if !verified {
		g.heldCard = nil
		g.outOfService("wipe failed: " + r.err.Error())
		return
	}
	switch {
	case g.cur != nil && g.cur.ready: // the standby already covers the screen
		g.promote(g.cur)
	case g.cur == nil && g.next != nil && g.next.ready:
		g.promote(g.next)
	}
	if id := g.heldCard; id != nil {
		g.heldCard = nil
		g.card(*id)
	}
}

// promote puts sh on screen and shows the next patient's first screen: after a session, the
// session-ended message; otherwise the welcome screen.
func (g *Manager) promote(sh *shell) {
	if sh == g.next {
		g.cur, g.next = sh, nil
		g.stats.Screen = "" // until the new shell paints
		sh.Send(wire.Command{Cmd: wire.CmdShow})
	}
	g.m.Ready()
	r := g.m.Reason()
	if r == "" || r == PrivacyDeclined || g.stats.SessionsTotal == 0 {
		g.lang = "" // the next patient starts in the configured language
		g.showWelcome()
		return
	}
	g.endedUntil = g.o.Now().Add(g.o.EndedFor)
	if r == QuickExit {
		g.render(g.ui().Screen(ui.Neutral{}, ui.ActionOK))
	} else {
		g.render(g.ui().Screen(ui.Ended{}, ui.ActionOK))
	}
	g.lang = ""
}

// shutdown ends a session under way as shutdown and wipes every shell before returning.
func (g *Manager) shutdown() {
	g.m.End(Shutdown)
	for _, sh := range []*shell{g.cur, g.next} {
		if sh == nil || g.sess != nil && sh == g.sess.sh {
			continue
		}
		if err := sh.Wipe(); err != nil {
			g.o.Log.Error("wipe at shutdown failed", "err", err)
		}
	}
	if g.sess != nil {
		start := time.Now()
		err := g.wipeSession(g.sess.sh)
		g.audit(g.sess, err == nil, time.Since(start))
		if err != nil {
			g.o.Log.Error("wipe at shutdown failed", "err", err)
		}
	}
	if err := g.contain.Close(); err != nil { // a wipe still under way: the next start sweeps it
		g.o.Log.Warn("shell cgroups left for the next start", "err", err)
	}
}

// auditLine is one session end, with the fields of DESIGN.md; nothing in it identifies a patient.
type auditLine struct {
	SessionID    string  `json:"session_id"`
	Started      string  `json:"started"`
	Ended        string  `json:"ended"`
	Reason       Reason  `json:"reason"`
	DurationS    float64 `json:"duration_s"`
	WipeVerified bool    `json:"wipe_verified"`
	WipeMS       int64   `json:"wipe_ms"`
}

func (g *Manager) audit(s *sessInfo, verified bool, wipeDur time.Duration) {
	now := g.o.Now()
	b, _ := json.Marshal(auditLine{
		SessionID: s.id, Started: s.started.UTC().Format(time.RFC3339), Ended: now.UTC().Format(time.RFC3339),
		Reason: g.m.Reason(), DurationS: now.Sub(s.started).Round(time.Millisecond).Seconds(),
		WipeVerified: verified, WipeMS: wipeDur.Milliseconds(),
	})
	g.o.Metrics.SessionEnded(string(g.m.Reason()), now.Sub(s.started), wipeDur, verified)
	if _, err := g.o.Audit.Write(append(b, '\n')); err != nil {
		g.o.Log.Error("writing the audit line", "err", err)
	}
}
