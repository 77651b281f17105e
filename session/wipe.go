package session

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
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
	deadline := time.Now().Add(within)
	for {
		alive := groupMembers(pgid)
		if len(alive) == 0 {
			return nil
		}
		for _, pid := range alive {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("processes %v of session group %d still alive", alive, pgid)
		}
		time.Sleep(20 * time.Millisecond) // polling /proc: there is no event for another process's death
	}
}

// groupMembers lists the live (not zombie) processes of group pgid, reaping our own zombies.
func groupMembers(pgid int) []int {
	entries, _ := os.ReadDir("/proc")
	var alive []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) < 3 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		if f[0] == "Z" {
			if f[1] == strconv.Itoa(os.Getpid()) {
				var ws syscall.WaitStatus
				_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
			}
			continue
		}
		alive = append(alive, pid)
	}
	return alive
}
