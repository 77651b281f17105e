package shellproc

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/carekiosk/carekiosk/internal/procfs"
)

// KillLeftovers kills every process an earlier run left behind in the session directory, and
// waits until they are gone: the cgroups of its shells, and any process with a session
// directory as its working directory or in its environment. A supervisor killed with SIGKILL
// takes its shells with it (Pdeathsig), but not always their WebKit processes (a stopped one,
// one that does not notice its parent went). An error means one is still alive: the kiosk can't
// vouch for the machine.
func (c *Containment) KillLeftovers(log *slog.Logger) error {
	if c.cgroups != "" {
		entries, err := os.ReadDir(c.cgroups)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reading the shells' cgroup: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			log.Warn("removing a shell's cgroup left by an earlier run", "cgroup", e.Name())
			if err := removeCgroup(filepath.Join(c.cgroups, e.Name()), groupGoneWithin); err != nil {
				return err
			}
		}
	}
	// Inside the session directory, not the directory itself (a technician's shell in it).
	inRoot := func(q procfs.Proc) bool {
		return mentions(q.PID, func(s string) bool { return strings.Contains(s, c.root+"/") })
	}
	pids := find(inRoot)
	if len(pids) == 0 {
		return nil
	}
	log.Warn("killing browser processes left by an earlier run", "pids", pids)
	if alive := killUntilGone(func() []int { return find(inRoot) }, groupGoneWithin); len(alive) > 0 {
		return fmt.Errorf("processes %v left by an earlier run in %s are still alive", alive, c.root)
	}
	return nil
}
