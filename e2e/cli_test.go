package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/session"
)

// runCLI runs the carekiosk binary.
func runCLI(args ...string) (string, error) {
	out, err := exec.Command(binary, args...).CombinedOutput()
	return string(out), err
}

func killGroupLeader(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }

// TestBrokenConfigDoesNotStart: a config error names file and line, and the kiosk does not start.
func TestBrokenConfigDoesNotStart(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "kiosk.toml")
	writeFile(t, cfg, []byte("start_url = \"https://records.example.org/\"\nallowed_hosts = [\"records.example.org\"]\n\n[session]\nidel_timeout = \"2m\"\n"))
	for _, args := range [][]string{{"check-config", cfg}, {"run", "-config", cfg}} {
		out, err := runCLI(args...)
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("carekiosk %s: err %v, want exit status 1", strings.Join(args, " "), err)
		}
		if !strings.Contains(out, cfg+":5: ") || !strings.Contains(out, "idel_timeout") {
			t.Errorf("carekiosk %s printed %q, want %s:5: about idel_timeout", strings.Join(args, " "), out, cfg)
		}
	}
}

// TestUnitCommands: what the unit runs on a running kiosk, as `systemctl reload` and `systemctl
// stop` would. A SIGHUP (a terminal hang-up) changes nothing; `carekiosk reload` refuses a broken
// file with its problems and exit status 1, and applies a good one; `carekiosk stop` during a
// session returns once the kiosk has ended it — audited as shutdown, wiped, verified — and exited.
func TestUnitCommands(t *testing.T) {
	k := startKiosk(t, quick)
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)

	k.Cmd.Process.Signal(syscall.SIGHUP)
	waitUntil(t, 10*time.Second, "the SIGHUP logged", func() bool { return strings.Contains(k.logs.String(), "SIGHUP ignored") })
	if _, err := k.Status(); err != nil {
		t.Fatalf("after a SIGHUP the kiosk no longer answers: %v", err)
	}

	good, err := os.ReadFile(k.Config)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, k.Config, append(append([]byte{}, good...), "\n[help]\nprovider_nmae = \"x\"\n"...))
	out, err := runCLI("reload", "-config", k.Config)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(out, k.Config+":") || !strings.Contains(out, "provider_nmae") {
		t.Errorf("carekiosk reload of a broken file: %v %q, want exit status 1 and FILE:LINE about provider_nmae", err, out)
	}
	// The kiosk itself refused it (and counted it), not just the command.
	waitUntil(t, 10*time.Second, "the refusal logged", func() bool { return strings.Contains(k.logs.String(), "config reload refused") })
	writeFile(t, k.Config, good)
	if out, err := runCLI("reload", "-config", k.Config); err != nil || !strings.Contains(out, "config reloaded") {
		t.Errorf("carekiosk reload of a good file: %v %q", err, out)
	}
	// The log comes through a pipe, after the reply: awaited, not read at once.
	waitUntil(t, 10*time.Second, "the reload logged", func() bool { return strings.Contains(k.logs.String(), "config reloaded") })

	k.swipe("29990012345678")
	s := k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	if out, err := runCLI("stop", "-config", k.Config); err != nil {
		t.Fatalf("carekiosk stop: %v %s", err, out)
	}
	select {
	case <-k.Exited:
	case <-time.After(5 * time.Second):
		t.Fatal("carekiosk stop returned while the kiosk still runs")
	}
	if a := k.nextAudit(5 * time.Second); a["reason"] != "shutdown" || a["wipe_verified"] != true {
		t.Errorf("audit = %v, want shutdown, verified", a)
	}
	if _, err := os.Stat(filepath.Join(k.Dir, "sessions", s.SessionID)); !os.IsNotExist(err) {
		t.Errorf("the session's directory is still there (stat: %v)", err)
	}
	if out, err := runCLI("stop", "-config", k.Config); err != nil {
		t.Errorf("carekiosk stop with no kiosk running: %v %s, want success", err, out)
	}
}

// TestWatchdogAbortIsOneLine: systemd's watchdog ends a hung kiosk with SIGABRT; the journal
// gets one line saying so, not Go's dump of every goroutine.
func TestWatchdogAbortIsOneLine(t *testing.T) {
	k := startKiosk(t, quick)
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.Cmd.Process.Signal(syscall.SIGABRT)
	select {
	case <-k.Exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the kiosk did not end on SIGABRT")
	}
	logs := k.logs.String()
	if !strings.Contains(logs, "stopped by the watchdog") || strings.Contains(logs, "goroutine ") {
		t.Errorf("log after SIGABRT:\n%s\nwant one line about the watchdog and no goroutine dump", logs)
	}
	if code := k.Cmd.ProcessState.ExitCode(); code != 134 {
		t.Errorf("exit status %d, want 134", code)
	}
}
