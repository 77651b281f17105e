// Package e2e drives the real kiosk as a patient would: the carekiosk binary, real WebKitGTK on
// either display stack — headless cage on Wayland, the product's, or an X server (Xvfb) — card
// bytes into a pseudo-terminal, real key presses and touches (internal/display), a local HTTPS
// record portal, and status read from the control socket.
package e2e

import (
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/demo"
	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/internal/kiosktest"
	"github.com/carekiosk/carekiosk/internal/syncbuf"
	"github.com/carekiosk/carekiosk/internal/tmpfs"
	"github.com/carekiosk/carekiosk/session"
)

// binary is the carekiosk built for this test run.
var binary string

// ambient is the display the tests run on (scripts/with-display makes one), nil if there is none.
var ambient display.Display

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "carekiosk-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "carekiosk")
	if out, err := exec.Command("go", "build", "-o", dir, "../cmd/carekiosk", "../cmd/carekiosk-shell").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building carekiosk: %v\n%s", err, out)
		os.Exit(1)
	}
	ambient, _ = display.FromEnv()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needDisplay skips a test that needs a display when there is none — unless
// CAREKIOSK_REQUIRE_DISPLAY is set (make test and CI set it), where that is a failure.
func needDisplay(t *testing.T) {
	t.Helper()
	if ambient != nil {
		return
	}
	if os.Getenv("CAREKIOSK_REQUIRE_DISPLAY") != "" {
		t.Fatal("no display: run the tests with `make test`, which starts Xvfb and cage")
	}
	t.Skip("needs a display (WAYLAND_DISPLAY or DISPLAY); `make test` runs these under Xvfb and cage")
}

// kiosk is one carekiosk run under test (package kiosktest) with its portal.
type kiosk struct {
	*kiosktest.Kiosk
	t       *testing.T
	portal  *portal
	logs    *syncbuf.Buffer // its stderr: a pipe, so that Exited waits for its shells too
	secrets []string        // strings that must never appear in logs or audit
}

// settings are the config file's [session] table for a test.
type settings struct {
	idle, idleWarning, max, maxWarning string
	start                              string   // start_url's path; "" is /start
	top                                string   // more top-level keys, such as "printing = true"
	env                                []string // more environment for the kiosk, such as its own display
	keyboard                           string   // [keyboard] on_screen; "" is "never"
	demo                               bool     // the embedded demo portal as the provider, not the test portal
}

var quick = settings{idle: "12s", idleWarning: "5s", max: "10m", maxWarning: "1m"}

// startKiosk writes a config for a fresh portal and pty reader and starts carekiosk run.
func startKiosk(t *testing.T, s settings) *kiosk {
	t.Helper()
	needDisplay(t)
	k := newKiosk(t, s)
	k.check(k.Start())
	t.Cleanup(k.stop)
	return k
}

// newKiosk writes a config for a fresh portal and pty reader; Start starts it.
func newKiosk(t *testing.T, s settings) *kiosk {
	t.Helper()
	p := startPortal(t)
	c := kiosktest.Config{
		StartURL: p.URL(cmp.Or(s.start, "/start")), LogoutURL: p.URL("/logout"), Certificate: p.Certificate(),
		Top: s.top, IdleTimeout: s.idle, IdleWarning: s.idleWarning, MaxDuration: s.max, MaxWarning: s.maxWarning,
		PrivacyTimeout: "30s", OnScreenKeyboard: cmp.Or(s.keyboard, "never"),
	}
	if s.demo {
		d, err := demo.Start("127.0.0.1:0", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		c.Certificate, c.StartURL, c.LogoutURL = d.CertificatePEM(), d.URL(), d.LogoutURL()
	}
	kt, err := kiosktest.New(binary, "carekiosk-e2e-", c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(kt.Close)
	k := &kiosk{Kiosk: kt, t: t, portal: p, logs: &syncbuf.Buffer{}}
	kt.Env, kt.Stderr, kt.Poll, kt.Display = s.env, k.logs, 50*time.Millisecond, ambient
	return k
}

// tmpfsDir makes a directory for a kiosk's files on a tmpfs (package tmpfs says why), removed
// after the test.
func tmpfsDir(t *testing.T) string {
	t.Helper()
	dir, err := tmpfs.Dir("carekiosk-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// check fails the test if err is not nil.
func (k *kiosk) check(err error) {
	k.t.Helper()
	if err != nil {
		k.t.Fatal(err)
	}
}

// beginSession takes the kiosk from its welcome screen into a session with card, as a patient
// would: the card, then Return on the privacy check's "I'm ready". It returns the status at
// the privacy check (its session id).
func (k *kiosk) beginSession(card string) session.Status {
	k.t.Helper()
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe(card)
	s := k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	k.key("Return")
	return s
}

// stop ends the kiosk as systemd would (SIGTERM) and fails the test if a card number or canary
// reached its log.
func (k *kiosk) stop() {
	k.Stop()
	for _, s := range k.secrets {
		if strings.Contains(k.logs.String(), s) {
			k.t.Errorf("the kiosk's log contains %q", s)
		}
	}
	if k.t.Failed() {
		k.t.Logf("kiosk log:\n%s", k.logs.String())
	}
}

// swipe sends a card number as a line reader would.
func (k *kiosk) swipe(number string) {
	k.t.Helper()
	k.secrets = append(k.secrets, number)
	_, err := k.Swipe(number)
	k.check(err)
}

// waitFor waits until ok holds and returns the status that satisfied it.
func (k *kiosk) waitFor(what string, within time.Duration, ok func(session.Status) bool) session.Status {
	k.t.Helper()
	s, err := k.WaitFor(what, within, ok)
	k.check(err)
	return s
}

// waitScreen waits until the kiosk is in state with screen painted.
func (k *kiosk) waitScreen(state session.State, screen string, within time.Duration) session.Status {
	k.t.Helper()
	s, err := k.WaitScreen(state, screen, within)
	k.check(err)
	return s
}

// nextAudit returns the next audit line, decoded.
func (k *kiosk) nextAudit(within time.Duration) map[string]any {
	k.t.Helper()
	a, err := k.NextAudit(within)
	k.check(err)
	return a
}

// key presses keys for real in the kiosk's window, as a patient's keyboard would.
func (k *kiosk) key(keys ...string) { k.t.Helper(); k.check(k.Key(keys...)) }

// typeText types text for real into the focused field.
func (k *kiosk) typeText(text string) { k.t.Helper(); k.check(k.Type(text)) }

// touch touches the screen for real at x, y.
func (k *kiosk) touch(x, y int) { k.t.Helper(); k.check(k.Touch(x, y)) }

// shellPID is the process of the browser the patient sees.
func (k *kiosk) shellPID() int {
	k.t.Helper()
	pid, err := k.ShellPID()
	k.check(err)
	return pid
}

// shotPath is where a screenshot called name is kept: CAREKIOSK_SHOTS, else a temporary
// directory.
func shotPath(t *testing.T, name string) string {
	dir := os.Getenv("CAREKIOSK_SHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	os.MkdirAll(dir, 0o755)
	return filepath.Join(dir, name+".png")
}

// screenshot saves what the patient sees on d, once it has settled, as name.png in the test
// output directory (CAREKIOSK_SHOTS, else a temporary one) and fails the test if the screen is
// blank: every screen the kiosk shows has something on it.
func screenshot(t *testing.T, d display.Display, name string) {
	t.Helper()
	path := shotPath(t, name)
	if blank, err := display.Settled(d, path, 5*time.Second); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	} else if blank {
		t.Errorf("screenshot %s: the screen is blank (%s, %s)", name, path, d.Stack())
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
