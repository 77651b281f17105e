package session

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/carekiosk/carekiosk/internal/procfs"
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
	if alive := killUntilGone(func() []int { return leftovers(root) }, groupGoneWithin); len(alive) > 0 {
		return fmt.Errorf("processes %v left by an earlier run in %s are still alive", alive, root)
	}
	return nil
}

// leftovers lists the live processes (not zombies, not this one) whose HOME or working
// directory is inside root.
func leftovers(root string) []int {
	root = filepath.Clean(root) + "/"
	inside := func(dir string) bool { return strings.HasPrefix(dir, root) } // a session directory or below
	var found []int
	for _, p := range procfs.All() {
		if p.PID != os.Getpid() && !p.Zombie() && (inside(procfs.Cwd(p.PID)) || inside(procfs.Home(p.PID))) {
			found = append(found, p.PID)
		}
	}
	return found
}
