package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
