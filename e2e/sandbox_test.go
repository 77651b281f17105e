package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/session"
)

// TestWebProcessesAreSandboxed looks at a session's web processes — where page code runs — from
// outside: each is in a mount namespace of its own, in which the kiosk's state directory (its
// card key), the other shells' session directories, the card reader and the control socket do
// not exist.
func TestWebProcessesAreSandboxed(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m"})
	s := k.beginSession("29990012345678")
	k.waitFor("the portal loaded", 30*time.Second, func(s session.Status) bool { return s.URL == k.portal.URL("/start") })
	sessions := filepath.Join(k.Dir, "sessions")
	waitUntil(t, 30*time.Second, "the standby's directory", func() bool {
		entries, _ := os.ReadDir(sessions)
		return len(entries) == 2
	})
	var web []int
	waitUntil(t, 30*time.Second, "the session's web process", func() bool {
		web = nil
		for _, pid := range usersOf(filepath.Join(sessions, s.SessionID)) {
			if strings.HasPrefix(comm(pid), "WebKitWebProces") {
				web = append(web, pid)
			}
		}
		return len(web) > 0
	})
	others, _ := os.ReadDir(sessions)
	hidden := []string{filepath.Join(k.Dir, "state"), filepath.Join(k.Dir, "control.sock"), k.Device}
	for _, e := range others {
		if e.Name() != s.SessionID {
			hidden = append(hidden, filepath.Join(sessions, e.Name())) // the standby's
		}
	}
	if len(hidden) < 4 {
		t.Fatalf("no other shell's directory to look for: %v", others)
	}
	supervisor, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/mnt", k.Cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, pid := range web {
		ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/mnt", pid))
		if err != nil {
			t.Fatalf("web process %d: %v", pid, err)
		}
		if ns == supervisor {
			t.Errorf("web process %d shares the supervisor's mount namespace %s", pid, ns)
		}
		root := fmt.Sprintf("/proc/%d/root", pid)
		if _, err := os.Stat(filepath.Join(root, "usr")); err != nil {
			t.Fatalf("can't look into web process %d's file system: %v", pid, err)
		}
		for _, p := range hidden {
			if _, err := os.Lstat(filepath.Join(root, p)); !os.IsNotExist(err) {
				t.Errorf("web process %d sees %s (lstat: %v)", pid, p, err)
			}
		}
	}
	if !t.Failed() {
		t.Logf("%d web process(es), each in a mount namespace of its own without %d of the kiosk's paths", len(web), len(hidden))
	}
}

// comm is the name of process pid ("" when it is gone).
func comm(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

// TestNoSandboxNoSession: where the web sandbox can't start (here: no bwrap on the kiosk's
// PATH), the kiosk is out of service with the reason for the technician, and starts no browser
// that would run page code unsandboxed.
func TestNoSandboxNoSession(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", env: []string{"PATH=" + t.TempDir()}})
	s := k.waitFor("out of service", 30*time.Second, func(s session.Status) bool { return s.State == session.OutOfService })
	if !strings.Contains(s.Problem, "web sandbox can't start") || !strings.Contains(s.Problem, "bwrap is not installed") {
		t.Errorf("problem %q, want the sandbox and bwrap named", s.Problem)
	}
	if s.ShellsStarted != 0 {
		t.Errorf("%d browsers started without a sandbox", s.ShellsStarted)
	}
}
