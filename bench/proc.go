package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Process-tree figures from /proc: the kiosk's supervisor and every descendant (its shells and
// their WebKitWebProcess and WebKitNetworkProcess), or a baseline browser and its own.

// proc is one line of /proc/PID/stat, the fields the bench needs.
type proc struct {
	pid, ppid, pgrp int
	state           string
	ticks           uint64 // utime + stime, clock ticks
}

func readProc(pid int) (proc, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return proc{}, false
	}
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return proc{}, false
	}
	p := proc{pid: pid, state: f[0]}
	p.ppid, _ = strconv.Atoi(f[1])
	p.pgrp, _ = strconv.Atoi(f[2])
	ut, _ := strconv.ParseUint(f[11], 10, 64)
	st, _ := strconv.ParseUint(f[12], 10, 64)
	p.ticks = ut + st
	return p, true
}

func allProcs() []proc {
	entries, _ := os.ReadDir("/proc")
	var out []proc
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			if p, ok := readProc(pid); ok {
				out = append(out, p)
			}
		}
	}
	return out
}

// tree is root and its live descendants.
func tree(root int) []proc {
	all := allProcs()
	kids := map[int][]proc{}
	var top proc
	found := false
	for _, p := range all {
		kids[p.ppid] = append(kids[p.ppid], p)
		if p.pid == root {
			top, found = p, true
		}
	}
	if !found {
		return nil
	}
	out := []proc{top}
	for i := 0; i < len(out); i++ {
		out = append(out, kids[out[i].pid]...)
	}
	live := out[:0]
	for _, p := range out {
		if p.state != "Z" {
			live = append(live, p)
		}
	}
	return live
}

// treePSS is the sum of Pss over root's tree, in KiB.
func treePSS(root int) int {
	sum := 0
	for _, p := range tree(root) {
		sum += statusField(filepath.Join("/proc", strconv.Itoa(p.pid), "smaps_rollup"), "Pss:")
	}
	return sum
}

// treeTicks is the CPU time used so far by root's tree (live processes), in clock ticks.
func treeTicks(root int) uint64 {
	var sum uint64
	for _, p := range tree(root) {
		sum += p.ticks
	}
	return sum
}

// rss is VmRSS of pid, in KiB.
func rss(pid int) int {
	return statusField(filepath.Join("/proc", strconv.Itoa(pid), "status"), "VmRSS:")
}

// statusField reads "Name:   1234 kB" from a /proc file.
func statusField(file, name string) int {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), name); ok {
			n, _ := strconv.Atoi(strings.Fields(rest)[0])
			return n
		}
	}
	return 0
}

// clockTicks is USER_HZ: 100 on every Linux Go supports.
const clockTicks = 100
