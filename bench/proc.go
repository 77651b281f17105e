package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/carekiosk/carekiosk/internal/procfs"
)

// Process-tree figures from /proc: the kiosk's supervisor and every descendant (its shells and
// their WebKitWebProcess and WebKitNetworkProcess), or a baseline browser and its own.

// tree is root and its live descendants.
func tree(root int) []procfs.Proc {
	all := procfs.All()
	kids := map[int][]procfs.Proc{}
	var top procfs.Proc
	found := false
	for _, p := range all {
		kids[p.PPID] = append(kids[p.PPID], p)
		if p.PID == root {
			top, found = p, true
		}
	}
	if !found {
		return nil
	}
	out := []procfs.Proc{top}
	for i := 0; i < len(out); i++ {
		out = append(out, kids[out[i].PID]...)
	}
	live := out[:0]
	for _, p := range out {
		if !p.Zombie() {
			live = append(live, p)
		}
	}
	return live
}

// treePSS is the sum of Pss over root's tree, in KiB.
func treePSS(root int) int {
	sum := 0
	for _, p := range tree(root) {
		sum += statusField(filepath.Join("/proc", strconv.Itoa(p.PID), "smaps_rollup"), "Pss:")
	}
	return sum
}

// treeTicks is the CPU time used so far by root's tree (live processes), in clock ticks.
func treeTicks(root int) uint64 {
	var sum uint64
	for _, p := range tree(root) {
		sum += p.Ticks
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
