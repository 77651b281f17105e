package session

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/carekiosk/carekiosk/internal/procfs"
)

// groupGoneWithin bounds how long a killed process group may take to disappear.
const groupGoneWithin = 5 * time.Second

// wipe kills sh's process group, deletes its directory, and then proves both: no process of the
// group is alive and no file of the session is left. A non-nil error means the kiosk can't
// vouch for the machine and must go out of service.
func wipe(sh *shell) error {
	sh.kill()
	select {
	case <-sh.exited:
	case <-time.After(groupGoneWithin):
		return fmt.Errorf("shell %d did not exit after SIGKILL", sh.cmd.Process.Pid)
	}
	if err := awaitGroupGone(sh.cmd.Process.Pid, groupGoneWithin); err != nil {
		return err
	}
	if err := os.RemoveAll(sh.dir); err != nil {
		return fmt.Errorf("deleting session directory: %w", err)
	}
	if _, err := os.Lstat(sh.dir); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("session directory %s still exists after deletion", sh.dir)
	}
	return nil
}

// awaitGroupGone waits until no live process is in process group pgid. Zombies left to this
// process (it is a child subreaper) are reaped on the way; they hold no data.
func awaitGroupGone(pgid int, within time.Duration) error {
	if alive := killUntilGone(func() []int { return groupMembers(pgid) }, within); len(alive) > 0 {
		return fmt.Errorf("processes %v of session group %d still alive", alive, pgid)
	}
	return nil
}

// killUntilGone SIGKILLs the processes find lists until it lists none, or within has passed; it
// returns those still alive then. It polls /proc: there is no event for another process's death.
func killUntilGone(find func() []int, within time.Duration) []int {
	deadline := time.Now().Add(within)
	for {
		alive := find()
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		for _, pid := range alive {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// groupMembers lists the live (not zombie) processes of group pgid, reaping our own zombies.
func groupMembers(pgid int) []int {
	var alive []int
	for _, p := range procfs.All() {
		switch {
		case p.PGrp != pgid:
		case p.Zombie() && p.PPID == os.Getpid():
			var ws syscall.WaitStatus
			_, _ = syscall.Wait4(p.PID, &ws, syscall.WNOHANG, nil)
		case !p.Zombie():
			alive = append(alive, p.PID)
		}
	}
	return alive
}
