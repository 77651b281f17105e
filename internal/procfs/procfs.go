// Package procfs reads the processes of /proc: enough to find a session's processes (by group,
// working directory or environment) and to measure them.
package procfs

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Proc is one process, from /proc/PID/stat.
type Proc struct {
	PID, PPID, PGrp int
	State           string // "R", "S", "Z" (zombie), …
	Ticks           uint64 // user + system CPU time, clock ticks
}

// Zombie reports whether the process has exited and waits to be reaped.
func (p Proc) Zombie() bool { return p.State == "Z" }

// Read reads one process; false when it is gone.
func Read(pid int) (Proc, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return Proc{}, false
	}
	// "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return Proc{}, false
	}
	p := Proc{PID: pid, State: f[0]}
	p.PPID, _ = strconv.Atoi(f[1])
	p.PGrp, _ = strconv.Atoi(f[2])
	ut, _ := strconv.ParseUint(f[11], 10, 64)
	st, _ := strconv.ParseUint(f[12], 10, 64)
	p.Ticks = ut + st
	return p, true
}

// All reads every process.
func All() []Proc {
	entries, _ := os.ReadDir("/proc")
	var out []Proc
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			if p, ok := Read(pid); ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// Cwd is the process's working directory ("" when it can't be read).
func Cwd(pid int) string {
	d, _ := os.Readlink(filepath.Join("/proc", strconv.Itoa(pid), "cwd"))
	return d
}

// Environ is the process's environment, as "KEY=value" entries (nil when it can't be read).
func Environ(pid int) []string {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "environ"))
	if err != nil {
		return nil
	}
	var env []string
	for _, kv := range bytes.Split(b, []byte{0}) {
		if len(kv) > 0 {
			env = append(env, string(kv))
		}
	}
	return env
}
