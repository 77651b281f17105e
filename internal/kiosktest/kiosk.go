// Package kiosktest runs a real `carekiosk run` for the e2e tests and the bench: its config and
// directories on a tmpfs (package tmpfs says why), a pseudo-terminal as its card reader, its log
// and audit lines, its status through the control socket, the patient's keys and touches
// (package display), and a record portal on loopback HTTPS. It returns errors rather than
// failing a test, so that the bench, a command, drives a kiosk with it too.
package kiosktest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/creack/pty"

	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/internal/tmpfs"
)

// Config is what a kiosk's config file says that differs between its users; New fills in the
// rest: its directories, its reader, the portal's host and certificate.
type Config struct {
	StartURL, LogoutURL string
	Certificate         []byte // PEM: the portal's, which the kiosk trusts
	Top                 string // more top-level keys, such as "printing = true"
	OnScreenKeyboard    string // [keyboard] on_screen

	// [session] idle_timeout, idle_warning, max_duration, max_warning and privacy_timeout
	IdleTimeout, IdleWarning, MaxDuration, MaxWarning, PrivacyTimeout string
}

// Kiosk is one carekiosk run with its directory and card reader. New makes it; the caller sets
// Env, Stderr, Poll and Display before Start.
type Kiosk struct {
	Dir    string   // on a tmpfs: the config, session_dir, state_dir, the control socket
	Config string   // the config file
	Home   string   // the kiosk's own HOME
	Device string   // the reader's device in the config: a link to the pty's slave
	Reader *os.File // the pty master: what a card reader would send goes here

	Env []string // more environment for the kiosk, such as its own display
	// Stderr is where the kiosk logs. Where it is not a file, the kiosk's processes write into a
	// pipe, and Exited waits for every one of them that inherited it (its shells and their web
	// processes), not the supervisor alone.
	Stderr  io.Writer
	Poll    time.Duration   // how often WaitFor asks for the status
	Display display.Display // where Key, Type and Touch press

	Cmd     *exec.Cmd
	Started time.Time     // just before the process was started
	Exited  chan struct{} // closed when the process has exited (Stderr says what else it waits for)

	bin   string
	audit chan string // its stdout lines, across every Start
	ptys  []*os.File  // every pty opened, closed by Close
}

// New writes a config for c into a fresh directory on a tmpfs whose name begins with prefix
// and plugs in a reader; Start runs bin on it. Close removes everything.
func New(bin, prefix string, c Config) (*Kiosk, error) {
	dir, err := tmpfs.Dir(prefix)
	if err != nil {
		return nil, err
	}
	k := &Kiosk{
		Dir: dir, Config: filepath.Join(dir, "kiosk.toml"), Home: filepath.Join(dir, "home"),
		Device: filepath.Join(dir, "reader"), audit: make(chan string, 1024), bin: bin,
	}
	if err := errors.Join(os.Mkdir(k.Home, 0o700), k.Plug(),
		os.WriteFile(filepath.Join(dir, "portal.pem"), c.Certificate, 0o600),
		os.WriteFile(k.Config, k.configFile(c), 0o600)); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

// configFile is the kiosk's config for c.
func (k *Kiosk) configFile(c Config) []byte {
	return []byte(fmt.Sprintf(`
start_url = %q
allowed_hosts = ["127.0.0.1"]
trusted_certificates = ["portal.pem"]
session_dir = %q
control_socket = %q
state_dir = %q
%s
[session]
idle_timeout = %q
idle_warning = %q
max_duration = %q
max_warning = %q
privacy_timeout = %q
logout_url = %q
logout_wait = "3s"

[reader]
device = %q
protocol = "line"

[keyboard]
on_screen = %q
`, c.StartURL, k.Sessions(), k.socket(), filepath.Join(k.Dir, "state"), c.Top, c.IdleTimeout, c.IdleWarning,
		c.MaxDuration, c.MaxWarning, c.PrivacyTimeout, c.LogoutURL, k.Device, c.OnScreenKeyboard))
}

// Sessions is the kiosk's session_dir.
func (k *Kiosk) Sessions() string { return filepath.Join(k.Dir, "sessions") }

func (k *Kiosk) socket() string { return filepath.Join(k.Dir, "control.sock") }

// Plug connects a card reader: a fresh pty whose slave the config's device links to.
func (k *Kiosk) Plug() error {
	master, slave, err := pty.Open()
	if err != nil {
		return err
	}
	k.ptys = append(k.ptys, master, slave)
	os.Remove(k.Device)
	k.Reader = master
	return os.Symlink(slave.Name(), k.Device)
}

// Unplug pulls the reader out: its pty goes away.
func (k *Kiosk) Unplug() {
	k.Reader.Close()
	os.Remove(k.Device)
}

// Swipe sends a card number as a line reader would and returns when its last byte is in.
func (k *Kiosk) Swipe(number string) (time.Time, error) {
	_, err := io.WriteString(k.Reader, number+"\r\n")
	return time.Now(), err
}

// Start runs carekiosk run on the kiosk's config: its log goes to Stderr, its audit lines to
// NextAudit.
func (k *Kiosk) Start() error {
	k.Cmd = exec.Command(k.bin, "run", "-config", k.Config)
	k.Cmd.Env = append(append(os.Environ(), "HOME="+k.Home), k.Env...)
	k.Cmd.Stderr = k.Stderr
	stdout, err := k.Cmd.StdoutPipe()
	if err != nil {
		return err
	}
	k.Exited = make(chan struct{})
	k.Started = time.Now()
	if err := k.Cmd.Start(); err != nil {
		return err
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			k.audit <- sc.Text()
		}
	}()
	cmd, exited := k.Cmd, k.Exited
	go func() { cmd.Wait(); close(exited) }()
	return nil
}

// PID is the supervisor's process.
func (k *Kiosk) PID() int { return k.Cmd.Process.Pid }

// Stop ends the kiosk as systemd would, SIGTERM, and waits for it to exit; it kills it after
// 20 s. A kiosk that has exited already is left as it is.
func (k *Kiosk) Stop() {
	k.Cmd.Process.Signal(syscall.SIGTERM)
	kill := time.AfterFunc(20*time.Second, func() { k.Cmd.Process.Kill() })
	<-k.Exited
	kill.Stop()
}

// NextAudit returns the next audit line, decoded.
func (k *Kiosk) NextAudit(within time.Duration) (map[string]any, error) {
	select {
	case line := <-k.audit:
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			return nil, fmt.Errorf("audit line %q: %w", line, err)
		}
		return m, nil
	case <-time.After(within):
		return nil, fmt.Errorf("no audit line within %v", within)
	}
}

// Close removes everything of the kiosk (after Stop).
func (k *Kiosk) Close() {
	for _, f := range k.ptys {
		f.Close()
	}
	os.RemoveAll(k.Dir)
}
