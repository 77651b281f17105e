package supervisor

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"github.com/carekiosk/carekiosk/session"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/syncbuf"
	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// The test binary stands in for the browser shell (the os/exec TestMain trick): real processes,
// real process groups, real directories, no display. The real shell is tested in package e2e.
func TestMain(m *testing.M) {
	if os.Getenv("CAREKIOSK_TEST_SHELL") != "" {
		testShell()
		return
	}
	os.Exit(m.Run())
}

// testShell speaks the shell's side of the wire: ready at once, every screen "shown", every
// page loaded (unless init lists allowed hosts and the page's host is not one: then blocked),
// and it accepts the privacy check as a patient would. With
// CAREKIOSK_TEST_SHELL=busy it first mounts a tmpfs inside its own directory, which no wipe
// can delete.
func testShell() {
	c := wire.NewConn(os.NewFile(3, "supervisor"))
	var init wire.Init
	if c.Receive(&init) != nil {
		os.Exit(2)
	}
	if os.Getenv("CAREKIOSK_TEST_SHELL") == "busy" {
		wd, _ := os.Getwd()
		busy := filepath.Join(wd, "busy")
		os.Mkdir(busy, 0o700)
		if err := syscall.Mount("carekiosk-test", busy, "tmpfs", 0, ""); err != nil {
			os.Exit(3)
		}
	}
	c.Send(wire.Event{Ev: wire.EvReady})
	choseLang := false
	for {
		var cmd wire.Command
		if c.Receive(&cmd) != nil {
			os.Exit(0)
		}
		switch cmd.Cmd {
		case wire.CmdPing:
			c.Send(wire.Event{Ev: wire.EvPong})
		case wire.CmdUI:
			name := cmp.Or(cmd.UI.Screen, cmd.UI.Prompt, "session")
			if os.Getenv("CAREKIOSK_TEST_SHELL") == "lang" { // say the language too; choose Welsh once
				c.Send(wire.Event{Ev: wire.EvShown, Screen: name + "/" + cmd.UI.Lang})
				if name == "welcome" && !choseLang {
					choseLang = true
					c.Send(wire.Event{Ev: wire.EvButton, Name: "lang-cy"})
				}
				continue
			}
			c.Send(wire.Event{Ev: wire.EvShown, Screen: name})
			if name == "privacy" {
				c.Send(wire.Event{Ev: wire.EvButton, Name: "ready"})
			}
		case wire.CmdNavigate:
			if u, err := url.Parse(cmd.URL); len(init.AllowedHosts) > 0 && (err != nil || !slices.Contains(init.AllowedHosts, u.Hostname())) {
				c.Send(wire.Event{Ev: wire.EvBlocked, URL: wire.Redact(cmd.URL), Detail: "host not allowed"})
				continue
			}
			c.Send(wire.Event{Ev: wire.EvLoad, URL: wire.Redact(cmd.URL)})
		}
	}
}

// harness runs a Manager with test shells.
type harness struct {
	t     *testing.T
	g     *Manager
	dir   string
	audit *syncbuf.Buffer
	stop  func()
}

func newHarness(t *testing.T, shellMode string, argv ...string) *harness {
	t.Helper()
	return newHarnessWith(t, shellMode, argv, nil)
}

// newHarnessWith is newHarness with the manager's options changed by edit (when not nil).
func newHarnessWith(t *testing.T, shellMode string, argv []string, edit func(*Options)) *harness {
	t.Helper()
	r, err := ui.New("en")
	if err != nil {
		t.Fatal(err)
	}
	if len(argv) == 0 {
		argv = []string{os.Args[0]}
	}
	h := &harness{t: t, dir: t.TempDir(), audit: &syncbuf.Buffer{}}
	o := Options{
		Settings: session.Settings{
			Timeouts: session.Timeouts{Idle: time.Hour, IdleWarning: time.Minute, Max: 2 * time.Hour, MaxWarning: time.Minute, Privacy: time.Hour},
			StartURL: "https://records.example.org/",
		},
		SessionDir: filepath.Join(h.dir, "sessions"),
		Shell:      argv,
		ShellEnv:   []string{"CAREKIOSK_TEST_SHELL=" + shellMode},
		UI:         r,
		Audit:      h.audit,
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if edit != nil {
		edit(&o)
	}
	h.g = NewManager(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.g.Run(ctx); close(done) }()
	h.stop = func() { cancel(); <-done }
	t.Cleanup(h.stop)
	return h
}

// waitFor polls the manager's status until ok holds.
func (h *harness) waitFor(what string, ok func(session.Status) bool) session.Status {
	h.t.Helper()
	var s session.Status
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if s = h.g.Status(); ok(s) {
			return s
		}
	}
	h.t.Fatalf("waiting for %s: last status %+v", what, s)
	return s
}

func TestManagerSessionEndsWithVerifiedWipe(t *testing.T) {
	h := newHarness(t, "ok")
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome })
	h.g.Card()
	s := h.waitFor("the portal", func(s session.Status) bool { return s.URL == "https://records.example.org/" })
	dir := filepath.Join(h.dir, "sessions", s.SessionID)
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("session directory: %v", err)
	}
	if !h.g.EndSession(session.Technician) {
		t.Fatal("EndSession reported no session")
	}
	s = h.waitFor("the next welcome", func(s session.Status) bool { return s.State == session.Welcome && s.LastEndReason != "" })
	if s.LastEndReason != session.Technician || !s.LastWipeVerified {
		t.Errorf("after the end: %+v, want technician, verified", s)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("session directory still there: %v", err)
	}
	var a session.AuditLine
	if err := json.Unmarshal(h.audit.Bytes(), &a); err != nil || a.Reason != session.Technician || !a.WipeVerified || a.SessionID != filepath.Base(dir) {
		t.Errorf("audit %q (%v), want one verified technician line for %s", h.audit.Bytes(), err, filepath.Base(dir))
	}
	if h.g.EndSession(session.Technician) {
		t.Errorf("EndSession with no session reported one")
	}
}

// TestManagerWipeFailureIsOutOfService: when a session's directory can't be deleted (here a
// mount inside it), the kiosk goes out of service and says why, rather than serve the next
// patient on a dirty machine.
func TestManagerWipeFailureIsOutOfService(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs inside a session directory")
	}
	h := newHarness(t, "busy")
	s := h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome })
	busy := filepath.Join(h.dir, "sessions")
	t.Cleanup(func() {
		h.stop() // no shell may mount another after the loop below
		entries, _ := os.ReadDir(busy)
		for _, e := range entries {
			syscall.Unmount(filepath.Join(busy, e.Name(), "busy"), syscall.MNT_DETACH)
		}
	})
	h.g.Card()
	s = h.waitFor("active", func(s session.Status) bool { return s.State == session.Active })
	h.g.EndSession(session.UserEnded)
	s = h.waitFor("out of service", func(s session.Status) bool { return s.State == session.OutOfService })
	if s.LastWipeVerified || !strings.Contains(s.Problem, "wipe") {
		t.Errorf("out of service: %+v, want an unverified wipe and the reason", s)
	}
	if !bytes.Contains(h.audit.Bytes(), []byte(`"wipe_verified":false`)) {
		t.Errorf("audit %q does not record the failed wipe", h.audit.Bytes())
	}
	h.g.Card()
	if s := h.g.Status(); s.State != session.OutOfService || s.SessionsTotal != 1 {
		t.Errorf("a card while out of service: %+v, want no new session", s)
	}
}

// TestManagerBrowserThatNeverStartsIsOutOfService: a shell that dies at once, again and again,
// takes the kiosk out of service instead of looping.
func TestManagerBrowserThatNeverStartsIsOutOfService(t *testing.T) {
	h := newHarness(t, "", "/bin/false")
	s := h.waitFor("out of service", func(s session.Status) bool { return s.State == session.OutOfService })
	if s.ShellsStarted != session.MaxShellFailures || !strings.Contains(s.Problem, "browser") {
		t.Errorf("status %+v, want %d shells started and the reason", s, session.MaxShellFailures)
	}
	entries, _ := os.ReadDir(filepath.Join(h.dir, "sessions"))
	for deadline := time.Now().Add(10 * time.Second); len(entries) > 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		entries, _ = os.ReadDir(filepath.Join(h.dir, "sessions"))
	}
	if len(entries) != 0 {
		t.Errorf("the dead shells' directories were not wiped: %v", entries)
	}
}

// TestManagerPresenceAlert: the sensor's alert blurs the session under its prompt and clears
// with the sensor; outside a session it does nothing.
func TestManagerPresenceAlert(t *testing.T) {
	h := newHarness(t, "ok")
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "welcome" })
	h.g.PresenceAlert(true)
	if s := h.g.Status(); s.Screen != "welcome" {
		t.Errorf("presence on the welcome screen shows %q", s.Screen)
	}
	h.g.PresenceAlert(false)
	h.g.Card()
	h.waitFor("the session", func(s session.Status) bool { return s.State == session.Active && s.Screen == "session" })
	h.g.PresenceAlert(true)
	h.waitFor("the presence alert", func(s session.Status) bool { return s.Screen == "presence" })
	h.g.PresenceAlert(false)
	h.waitFor("the alert cleared", func(s session.Status) bool { return s.Screen == "session" })
	h.g.EndSession(session.QuickExit)
	s := h.waitFor("the neutral screen", func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "neutral" })
	if s.LastEndReason != session.QuickExit || !s.LastWipeVerified {
		t.Errorf("after a quick exit: %+v", s)
	}
}

// TestLanguageGoesBackWhenNobodyComes: a language chosen on the welcome screen by someone who
// then walks away goes back to the kiosk's own after LangFor, ready for the next patient.
func TestLanguageGoesBackWhenNobodyComes(t *testing.T) {
	h := newHarnessWith(t, "lang", nil, func(o *Options) { o.LangFor = 300 * time.Millisecond })
	h.waitFor("the welcome screen in Welsh", func(s session.Status) bool { return s.Screen == "welcome/cy" })
	h.waitFor("the welcome screen back in English", func(s session.Status) bool { return s.Screen == "welcome/en" })
}
