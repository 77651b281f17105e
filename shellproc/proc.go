// Package shellproc runs the kiosk's browser shells as processes: each in a private directory,
// contained (a cgroup of its own, or found by its directory where the kiosk has no cgroup
// subtree), killed and wiped at the end with proof that no process and no file of it is left.
// The session manager decides when; this package knows how.
package shellproc

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/carekiosk/carekiosk/wire"
)

// Proc is one browser shell process and its private directory. A shell serves at most one
// session; it is wiped when that session ends (or when it dies first).
type Proc struct {
	ID  string // also the session id, once a card is accepted
	Dir string // HOME and XDG dirs of the shell; deleted by Wipe

	cmd    *exec.Cmd
	cgroup string // its own cgroup, "" when contained by directory
	conn   *wire.Conn
	sock   net.Conn
	exited chan struct{} // closed when the process has been waited for
}

// Spec is what a shell is started with.
type Spec struct {
	Argv []string
	Env  []string  // added to the shell's own (HOME and XDG dirs, no session bus); later wins
	Init wire.Init // the first message it is sent
}

// newID returns a random id: no relation to the card or the patient.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Start makes a private directory under c's session directory and starts s.Argv in it, in its
// own process group and, where c has cgroups, its own cgroup from its first instruction. Each
// message of the shell goes to onEvent, from a goroutine of its own; onExit is called once the
// process has exited. A Proc with an error is a shell that started but could not be sent its
// init: its exit follows.
func (c *Containment) Start(s Spec, onEvent func(wire.Event), onExit func()) (*Proc, error) {
	p := &Proc{ID: newID(), exited: make(chan struct{})}
	p.Dir = filepath.Join(c.root, p.ID)
	if err := os.Mkdir(p.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("making session directory: %w", err)
	}
	fail := func(err error) (*Proc, error) { // nothing of a shell that did not start stays
		if p.sock != nil {
			p.sock.Close()
		}
		p.removeCgroup()
		os.RemoveAll(p.Dir)
		return nil, err
	}
	for _, d := range []string{"data", "cache", "config", "tmp", "run"} {
		if err := os.Mkdir(filepath.Join(p.Dir, d), 0o700); err != nil {
			return fail(err)
		}
	}
	if err := noSessionBus(filepath.Join(p.Dir, "run", "bus")); err != nil {
		return fail(err)
	}
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return fail(fmt.Errorf("socketpair: %w", err))
	}
	ours, theirs := os.NewFile(uintptr(fds[0]), "supervisor"), os.NewFile(uintptr(fds[1]), "shell")
	defer theirs.Close()
	p.sock, err = net.FileConn(ours)
	ours.Close()
	if err != nil {
		return fail(err)
	}
	p.conn = wire.NewConn(p.sock)

	p.cmd = exec.Command(s.Argv[0], s.Argv[1:]...)
	p.cmd.Dir = p.Dir
	if p.cmd.Env, err = wayland(p.Dir, append(env(p.Dir), s.Env...)); err != nil {
		return fail(err)
	}
	p.cmd.ExtraFiles = []*os.File{theirs} // fd 3
	p.cmd.Stdout, p.cmd.Stderr = os.Stderr, os.Stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cg, err := c.makeCgroup(p)
	if err != nil {
		return fail(err)
	}
	if cg != nil {
		defer cg.Close()
		p.cmd.SysProcAttr.UseCgroupFD, p.cmd.SysProcAttr.CgroupFD = true, int(cg.Fd())
	}
	if err := p.cmd.Start(); err != nil {
		return fail(fmt.Errorf("starting shell: %w", err))
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
		onExit()
	}()
	if err := p.conn.Send(s.Init); err != nil {
		p.Kill()
		return p, fmt.Errorf("sending init to shell: %w", err)
	}
	go func() {
		for {
			var ev wire.Event
			if p.conn.Receive(&ev) != nil {
				return // the process's exit is reported by the waiter above
			}
			onEvent(ev)
		}
	}()
	return p, nil
}

// noSessionBus makes path a Unix socket that nobody listens on: the session bus of a shell,
// $XDG_RUNTIME_DIR/bus, where GLib and libdbus look for one when DBUS_SESSION_BUS_ADDRESS is
// unset. Finding it, they connect, are refused, and go on without a bus. Finding none, GLib would
// autolaunch one under X11 (dbus-launch, where dbus-x11 is installed), which would start the
// accessibility bus from it: all outside the shell's process group, alive after the session.
// (DBUS_SESSION_BUS_ADDRESS=disabled: would stop GLib too, but WebKit 2.50 then starts a D-Bus
// proxy for that address for its sandbox, which fails, and the web process with it.) A kiosk
// that has a real session bus or accessibility bus (a screen reader's) passes their addresses
// in Spec.Env, and those are used instead.
func noSessionBus(path string) error {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("making the shell's empty session bus: %w", err)
	}
	defer syscall.Close(fd)
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: path}); err != nil {
		return fmt.Errorf("making the shell's empty session bus: %w", err)
	}
	return nil
}

// env points everything a browser writes into dir.
func env(dir string) []string {
	return []string{
		"HOME=" + dir,
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_RUNTIME_DIR=" + filepath.Join(dir, "run"),
		"TMPDIR=" + filepath.Join(dir, "tmp"),
		"MESA_SHADER_CACHE_DISABLE=true", // nothing of a session's pages in a GPU cache either
	}
}

// wayland gives the shell its compositor's socket inside its own runtime directory, as
// $XDG_RUNTIME_DIR/wayland-0, a link to the socket of an absolute WAYLAND_DISPLAY in env: WebKit's
// sandbox gives a web process the socket only from there, and a web process of the 4.0 API
// can't start without its display.
func wayland(dir string, env []string) ([]string, error) {
	for i := len(env) - 1; i >= 0; i-- {
		socket, ok := strings.CutPrefix(env[i], "WAYLAND_DISPLAY=")
		if !ok {
			continue
		}
		if !filepath.IsAbs(socket) {
			return env, nil
		}
		if err := os.Symlink(socket, filepath.Join(dir, "run", "wayland-0")); err != nil {
			return nil, fmt.Errorf("linking the compositor's socket: %w", err)
		}
		return append(env, "WAYLAND_DISPLAY=wayland-0"), nil
	}
	return env, nil
}

// Send gives the shell a command; a shell that can't take it is dying and its exit will be seen.
func (p *Proc) Send(c wire.Command) { _ = p.conn.Send(c) }

// PID is the shell's process id.
func (p *Proc) PID() int { return p.cmd.Process.Pid }

// Kill stops every process of the shell at once: its cgroup, its process group.
func (p *Proc) Kill() {
	if p.cgroup != "" {
		_ = os.WriteFile(filepath.Join(p.cgroup, "cgroup.kill"), []byte("1"), 0)
	}
	if p.cmd.Process != nil {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	}
	p.sock.Close()
}
