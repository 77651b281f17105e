package shellproc

import (
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/procfs"
	"github.com/carekiosk/carekiosk/wire"
)

// The test binary stands in for the browser shell (the os/exec TestMain trick): real processes,
// real cgroups where this machine gives the tests some, no display.
func TestMain(m *testing.M) {
	switch os.Getenv("SHELLPROC_TEST") {
	case "shell":
		escapingShell()
	case "escapee":
		select {} // until killed
	default:
		os.Exit(m.Run())
	}
}

// escapingShell does what a browser's helpers can do: it starts two processes that leave its
// process group and session with setsid and outlive it. One keeps the environment and working
// directory it inherited (as an autolaunched dbus-daemon does); the other leaves those too, so
// that only a cgroup still knows it. It reports their pids as its ready event's detail.
func escapingShell() {
	c := wire.NewConn(os.NewFile(3, "supervisor"))
	var init wire.Init
	if c.Receive(&init) != nil {
		os.Exit(2)
	}
	var pids []string
	for _, far := range []bool{false, true} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "SHELLPROC_TEST=escapee")
		if far {
			cmd.Env, cmd.Dir = []string{"SHELLPROC_TEST=escapee", "HOME=/"}, "/"
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if cmd.Start() != nil {
			os.Exit(3)
		}
		pids = append(pids, strconv.Itoa(cmd.Process.Pid))
	}
	c.Send(wire.Event{Ev: wire.EvReady, Detail: strings.Join(pids, " ")})
	select {} // until killed
}

// start starts an escaping shell under c and returns it with the pids of its escapees: the one
// that kept the session's directory, and the one that left it.
func start(t *testing.T, c *Containment) (*Proc, []int) {
	t.Helper()
	events := make(chan wire.Event, 4)
	p, err := c.Start(Spec{Argv: []string{os.Args[0]}, Env: []string{"SHELLPROC_TEST=shell"}},
		func(ev wire.Event) { events <- ev }, func() {})
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	select {
	case ev := <-events:
		for _, f := range strings.Fields(ev.Detail) {
			pid, _ := strconv.Atoi(f)
			pids = append(pids, pid)
			t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the shell did not start its escapees")
	}
	if len(pids) != 2 {
		t.Fatalf("escapees %v, want 2", pids)
	}
	return p, pids
}

// alive reports whether pid is a live process (not gone, not a zombie).
func alive(pid int) bool {
	p, ok := procfs.Read(pid)
	return ok && !p.Zombie()
}

// cgroups returns a Containment by cgroup in dir, or skips: the tests get a cgroup to divide as
// root on a machine with a writable cgroup v2 (the CI machine's hybrid unified hierarchy); the
// boot test proves it under the unit's delegation.
func cgroups(t *testing.T, dir string) *Containment {
	t.Helper()
	c := Contain(dir)
	if c.Mechanism() != Cgroup {
		t.Skipf("no cgroup to divide here: %s", c.Why())
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// TestCgroupWipeLeavesNoEscapee: a shell's processes that left its group and session, one
// even its directory, die with it, and the wipe is proven by the cgroup's removal.
func TestCgroupWipeLeavesNoEscapee(t *testing.T) {
	c := cgroups(t, t.TempDir())
	p, pids := start(t, c)
	if got, _ := cgroupOf(strconv.Itoa(pids[1])); got != p.cgroup {
		t.Errorf("the escapee that left everything is in cgroup %q, want the shell's %q", got, p.cgroup)
	}
	if err := p.Wipe(); err != nil {
		t.Fatalf("wipe: %v", err)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("escapee %d outlived the wipe", pid)
		}
	}
	if _, err := os.Stat(p.cgroup); !os.IsNotExist(err) {
		t.Errorf("the shell's cgroup is still there (stat: %v)", err)
	}
	if _, err := os.Stat(p.Dir); !os.IsNotExist(err) {
		t.Errorf("the session directory is still there (stat: %v)", err)
	}
}

// TestDirectoryWipeFindsWhatLeftTheGroup: without cgroups, a process that left the shell's
// group with setsid but kept its environment (an autolaunched bus) is found by the session's
// directory in it, and killed.
func TestDirectoryWipeFindsWhatLeftTheGroup(t *testing.T) {
	c := ByDirectory(t.TempDir(), "a test")
	p, pids := start(t, c)
	if err := p.Wipe(); err != nil {
		t.Fatalf("wipe: %v", err)
	}
	if alive(pids[0]) {
		t.Errorf("the escapee with the session's environment outlived the wipe")
	}
	// The one that left the directory too is beyond this mechanism: the reason for cgroups.
}

// TestLeftoverCgroupsAreKilled: a shell's cgroup left by a supervisor that died is emptied
// and removed by the next one's start-up sweep.
func TestLeftoverCgroupsAreKilled(t *testing.T) {
	dir := t.TempDir()
	_, pids := start(t, cgroups(t, dir))
	if err := Contain(dir).KillLeftovers(slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("leftover %d still alive", pid)
		}
	}
}

// TestNoCgroupNoShell: where the shell's cgroup can't be made, no shell starts and nothing is
// left: the kiosk fails closed with the reason.
func TestNoCgroupNoShell(t *testing.T) {
	root := t.TempDir()
	c := &Containment{root: root, cgroups: filepath.Join(t.TempDir(), "not-a-cgroup")}
	p, err := c.Start(Spec{Argv: []string{os.Args[0]}, Env: []string{"SHELLPROC_TEST=shell"}}, func(wire.Event) {}, func() {})
	if p != nil || err == nil || !strings.Contains(err.Error(), "cgroup") {
		t.Fatalf("Start = %v, %v; want no shell and a cgroup error", p, err)
	}
	if entries, _ := os.ReadDir(root); len(entries) > 0 {
		t.Errorf("a session directory was left: %v", entries)
	}
}

// TestSandboxStarts: bwrap makes the web processes' namespaces here (the tests' machines and
// roots allow user namespaces, as Debian does).
func TestSandboxStarts(t *testing.T) {
	if err := CheckSandbox(); err != nil {
		t.Fatal(err)
	}
}

// TestSandboxRefusedSaysWhy: a sandbox that can't start is named with bwrap's reason.
func TestSandboxRefusedSaysWhy(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if err := CheckSandbox(); err == nil || !strings.Contains(err.Error(), "bwrap is not installed") {
		t.Errorf("without bwrap: %v, want it named", err)
	}
}

// TestWaylandSocketInTheShellsRuntimeDir: a compositor socket given by absolute path is linked
// into the shell's runtime directory, where WebKit's sandbox looks for it; a name relative to
// the runtime directory is left as it is.
func TestWaylandSocketInTheShellsRuntimeDir(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "run"), 0o700)
	env, err := wayland(dir, []string{"HOME=" + dir, "WAYLAND_DISPLAY=/run/carekiosk/wayland-0"})
	if err != nil {
		t.Fatal(err)
	}
	if last := env[len(env)-1]; last != "WAYLAND_DISPLAY=wayland-0" {
		t.Errorf("the shell's WAYLAND_DISPLAY: %q, want wayland-0 (the last one wins)", last)
	}
	if to, err := os.Readlink(filepath.Join(dir, "run", "wayland-0")); err != nil || to != "/run/carekiosk/wayland-0" {
		t.Errorf("run/wayland-0 links to %q (%v), want the compositor's socket", to, err)
	}
	relative := []string{"WAYLAND_DISPLAY=wayland-1"}
	if env, err := wayland(t.TempDir(), relative); err != nil || len(env) != 1 || env[0] != relative[0] {
		t.Errorf("relative: %q, %v; want it unchanged", env, err)
	}
}
