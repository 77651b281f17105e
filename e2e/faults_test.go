package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/procfs"
	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/shellproc"
)

// TestSupervisorKilledLeavesNothing kills the supervisor with SIGKILL mid-session, with the
// session's web process stopped so that it can't notice and exit by itself. The next start
// kills every leftover process of the session and deletes its directory before the welcome
// screen.
func TestSupervisorKilledLeavesNothing(t *testing.T) {
	k := startKiosk(t, quick)
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe("12345678")
	s := k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	dir := filepath.Join(k.Dir, "sessions", s.SessionID)
	var web []int
	waitUntil(t, 30*time.Second, "the session's WebKit processes", func() bool {
		web = usersOf(dir)
		return len(web) >= 2 // the shell and at least one WebKit process
	})
	for _, pid := range web {
		if pid != s.ShellPID {
			syscall.Kill(pid, syscall.SIGSTOP)
		}
	}
	// WebKit's own processes die with their parent (PR_SET_PDEATHSIG); a process of the session
	// that does not — stood in for by a stopped sleep with the session's HOME and directory —
	// is what the next start must find and kill.
	stray := exec.Command("sleep", "600")
	stray.Dir, stray.Env = dir, []string{"HOME=" + dir}
	stray.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := stray.Start(); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(stray.Process.Pid, syscall.SIGSTOP)
	strayGone := make(chan struct{})
	go func() { stray.Wait(); close(strayGone) }()
	k.Cmd.Process.Kill()
	<-k.Exited
	time.Sleep(500 * time.Millisecond) // Pdeathsig takes the shell; the stopped ones stay
	left := usersOf(dir)
	t.Logf("after kill -9 of the supervisor, %d of the session's %d processes are alive", len(left), len(web))
	t.Cleanup(func() {
		for _, pid := range left {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})

	k.check(k.Start())
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	select {
	case <-strayGone:
	default:
		t.Errorf("at the welcome screen, the stray process of the killed session is alive")
	}
	if alive := usersOf(dir); len(alive) > 0 {
		t.Errorf("at the welcome screen, processes of the killed session are alive: %v", alive)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the killed session's directory is still there (stat: %v)", err)
	}
	if len(left) > 0 && !strings.Contains(k.logs.String(), "left by an earlier run") {
		t.Errorf("the log does not say leftover processes were killed")
	}
}

// TestReaderUnpluggedDuringASession pulls the card reader out mid-session and plugs it back:
// the session goes on, and status says disconnected, then connected.
func TestReaderUnpluggedDuringASession(t *testing.T) {
	k := startKiosk(t, quick)
	k.waitFor("the reader connected", 45*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && s.Reader.Connected
	})
	k.swipe("12345678")
	s := k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	k.Unplug()
	k.waitFor("the reader disconnected", 30*time.Second, func(st session.Status) bool { return !st.Reader.Connected })
	k.check(k.Plug())
	st := k.waitFor("the reader back", 30*time.Second, func(st session.Status) bool { return st.Reader.Connected })
	if st.SessionID != s.SessionID || st.State != session.Privacy {
		t.Errorf("after the reader came back: %+v, want session %s still at the privacy check", st, s.SessionID)
	}
	// The replugged reader works: the session ends and the next card starts one.
	runCLI("end-session", "-config", k.Config)
	k.waitFor("the welcome screen", 30*time.Second, func(st session.Status) bool {
		return st.State == session.Welcome && st.LastWipeVerified
	})
	k.swipe("12345679")
	k.waitScreen(session.Privacy, "privacy", 30*time.Second)
}

// usersOf lists the live processes using dir (shellproc.Uses: working directory, HOME, …).
func usersOf(dir string) []int {
	var pids []int
	for _, p := range procfs.All() {
		if !p.Zombie() && shellproc.Uses(p.PID, dir) {
			pids = append(pids, p.PID)
		}
	}
	return pids
}

// named gives each process its name: "PID NAME".
func named(pids []int) []string {
	var s []string
	for _, pid := range pids {
		s = append(s, fmt.Sprintf("%d %s", pid, comm(pid)))
	}
	return s
}

// TestCompositorDiesTheKioskStops: the Wayland compositor dies mid-session (cage crashed). No
// browser can draw any more, so the supervisor ends the session as on a shutdown — wiped and
// verified, audited — and exits with an error, for the unit to restart cage and the kiosk.
func TestCompositorDiesTheKioskStops(t *testing.T) {
	needDisplay(t)
	if ambient.Stack() != "wayland" {
		t.Skip("the compositor is watched on Wayland, the kiosk's own stack; this run is on X11")
	}
	cage := startScreen(t, 1280, 1024)
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", env: cage.Env()})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe("12345678")
	s := k.waitScreen(session.Privacy, "privacy", 30*time.Second)

	cage.Close()
	select {
	case <-k.Exited:
	case <-time.After(30 * time.Second):
		t.Fatal("the kiosk is still running 30 s after its compositor died")
	}
	if code := k.Cmd.ProcessState.ExitCode(); code == 0 {
		t.Errorf("the kiosk exited with status 0 after losing its compositor; want an error, for the unit to restart it")
	}
	if !strings.Contains(k.logs.String(), "compositor is gone") {
		t.Errorf("the log does not say the compositor is gone")
	}
	a := k.nextAudit(5 * time.Second)
	if a["session_id"] != s.SessionID || a["wipe_verified"] != true {
		t.Errorf("audit = %v, want session %s ended with a verified wipe", a, s.SessionID)
	}
	if entries, _ := os.ReadDir(filepath.Join(k.Dir, "sessions")); len(entries) != 0 {
		t.Errorf("the session directory holds %d entries after the kiosk stopped", len(entries))
	}
}
