package e2e

import (
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/canary"
	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/session"
)

// TestIdleSessionEndsAndIsWiped is a patient who reads the privacy check, opens the portal and
// walks away: the warning comes, the session ends as idle-timeout, and nothing is left.
func TestIdleSessionEndsAndIsWiped(t *testing.T) {
	k := startKiosk(t, quick)
	k.portal.setPlant(false)
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	screenshot(t, ambient, "welcome")

	k.swipe("4000123412341234")
	s := k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	if s.SessionID == "" {
		t.Errorf("privacy check: session_id is empty")
	}
	screenshot(t, ambient, "privacy")
	k.key("Return") // the "I'm ready" button has the focus

	s = k.waitFor("the portal loaded", 30*time.Second, func(s session.Status) bool { return s.URL == k.portal.URL("/start") })
	if s.State != session.Active {
		t.Errorf("state with the portal loaded = %s, want active", s.State)
	}
	<-k.portal.reports // the page is up and running
	screenshot(t, ambient, "portal")

	k.waitScreen(session.Warning, "warning", 30*time.Second)
	screenshot(t, ambient, "idle-warning")
	k.waitFor("the session to end", 30*time.Second, func(s session.Status) bool { return s.LastEndReason != "" })

	a := k.nextAudit(30 * time.Second)
	if a["reason"] != "idle-timeout" || a["wipe_verified"] != true || a["session_id"] != s.SessionID {
		t.Errorf("audit = %v, want reason idle-timeout, wipe_verified, session %s", a, s.SessionID)
	}
	for _, f := range []string{"session_id", "started", "ended", "reason", "duration_s", "wipe_verified", "wipe_ms"} {
		if _, ok := a[f]; !ok {
			t.Errorf("audit line has no %q: %v", f, a)
		}
	}
	s = k.waitFor("the welcome screen after the wipe", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome
	})
	if s.LastEndReason != session.IdleTimeout || !s.LastWipeVerified || s.SessionID != "" || s.URL != "" {
		t.Errorf("after the session: %+v, want idle-timeout, verified, no session, no url", s)
	}
	if k.portal.Logouts() != 1 {
		t.Errorf("logout page visited %d times, want 1", k.portal.Logouts())
	}
	dir := filepath.Join(k.Dir, "sessions", a["session_id"].(string))
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the session's directory is still there (stat: %v)", err)
	}
	if left := usersOf(dir); len(left) > 0 {
		t.Errorf("processes of the session outlived it: %v", named(left))
	}
	noBuses(t, k)
}

// noBuses fails if a session bus or accessibility bus runs for a shell of k. With dbus-x11 and
// at-spi2-core installed (scripts/deps test), GLib would autolaunch both for a shell as soon as
// something asks for the session bus (a text field's focus, PDF.js), outside its process group.
func noBuses(t *testing.T, k *kiosk) {
	t.Helper()
	for _, p := range named(usersOf(filepath.Join(k.Dir, "sessions"))) {
		// (WebKit's own xdg-dbus-proxy, a sandbox helper in the shell's group, is not one.)
		if strings.Contains(p, "dbus-daemon") || strings.Contains(p, "dbus-launch") || strings.Contains(p, "at-spi") {
			t.Errorf("a bus was started for a shell: %s", p)
		}
	}
}

// TestCanariesDoNotSurviveASession plants unique values in a cookie, localStorage, IndexedDB
// and a typed form field, then signs in to a part of the portal behind HTTP authentication
// with a unique password; after the session no file of the kiosk or in the machine's temporary
// directories holds them, and the next session's requests and page find none of them: no
// cookie, no storage, no Authorization header.
func TestCanariesDoNotSurviveASession(t *testing.T) {
	began := time.Now()
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m"})
	c := k.portal.canary
	k.secrets = append(k.secrets, c.all()...)
	auth := protect(k, canary.New().Cookie)
	all := append(c.all(), auth.password)
	k.portal.setPlant(true)
	k.portal.mu.Lock()
	k.portal.afterTyped = "/private/letters"
	k.portal.mu.Unlock()

	k.beginSession("29990012345678")
	waitChan(t, k.portal.Planted, 30*time.Second, "the page to plant its canaries")
	k.typeText(c.Typed)
	waitChan(t, k.portal.typed, 30*time.Second, "the typed canary")
	noBuses(t, k)
	signIn(t, k, auth)
	if sent := auth.sent(); len(sent) == 0 || sent[0] == "" {
		t.Fatalf("signed in, the session's own next request sent no credential (%q): the check below would prove nothing", sent)
	}

	// The scanner must be able to find what the wipe must remove: while the session runs, the
	// browser's storage holds the canaries on disk.
	sessions := filepath.Join(k.Dir, "sessions")
	waitUntil(t, 30*time.Second, "a canary on disk during the session", func() bool {
		return len(canary.Find(sessions, c.all())) > 0
	})

	out, err := runCLI("end-session", "-config", k.Config)
	if err != nil || !strings.Contains(out, "session ended") {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	if a := k.nextAudit(30 * time.Second); a["reason"] != "technician" || a["wipe_verified"] != true {
		t.Errorf("audit = %v, want technician, verified", a)
	}
	k.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && s.LastWipeVerified
	})
	for _, dir := range []string{sessions, k.Home} {
		if found := canary.Find(dir, all); len(found) > 0 {
			t.Errorf("after the session, canaries are still on disk: %v", found)
		}
	}
	for _, dir := range canary.Shared {
		if found := canary.FindSince(dir, all, began); len(found) > 0 {
			t.Errorf("after the session, canaries are on disk in %s: %v", dir, found)
		}
	}

	// The next patient.
	k.portal.setPlant(false)
	k.beginSession("29990012345679")
	var rep report
	select {
	case rep = <-k.portal.reports:
	case <-time.After(30 * time.Second):
		t.Fatal("the next session's page did not report its storage")
	}
	if len(rep.Local) != 0 || rep.IDB != "" || contains(rep.DBs, "canarydb") {
		t.Errorf("the next session's page found storage of the last: %+v", rep)
	}
	if sent := auth.sent(); len(sent) == 0 {
		t.Errorf("the next session's page did not reach the part behind HTTP authentication")
	} else if strings.Join(sent, "") != "" {
		t.Errorf("the next session sent the last one's credential: %q", sent)
	}
	k.portal.mu.Lock()
	for _, h := range k.portal.cookies {
		if strings.Contains(h, c.Cookie) || strings.Contains(h, "canary=") {
			t.Errorf("the next session sent the last one's cookie: %q", h)
		}
	}
	k.portal.mu.Unlock()
}

// TestBrowserCrashEndsTheSession kills the shell mid-session: the session ends as
// browser-crashed, is wiped, and the welcome screen returns.
func TestBrowserCrashEndsTheSession(t *testing.T) {
	k := startKiosk(t, quick)
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe("12345678")
	s := k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	killed := time.Now()
	if err := killGroupLeader(s.ShellPID); err != nil {
		t.Fatal(err)
	}
	a := k.nextAudit(30 * time.Second)
	if a["reason"] != "browser-crashed" || a["wipe_verified"] != true {
		t.Errorf("audit = %v, want browser-crashed, verified", a)
	}
	back := k.waitFor("a clean screen", 45*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && (s.Screen == "ended" || s.Screen == "welcome")
	})
	// Logged, not asserted (issue 7: back within 2 s; make bench measures): the standby covers.
	t.Logf("kill -9 of the shell → %s screen painted after %v", back.Screen, time.UnixMicro(back.ScreenAt).Sub(killed).Round(time.Millisecond))
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	if _, err := os.Stat(filepath.Join(k.Dir, "sessions", s.SessionID)); !os.IsNotExist(err) {
		t.Errorf("the crashed session's directory is still there (stat: %v)", err)
	}
}

// TestReaderNoiseIsIgnored sends a line that is not a card: nothing starts, its content is not
// logged, and a real card still works.
func TestReaderNoiseIsIgnored(t *testing.T) {
	k := startKiosk(t, quick)
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe("not-a-card-XYZZY")
	k.swipe("12345678")
	k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	if s, _ := k.Status(); s.SessionsTotal != 1 {
		t.Errorf("sessions_total = %d, want 1 (the noise must not count)", s.SessionsTotal)
	}
	if !strings.Contains(k.logs.String(), "not a card") {
		t.Errorf("the log does not mention the ignored read")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func waitChan(t *testing.T, c chan struct{}, within time.Duration, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(within):
		t.Fatalf("waiting for %s: not within %v", what, within)
	}
}

// waitUntil polls ok (for conditions with no event to await, like a file appearing).
func waitUntil(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("waiting for %s: not within %v", what, within)
}

// TestStandbyTakesOverAtTheEnd is a patient who reads the privacy check for a moment — the next
// patient's browser starts and is painted meanwhile (off the screen on X11; beneath the session's
// window under cage) — uses the portal and ends the session. The first frame after the portal's
// is the standby's own screen (the kiosk's background; not blank, not black, nothing between),
// and the standby has the keyboard: Return on the session-ended screen goes on.
func TestStandbyTakesOverAtTheEnd(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m"})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	dir := t.TempDir()
	// shot is the screen's background now (or, settled, once it has stopped changing).
	shot := func(name string, settled bool) (color.RGBA, float64) {
		t.Helper()
		path := filepath.Join(dir, name+".png")
		var err error
		if settled {
			_, err = display.Settled(ambient, path, 5*time.Second)
		} else {
			err = ambient.Shot(path)
		}
		if err != nil {
			t.Fatal(err)
		}
		c, share, err := display.Dominant(path)
		if err != nil {
			t.Fatal(err)
		}
		return c, share
	}
	kioskBackground, _ := shot("welcome", true)

	k.swipe("29990012345678")
	k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	k.waitFor("the standby painted", 30*time.Second, func(s session.Status) bool { return s.Standby })
	screenshot(t, ambient, "privacy-with-standby") // still the privacy check, not blank
	k.key("Return")                                // it still has the keyboard
	s := k.waitFor("the portal", 30*time.Second, func(s session.Status) bool { return s.URL == k.portal.URL("/start") })
	<-k.portal.reports
	portalBackground, _ := shot("portal", true)
	if portalBackground == kioskBackground {
		t.Fatalf("the portal's background %v is the kiosk's: the test can't tell them apart", portalBackground)
	}

	if out, err := runCLI("end-session", "-config", k.Config); err != nil {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	k.waitFor("the standby on the screen", 10*time.Second, func(n session.Status) bool { return n.ShellPID != s.ShellPID })
	// The session's window goes a frame or so later: the first frame that isn't the portal's.
	first, share := shot("first-after-end", false)
	for deadline := time.Now().Add(5 * time.Second); first == portalBackground && time.Now().Before(deadline); {
		first, share = shot("first-after-end", false)
	}
	if first != kioskBackground || share > 0.998 {
		t.Errorf("the first screen after the end is mostly %v (%.1f%%), want the kiosk's own screen on %v (the portal's is %v)",
			first, 100*share, kioskBackground, portalBackground)
		screenshot(t, ambient, "first-after-end")
	}
	k.waitScreen(session.Welcome, "ended", 30*time.Second)
	screenshot(t, ambient, "ended-after-standby")
	k.key("Return") // "OK" on the session-ended screen
	k.waitScreen(session.Welcome, "welcome", 10*time.Second)
}
