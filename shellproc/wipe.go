package shellproc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/carekiosk/carekiosk/internal/procfs"
)

// groupGoneWithin bounds how long killed processes may take to disappear.
const groupGoneWithin = 5 * time.Second

// Wipe kills every process of the shell, deletes its directory, and then proves both: no process
// of it is alive — in its cgroup, its process group, or with its directory as working directory
// or in its environment — and no file of the session is left. A non-nil error means the kiosk
// can't vouch for the machine and must go out of service.
func (p *Proc) Wipe() error {
	p.Kill()
	select {
	case <-p.exited:
	case <-time.After(groupGoneWithin):
		return fmt.Errorf("shell %d did not exit after SIGKILL", p.PID())
	}
	if err := p.removeCgroup(); err != nil {
		return err
	}
	pgid, dir := p.PID(), p.Dir
	members := func() []int {
		return find(func(q procfs.Proc) bool { return q.PGrp == pgid || Uses(q.PID, dir) })
	}
	if alive := killUntilGone(members, groupGoneWithin); len(alive) > 0 {
		return fmt.Errorf("processes %v of session %s still alive", alive, p.ID)
	}
	if err := os.RemoveAll(p.Dir); err != nil {
		return fmt.Errorf("deleting session directory: %w", err)
	}
	if _, err := os.Lstat(p.Dir); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("session directory %s still exists after deletion", p.Dir)
	}
	return nil
}

// killUntilGone SIGKILLs the processes list finds until it finds none, or within has passed; it
// returns those still alive then. It polls /proc: there is no event for the death of a process
// that is not a child.
func killUntilGone(list func() []int, within time.Duration) []int {
	deadline := time.Now().Add(within)
	for {
		alive := list()
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		for _, pid := range alive {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// find lists the live processes (not zombies, not this one) match picks, reaping this process's
// own zombies on the way (it is a child subreaper: a shell's orphans end up its children; they
// hold no data).
func find(match func(procfs.Proc) bool) []int {
	var alive []int
	for _, q := range procfs.All() {
		switch {
		case q.PID == os.Getpid() || !match(q):
		case q.Zombie() && q.PPID == os.Getpid():
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(q.PID, &ws, syscall.WNOHANG, nil)
		case !q.Zombie():
			alive = append(alive, q.PID)
		}
	}
	return alive
}

// Uses reports whether process pid has dir, or a directory in it, as its working directory or
// in a variable of its environment (HOME, XDG_RUNTIME_DIR, a bus address in it, …): a browser's
// processes inherit both from the shell, and keep them across setsid and double forks.
func Uses(pid int, dir string) bool {
	dir = filepath.Clean(dir)
	return mentions(pid, func(s string) bool { return s == dir || strings.Contains(s, dir+"/") })
}

// mentions reports whether in holds for process pid's working directory or the value of a
// variable of its environment.
func mentions(pid int, in func(string) bool) bool {
	if in(procfs.Cwd(pid)) {
		return true
	}
	for _, kv := range procfs.Environ(pid) {
		if _, v, _ := strings.Cut(kv, "="); in(v) {
			return true
		}
	}
	return false
}
