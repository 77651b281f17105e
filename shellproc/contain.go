package shellproc

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// The mechanisms that keep track of a shell's processes, as status and doctor name them.
const (
	// Cgroup: each shell runs in a cgroup of its own, made in the kiosk's delegated cgroup v2
	// subtree (the unit's Delegate=yes). No process can leave it, whatever it does (setsid,
	// double forks, a new HOME); the end kills it whole with cgroup.kill, and the kernel's
	// refusal to remove a cgroup with a process in it is the proof.
	Cgroup = "cgroup"
	// Directory: where the kiosk has no cgroup of its own to divide (not run by its unit, cgroup
	// v1, no delegation), a shell's processes are found in /proc by its process group and by its
	// session directory in their working directory or environment (HOME, XDG_RUNTIME_DIR, …). A
	// process that leaves the group and changes all of those is not seen: the unit is the
	// supported way to run the kiosk.
	Directory = "session-directory"
)

// Containment starts the shells of one session directory and keeps track of their processes.
type Containment struct {
	root    string // the session directory: one directory per shell in it
	cgroups string // the cgroup the shells' cgroups are made in; "" when by Directory
	why     string // why not by cgroup
}

// Contain prepares to start shells in root: in cgroups where this process's own cgroup v2 can
// be divided (it makes the shells' parent cgroup there), else by directory.
func Contain(root string) *Containment {
	c := &Containment{root: filepath.Clean(root)}
	own, err := ownCgroup()
	if err == nil {
		err = usable(own)
	}
	if err == nil {
		// One parent per session directory: kiosks (and tests) sharing a cgroup keep apart.
		sum := sha256.Sum256([]byte(c.root))
		c.cgroups = filepath.Join(own, "carekiosk-"+hex.EncodeToString(sum[:4]))
		err = c.makeParent()
	}
	if err != nil {
		c.cgroups, c.why = "", err.Error()
	}
	return c
}

// makeParent makes the cgroup the shells' cgroups are made in, and checks the kernel can kill
// a cgroup whole (cgroup.kill, Linux 5.14).
func (c *Containment) makeParent() error {
	if err := os.Mkdir(c.cgroups, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("making the shells' cgroup: %w", err)
	}
	if _, err := os.Stat(filepath.Join(c.cgroups, "cgroup.kill")); err != nil {
		return errors.New("the kernel can't kill a cgroup whole (no cgroup.kill: Linux 5.14 or later needed)")
	}
	return nil
}

// ByDirectory prepares to start shells in root, found by directory only.
func ByDirectory(root, why string) *Containment {
	return &Containment{root: filepath.Clean(root), why: why}
}

// Close removes the shells' parent cgroup, once every shell is wiped.
func (c *Containment) Close() error {
	if c.cgroups == "" {
		return nil
	}
	if err := unix.Rmdir(c.cgroups); err != nil && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("removing the shells' cgroup: %w", err)
	}
	return nil
}

// Mechanism is Cgroup or Directory.
func (c *Containment) Mechanism() string {
	if c.cgroups != "" {
		return Cgroup
	}
	return Directory
}

// Why says why shells are not contained by cgroup ("" when they are).
func (c *Containment) Why() string { return c.why }

// ownCgroup finds this process's cgroup v2 directory.
func ownCgroup() (string, error) { return cgroupOf("self") }

// cgroupOf finds the cgroup v2 directory of process pid ("self" for this one): its "0::" line in
// /proc/PID/cgroup, under the mount point of the cgroup2 file system (/sys/fs/cgroup, or
// /sys/fs/cgroup/unified on a hybrid system).
func cgroupOf(pid string) (string, error) {
	b, err := os.ReadFile("/proc/" + pid + "/cgroup")
	if err != nil {
		return "", err
	}
	path := ""
	for _, l := range strings.Split(string(b), "\n") {
		if p, ok := strings.CutPrefix(l, "0::"); ok {
			path = p
		}
	}
	if path == "" {
		return "", errors.New("no cgroup v2 hierarchy (cgroup v1 only)")
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return "", err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		// "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - FSTYPE SOURCE SUPEROPTIONS"
		pre, post, ok := strings.Cut(s.Text(), " - ")
		fields := strings.Fields(pre)
		if !ok || len(fields) < 5 || !strings.HasPrefix(post, "cgroup2 ") {
			continue
		}
		rel, ok := strings.CutPrefix(path, fields[3])
		if !ok {
			continue
		}
		return filepath.Join(unescapeMount(fields[4]), rel), nil
	}
	return "", errors.New("the cgroup2 file system is not mounted")
}

// unescapeMount undoes mountinfo's octal escapes of space, tab, newline and backslash.
func unescapeMount(s string) string {
	return strings.NewReplacer(`\040`, " ", `\011`, "\t", `\012`, "\n", `\134`, `\`).Replace(s)
}

// usable reports why own can't hold the shells' cgroups: this process must be able to make
// cgroups in it and to move a process from it into them (write its cgroup.procs).
func usable(own string) error {
	for _, f := range []string{own, filepath.Join(own, "cgroup.procs")} {
		if err := unix.Access(f, unix.W_OK); err != nil {
			return fmt.Errorf("cgroup %s is not delegated to the kiosk (%s: %v): run it from its unit, which has Delegate=yes", own, filepath.Base(f), err)
		}
	}
	return nil
}

// makeCgroup makes p's own cgroup and returns it open, for the shell to start in; nil when by
// directory.
func (c *Containment) makeCgroup(p *Proc) (*os.File, error) {
	if c.cgroups == "" {
		return nil, nil
	}
	dir := filepath.Join(c.cgroups, p.ID)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("making the shell's cgroup: %w", err)
	}
	p.cgroup = dir
	f, err := os.OpenFile(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		p.removeCgroup()
		return nil, fmt.Errorf("opening the shell's cgroup: %w", err)
	}
	return f, nil
}

// removeCgroup kills and removes p's cgroup, if it has one.
func (p *Proc) removeCgroup() error {
	if p.cgroup == "" {
		return nil
	}
	return removeCgroup(p.cgroup, groupGoneWithin)
}

// removeCgroup kills every process of cgroup dir, waits until it has none and removes it. The
// kernel refuses to remove a cgroup with a live process in it: a nil error is the proof.
func removeCgroup(dir string, within time.Duration) error {
	if err := os.WriteFile(filepath.Join(dir, "cgroup.kill"), []byte("1"), 0); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			if _, serr := os.Stat(dir); errors.Is(serr, os.ErrNotExist) {
				return nil // removed already
			}
		}
		return fmt.Errorf("killing cgroup %s: %w", dir, err)
	}
	if err := awaitEmpty(dir, within); err != nil {
		return err
	}
	if err := unix.Rmdir(dir); err != nil {
		return fmt.Errorf("removing cgroup %s: %w", dir, err)
	}
	return nil
}

// awaitEmpty waits until cgroup dir has no live process, as its cgroup.events says ("populated
// 0"); the kernel signals each change of it as a modification of that file.
func awaitEmpty(dir string, within time.Duration) error {
	events := filepath.Join(dir, "cgroup.events")
	in, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return fmt.Errorf("watching cgroup %s: %w", dir, err)
	}
	defer unix.Close(in)
	if _, err := unix.InotifyAddWatch(in, events, unix.IN_MODIFY); err != nil {
		return fmt.Errorf("watching cgroup %s: %w", dir, err)
	}
	deadline := time.Now().Add(within)
	buf := make([]byte, 4096)
	for {
		b, err := os.ReadFile(events)
		if err != nil {
			return fmt.Errorf("reading %s: %w", events, err)
		}
		if bytes.Contains(b, []byte("populated 0")) {
			return nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			procs, _ := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
			return fmt.Errorf("processes %s of cgroup %s still alive", strings.Fields(string(procs)), dir)
		}
		fds := []unix.PollFd{{Fd: int32(in), Events: unix.POLLIN}}
		if _, err := unix.Poll(fds, int(left.Milliseconds())+1); err != nil && !errors.Is(err, unix.EINTR) {
			return fmt.Errorf("watching cgroup %s: %w", dir, err)
		}
		_, _ = unix.Read(in, buf) // drain; the file is read again above
	}
}
