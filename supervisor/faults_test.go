package supervisor

import (
	"github.com/carekiosk/carekiosk/session"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/syncbuf"
)

// Faults the kiosk must survive, with the helper-process shells: real processes, no display.
// Times are logged, never asserted (make bench measures them).

// TestManagerHungShellIsReplaced: a browser whose main loop stops (SIGSTOP) mid-session stops
// answering pings; the manager kills it, ends the session as browser-crashed, wipes it and
// comes back to the welcome screen.
func TestManagerHungShellIsReplaced(t *testing.T) {
	h := newHarnessWith(t, "ok", nil, func(o *Options) { o.PingEvery, o.PingMisses = 50*time.Millisecond, 3 })
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome })
	h.g.Card()
	s := h.waitFor("active", func(s session.Status) bool { return s.State == session.Active })
	dir := filepath.Join(h.dir, "sessions", s.SessionID)
	stopped := time.Now()
	if err := syscall.Kill(-s.ShellPID, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	s = h.waitFor("the next welcome", func(s session.Status) bool { return s.State == session.Welcome && s.LastEndReason != "" })
	t.Logf("hung shell noticed, session wiped and welcome back in %v", time.Since(stopped).Round(time.Millisecond))
	if s.LastEndReason != session.BrowserCrashed || !s.LastWipeVerified || s.ShellsCrashed == 0 {
		t.Errorf("after the hang: %+v, want browser-crashed, verified", s)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the hung session's directory is still there (stat: %v)", err)
	}
	if !strings.Contains(h.audit.String(), `"reason":"browser-crashed","duration_s"`) {
		t.Errorf("audit %q: want a browser-crashed line", h.audit.String())
	}
	// The kiosk goes on: the next patient gets a session.
	h.g.Card()
	h.waitFor("the next session", func(s session.Status) bool { return s.State == session.Active && s.SessionsTotal == 2 })
}

// TestManagerKillsLeftoversBeforeWelcome: a supervisor killed with SIGKILL can leave browser
// processes and directories in session_dir; the next start removes both before the welcome
// screen, including a process that is stopped and one that only kept its HOME there.
func TestManagerKillsLeftoversBeforeWelcome(t *testing.T) {
	root := filepath.Join(t.TempDir(), "sessions")
	old := filepath.Join(root, "0123456789abcdef")
	if err := os.MkdirAll(filepath.Join(old, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(old, "data", "cookies"), []byte("left behind"), 0o600)
	var gone []chan struct{}
	for _, home := range []bool{false, true} {
		cmd := exec.Command("sleep", "600")
		cmd.Dir = old
		if home { // elsewhere, but with the session's HOME
			cmd.Dir = "/"
			cmd.Env = []string{"HOME=" + old}
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() })
		syscall.Kill(cmd.Process.Pid, syscall.SIGSTOP)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		gone = append(gone, done)
	}
	logs := &syncbuf.Buffer{}
	h := newHarnessWith(t, "ok", nil, func(o *Options) { o.SessionDir = root; o.Log = testLogger(logs) })
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome })
	for i, done := range gone {
		select {
		case <-done:
		default:
			t.Errorf("leftover process %d still alive at the welcome screen", i)
		}
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the leftover directory is still there (stat: %v)", err)
	}
	if !strings.Contains(logs.String(), "left by an earlier run") {
		t.Errorf("the log does not say what was removed: %s", logs.String())
	}
}

// TestManagerSessionDirProblems: a session_dir that is missing (under a file), read-only or
// full takes the kiosk out of service with the reason in status and in the log.
func TestManagerSessionDirProblems(t *testing.T) {
	type tc struct {
		name  string
		setup func(t *testing.T, dir string) string // returns session_dir
		root  bool
		want  string
	}
	mount := func(t *testing.T, dir, opts string) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mount("carekiosk-test", dir, "tmpfs", 0, opts); err != nil {
			t.Fatalf("mounting a tmpfs: %v", err)
		}
		t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	}
	for _, c := range []tc{
		{name: "missing", want: "not a directory", setup: func(t *testing.T, dir string) string {
			os.WriteFile(filepath.Join(dir, "file"), nil, 0o600)
			return filepath.Join(dir, "file", "sessions")
		}},
		{name: "read-only", root: true, want: "not writable", setup: func(t *testing.T, dir string) string {
			d := filepath.Join(dir, "ro")
			mount(t, d, "size=16m")
			if err := syscall.Mount("", d, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
				t.Fatalf("remounting read-only: %v", err)
			}
			return d
		}},
		{name: "full", root: true, want: "full", setup: func(t *testing.T, dir string) string {
			d := filepath.Join(dir, "full")
			mount(t, d, "size=12m")
			f, err := os.Create(filepath.Join(d, "filler"))
			if err != nil {
				t.Fatal(err)
			}
			f.Write(make([]byte, 10<<20))
			f.Close()
			return filepath.Join(d, "sessions") // the filler is not the kiosk's to delete
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.root && os.Geteuid() != 0 {
				t.Skip("needs root to mount a tmpfs")
			}
			sessions := c.setup(t, t.TempDir())
			logs := &syncbuf.Buffer{}
			h := newHarnessWith(t, "ok", nil, func(o *Options) { o.SessionDir = sessions; o.Log = testLogger(logs) })
			s := h.waitFor("out of service", func(s session.Status) bool { return s.State == session.OutOfService })
			if !strings.Contains(s.Problem, c.want) || !strings.Contains(s.Problem, "session_dir") {
				t.Errorf("problem %q, want session_dir … %q", s.Problem, c.want)
			}
			if !strings.Contains(logs.String(), "out of service") || !strings.Contains(logs.String(), c.want) {
				t.Errorf("the log does not give the reason: %s", logs.String())
			}
			h.g.Card()
			if s := h.g.Status(); s.State != session.OutOfService || s.SessionsTotal != 0 {
				t.Errorf("a card while out of service: %+v", s)
			}
		})
	}
}

func testLogger(b *syncbuf.Buffer) *slog.Logger { return slog.New(slog.NewTextHandler(b, nil)) }
