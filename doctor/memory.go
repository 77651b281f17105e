package doctor

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Swap is an active swap area and whether what is written to it stays private.
type Swap struct {
	Name string // as /proc/swaps names it: a device or a file
	Kind string // "partition" or "file"
	// Private says why its contents never reach a disk in the clear ("in memory (zram)",
	// "encrypted (dm-crypt)"), or is "" when nothing shows that they don't.
	Private string
}

// checkSwap: a patient's pages — the browser's heap, the session directory's tmpfs — must not be
// written to a disk in the clear. The unit sets MemorySwapMax=0, which only cgroup v2 enforces;
// an unencrypted swap area fails here whatever the cgroups.
func checkSwap(e *Env, st *state) Result {
	r := Result{Check: "swap"}
	swaps, err := e.Swaps()
	if err != nil {
		r.Level, r.Msg = Fail, "cannot tell which swap areas are active: "+err.Error()
		r.Fix = "check /proc/swaps"
		return r
	}
	var private, exposed []string
	for _, s := range swaps {
		if s.Private != "" {
			private = append(private, s.Name+" "+s.Private)
		} else {
			exposed = append(exposed, s.Name+" ("+s.Kind+")")
		}
	}
	switch {
	case len(exposed) > 0:
		r.Level = Fail
		r.Msg = "swap on " + strings.Join(exposed, ", ") + " is not encrypted: a patient's pages can be written to disk"
		r.Fix = "turn it off (swapoff, and remove it from /etc/fstab), or swap to memory (apt install systemd-zram-generator), " +
			"or encrypt it with a new key at each boot (/etc/crypttab: NAME DEVICE /dev/urandom swap,cipher=aes-xts-plain64,size=512)"
	case len(private) > 0:
		r.Level, r.Msg = OK, "swap only on "+strings.Join(private, ", ")
	default:
		r.Level, r.Msg = OK, "no swap: memory stays in RAM"
	}
	return r
}

// checkCoreDump: a browser's core dump would put a patient's record on disk. The unit sets
// LimitCORE=0, which the kernel honours for core files but ignores when core_pattern pipes the
// dump to a program: then only a collector that honours the limit itself keeps it off disk.
func checkCoreDump(e *Env, st *state) Result {
	r := Result{Check: "coredump"}
	pattern, err := e.Sysctl("kernel.core_pattern")
	if err != nil {
		r.Level, r.Msg, r.Fix = Fail, "cannot read kernel.core_pattern: "+err.Error(), "check /proc/sys/kernel/core_pattern"
		return r
	}
	prog, piped := strings.CutPrefix(pattern, "|")
	collector, _, _ := strings.Cut(strings.TrimSpace(prog), " ")
	switch {
	case !piped:
		r.Level, r.Msg = OK, "core files, which the unit's LimitCORE=0 turns off"
	case filepath.Base(collector) == "systemd-coredump":
		r.Level, r.Msg = OK, "systemd-coredump, which honours the unit's LimitCORE=0"
	default:
		r.Level = Fail
		r.Msg = "core dumps are piped to " + collector + ", which may store a browser's memory whatever the unit's LimitCORE=0"
		r.Fix = "apt install systemd-coredump, or set kernel.core_pattern=core in /etc/sysctl.d/"
	}
	return r
}

// Sysctl reads kernel setting name ("kernel.core_pattern") from /proc/sys.
func Sysctl(name string) (string, error) {
	b, err := os.ReadFile("/proc/sys/" + strings.ReplaceAll(name, ".", "/"))
	return strings.TrimSpace(string(b)), err
}

// ActiveSwaps lists the swap areas of /proc/swaps, each judged through /sys/dev/block.
func ActiveSwaps() ([]Swap, error) {
	f, err := os.Open("/proc/swaps")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return swapsFrom(f, "/sys/dev/block", blockDevice)
}

// blockDevice is the block device that holds a swap area: the device itself for a partition,
// the one its file system is on for a file.
func blockDevice(name, kind string) (uint64, error) {
	var st unix.Stat_t
	if err := unix.Stat(name, &st); err != nil {
		return 0, err
	}
	if kind == "partition" {
		return st.Rdev, nil
	}
	return st.Dev, nil
}

// swapsFrom reads a /proc/swaps listing and judges each area by the block device dev says
// holds it, in the sysfs directory sysDevBlock (/sys/dev/block: MAJOR:MINOR entries).
func swapsFrom(f *os.File, sysDevBlock string, dev func(name, kind string) (uint64, error)) ([]Swap, error) {
	var out []Swap
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		s := Swap{Name: strings.ReplaceAll(fields[0], `\040`, " "), Kind: fields[1]}
		if d, err := dev(s.Name, s.Kind); err == nil {
			s.Private = private(filepath.Join(sysDevBlock, fmt.Sprintf("%d:%d", unix.Major(d), unix.Minor(d))), 0)
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

// private says why the block device at sysfs directory dir keeps its contents private: it is
// RAM (zram), dm-crypt, or built on one (LVM on LUKS: through its slaves); "" when none is.
func private(dir string, depth int) string {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil || depth > 8 {
		return ""
	}
	if strings.HasPrefix(filepath.Base(real), "zram") {
		return "in memory (zram)"
	}
	if uuid, err := os.ReadFile(filepath.Join(real, "dm", "uuid")); err == nil && strings.HasPrefix(string(uuid), "CRYPT-") {
		return "encrypted (dm-crypt)"
	}
	slaves, _ := os.ReadDir(filepath.Join(real, "slaves"))
	if len(slaves) == 0 {
		return "" // a disk or a partition
	}
	for _, s := range slaves {
		if why := private(filepath.Join(real, "slaves", s.Name()), depth+1); why == "" {
			return "" // one clear slave is enough to leak
		}
	}
	return "encrypted (dm-crypt, below " + filepath.Base(real) + ")"
}
