package main

import (
	"fmt"
	"os"
	"time"

	"github.com/carekiosk/carekiosk/session"
)

// cycle is one whole session as a patient has it: card, privacy check, "I'm ready", the portal
// planting its canaries, then the end (as `carekiosk end-session`).
type cycle struct {
	card     time.Duration // last byte of the card into the pty → privacy check painted
	cover    time.Duration // end → the standby's ending screen painted, the session's window gone (0: no standby)
	ready    time.Duration // end → the wipe verified and the next card taken (polled: ± 2 ms)
	ended    time.Duration // end → "everything was cleared" painted, after the verified wipe
	reset    time.Duration // end → a clean screen visible: cover, or ended when no standby covered
	id       string
	shellPID int
	standby  bool // the standby covered the end
}

// inSession, when set, is called with the portal up and the standby ready.
func (k *kiosk) session(number string, inSession func()) (cycle, error) {
	var c cycle
	if _, err := k.WaitFor("the welcome screen", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && (s.Screen == "welcome" || s.Screen == "ended")
	}); err != nil {
		return c, err
	}
	t0, err := k.Swipe(number)
	if err != nil {
		return c, err
	}
	var sawState time.Duration
	s, err := k.WaitFor("the privacy check", 10*time.Second, func(s session.Status) bool {
		if sawState == 0 && s.State == session.Privacy {
			sawState = time.Since(t0)
		}
		return s.State == session.Privacy && s.Screen == "privacy"
	})
	if os.Getenv("BENCH_DEBUG") != "" {
		progress("card: state privacy seen after %v, painted after %v", sawState, at(s.ScreenAt).Sub(t0))
	}
	if err != nil {
		return c, err
	}
	c.card, c.id, c.shellPID = at(s.ScreenAt).Sub(t0), s.SessionID, s.ShellPID
	// The patient reads the privacy check until the next patient's browser is painted (under
	// cage it is lifted beneath the session's window while this screen shows).
	if _, err := k.WaitFor("the standby", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Privacy && s.Standby
	}); err != nil {
		return c, err
	}
	if err := k.Key("Return"); err != nil {
		return c, err
	}
	select {
	case <-k.portal.Planted:
	case <-time.After(30 * time.Second):
		return c, fmt.Errorf("session %s: the portal's page did not plant its canaries", c.id)
	}
	if inSession != nil {
		inSession()
	}
	tEnd, err := k.EndSession()
	if err != nil {
		return c, err
	}
	after := tEnd.UnixMicro()
	lastSeen := ""
	s, err = k.WaitFor("the next patient's screen", 30*time.Second, func(s session.Status) bool {
		if os.Getenv("BENCH_DEBUG") != "" && (s.Screen+string(s.State)+fmt.Sprint(s.ShellPID)) != lastSeen {
			lastSeen = s.Screen + string(s.State) + fmt.Sprint(s.ShellPID)
			progress("  %v: %s %s shell %d at %v", time.Since(tEnd), s.State, s.Screen, s.ShellPID, at(s.ScreenAt).Sub(tEnd))
		}
		if c.cover == 0 && (s.Screen == "ending" || s.Screen == "neutral") && s.ScreenAt > after {
			c.cover = at(s.ScreenAt).Sub(tEnd)
		}
		if c.ready == 0 && s.State == session.Welcome {
			c.ready = time.Since(tEnd)
		}
		return s.State == session.Welcome && s.Screen == "ended" && s.ScreenAt > after
	})
	if err != nil {
		return c, err
	}
	c.ended = at(s.ScreenAt).Sub(tEnd)
	c.reset = c.ended
	if os.Getenv("BENCH_DEBUG") != "" {
		progress("end: cover %v, ready %v, ended painted %v", c.cover, c.ready, c.ended)
	}
	if c.standby = c.cover > 0; c.standby {
		c.reset = c.cover
	}
	a, err := k.NextAudit(10 * time.Second)
	if err != nil {
		return c, fmt.Errorf("session %s: %w", c.id, err)
	}
	if a["session_id"] != c.id || a["reason"] != "technician" || a["wipe_verified"] != true {
		return c, fmt.Errorf("session %s: audit line %v, want a verified technician end", c.id, a)
	}
	return c, nil
}
