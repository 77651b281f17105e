package session

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// killLeftovers kills every process an earlier run left behind in session_dir and waits until
// they are gone. Each shell runs with its own directory under root as HOME and working
// directory, and its browser processes inherit both, so they are found by either in /proc:
// a supervisor killed with SIGKILL takes its shells with it (Pdeathsig), but not always their
// WebKit processes (a stopped one, one that does not notice its parent went). An error means
// one is still alive: the kiosk can't vouch for the machine.
func killLeftovers(root string, log *slog.Logger) error {
	pids := leftovers(root)
	if len(pids) == 0 {
		return nil
	}
	log.Warn("killing browser processes left by an earlier run", "pids", pids)
	deadline := time.Now().Add(groupGoneWithin)
	for {
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
		if pids = leftovers(root); len(pids) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("processes %v left by an earlier run in %s are still alive", pids, root)
		}
	}
}

// leftovers lists the live processes (not zombies, not this one) whose HOME or working
// directory is inside root.
func leftovers(root string) []int {
	root = filepath.Clean(root) + "/"
	entries, _ := os.ReadDir("/proc")
	var found []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		dir := filepath.Join("/proc", e.Name())
		stat, err := os.ReadFile(filepath.Join(dir, "stat"))
		if err != nil {
			continue
		}
		if f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:])); len(f) > 0 && f[0] == "Z" {
			continue
		}
		cwd, _ := os.Readlink(filepath.Join(dir, "cwd"))
		if strings.HasPrefix(cwd, root) || homeIn(filepath.Join(dir, "environ"), root) {
			found = append(found, pid)
		}
	}
	return found
}

// homeIn reports whether the environment file of a process sets HOME inside root.
func homeIn(environ, root string) bool {
	b, err := os.ReadFile(environ)
	if err != nil {
		return false
	}
	for _, kv := range bytes.Split(b, []byte{0}) {
		if h, ok := bytes.CutPrefix(kv, []byte("HOME=")); ok {
			return strings.HasPrefix(string(h)+"/", root)
		}
	}
	return false
}
