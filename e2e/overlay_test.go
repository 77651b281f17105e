package e2e

import (
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// TestOverlaySurvivesHostilePage: a page under a strict CSP that removes, hides, restyles,
// covers (a fixed element, a modal dialog, a popover) and clicks the kiosk's bar over and over;
// the bar still shows, its text reads back, synthetic clicks do nothing, and a real click works.
func TestOverlaySurvivesHostilePage(t *testing.T) {
	x := startScreen(t, 1280, 1024)
	srv := startProvider(t)
	sh := startShell(t, x, srv)
	sh.send(wire.Command{Cmd: wire.CmdNavigate, URL: srv.URL + "/hostile"})
	sh.await(wire.EvLoad, "", 30*time.Second)
	waitChan(t, attacking, 10*time.Second, "the hostile page's script to run")
	r, err := ui.New("en")
	if err != nil {
		t.Fatal(err)
	}
	u, err := r.Session(time.Now().Add(10*time.Minute), "", time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	sh.show(u, "session")
	time.Sleep(time.Second) // a second of attacks, every 100 ms
	got := sh.read()
	screenshot(t, x, "hostile-page")
	if !got.Mounted || len(got.Buttons) != 3 {
		t.Fatalf("after the attacks the overlay reports mounted %v, buttons %+v", got.Mounted, got.Buttons)
	}
	for _, e := range drain(sh.events) {
		if e.Ev == wire.EvButton {
			t.Errorf("the page pressed the kiosk's %q button", e.Name)
		}
	}
	bx, by := got.button(t, "end")
	if err := x.Click(sh.p.PID(), bx, by); err != nil {
		t.Fatal(err)
	}
	sh.await(wire.EvButton, "end", 10*time.Second)
}

func drain(c chan wire.Event) []wire.Event {
	var evs []wire.Event
	for {
		select {
		case e := <-c:
			evs = append(evs, e)
		default:
			return evs
		}
	}
}

// TestQuickExitKeyChord: Esc pressed three times ends the session at once as quick-exit, wipes
// it like any end, and shows the neutral screen.
func TestQuickExitKeyChord(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m"})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe("29990012345678")
	k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	k.key("Return")
	s := k.waitFor("the portal", 30*time.Second, func(s session.Status) bool { return s.URL == k.portal.URL("/start") })
	k.key("Escape", "Escape", "Escape")
	a := k.nextAudit(30 * time.Second)
	if a["reason"] != "quick-exit" || a["wipe_verified"] != true || a["session_id"] != s.SessionID {
		t.Errorf("audit = %v, want quick-exit, verified, session %s", a, s.SessionID)
	}
	s = k.waitScreen(session.Welcome, "neutral", 30*time.Second)
	screenshot(t, ambient, "quick-exit")
	if s.LastEndReason != session.QuickExit || !s.LastWipeVerified || s.SessionID != "" {
		t.Errorf("after the quick exit: %+v", s)
	}
	if n := k.portal.Logouts(); n != 1 {
		t.Errorf("logout page visited %d times, want 1", n)
	}
}
