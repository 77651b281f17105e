package session

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/carekiosk/carekiosk/wire"
)

// shell is one browser shell process and its private directory. A shell serves at most one
// session; it is wiped when that session ends (or when it dies first).
type shell struct {
	id      string // also the session id, once a card is accepted
	dir     string // HOME and XDG dirs of the shell; deleted at the end
	cmd     *exec.Cmd
	conn    *wire.Conn
	sock    net.Conn
	exited  chan struct{} // closed when the process has been waited for
	ready   bool          // sent EvReady
	gen     int           // the manager's settings generation it was started under
	missed  int           // pings in a row without a pong (the manager's loop only)
	warm    bool          // a standby that was sent its screens to draw off the screen
	painted bool          // … and painted them
	// offscreen: a standby that paints mapped off the screen (X11). One that can't (Wayland) is
	// lifted: mapped over the privacy check showing the same screen (lifting), then left beneath
	// the session's window once that is mapped again on top (under), where it paints.
	offscreen, lifting, under bool
}

// shellEvent is a message from a shell, delivered into the manager's loop.
type shellEvent struct {
	sh *shell
	ev wire.Event
}

// newID returns a random session id: no relation to the card or the patient.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// startShell makes a private directory under root and starts argv in it, in its own process
// group, with init sent as the first message. Events and the exit are delivered to events and
// exits.
func startShell(root string, argv []string, env []string, init wire.Init, events chan<- shellEvent, exits chan<- *shell) (*shell, error) {
	sh := &shell{id: newID(), exited: make(chan struct{})}
	sh.dir = filepath.Join(root, sh.id)
	if err := os.Mkdir(sh.dir, 0o700); err != nil {
		return nil, fmt.Errorf("making session directory: %w", err)
	}
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		os.RemoveAll(sh.dir)
		return nil, fmt.Errorf("socketpair: %w", err)
	}
	ours, theirs := os.NewFile(uintptr(fds[0]), "supervisor"), os.NewFile(uintptr(fds[1]), "shell")
	defer theirs.Close()
	sh.sock, err = net.FileConn(ours)
	ours.Close()
	if err != nil {
		os.RemoveAll(sh.dir)
		return nil, err
	}
	sh.conn = wire.NewConn(sh.sock)

	sh.cmd = exec.Command(argv[0], argv[1:]...)
	sh.cmd.Dir = sh.dir
	sh.cmd.Env = append(shellEnv(sh.dir), env...)
	sh.cmd.ExtraFiles = []*os.File{theirs} // fd 3
	sh.cmd.Stdout, sh.cmd.Stderr = os.Stderr, os.Stderr
	sh.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	for _, d := range []string{"data", "cache", "config", "tmp", "run"} {
		if err := os.Mkdir(filepath.Join(sh.dir, d), 0o700); err != nil {
			os.RemoveAll(sh.dir)
			return nil, err
		}
	}
	if err := sh.cmd.Start(); err != nil {
		sh.sock.Close()
		os.RemoveAll(sh.dir)
		return nil, fmt.Errorf("starting shell: %w", err)
	}
	go func() {
		_ = sh.cmd.Wait()
		close(sh.exited)
		exits <- sh
	}()
	if err := sh.conn.Send(init); err != nil {
		sh.kill()
		return sh, fmt.Errorf("sending init to shell: %w", err)
	}
	go func() {
		for {
			var ev wire.Event
			if sh.conn.Receive(&ev) != nil {
				return // the process's exit is reported by the waiter above
			}
			events <- shellEvent{sh, ev}
		}
	}()
	return sh, nil
}

// shellEnv points everything a browser writes into dir.
func shellEnv(dir string) []string {
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

// send gives the shell a command; a shell that can't take it is dying and its exit will be seen.
func (sh *shell) send(c wire.Command) { _ = sh.conn.Send(c) }

// kill stops the shell's whole process group at once.
func (sh *shell) kill() {
	if sh.cmd.Process != nil {
		_ = syscall.Kill(-sh.cmd.Process.Pid, syscall.SIGKILL)
	}
	sh.sock.Close()
}
