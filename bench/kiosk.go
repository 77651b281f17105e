package main

import (
	"bufio"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/creack/pty"

	"github.com/carekiosk/carekiosk/control"
	"github.com/carekiosk/carekiosk/internal/tmpfs"
	"github.com/carekiosk/carekiosk/session"
)

// kiosk is one `carekiosk run` driven as a patient would: card bytes into a pty, real key
// presses (internal/display), status through the control socket.
type kiosk struct {
	bin, dir, config, home string
	portal                 *portal
	reader                 *os.File // pty master
	slave                  *os.File
	cmd                    *exec.Cmd
	started                time.Time // just before the process was started
	exited                 chan struct{}
	audit                  chan string
	log                    *os.File
}

// newKiosk writes a config into a fresh directory on a tmpfs (package tmpfs says why); start
// runs it.
func newKiosk(bin string, p *portal) (*kiosk, error) {
	dir, err := tmpfs.Dir("carekiosk-bench-")
	if err != nil {
		return nil, err
	}
	k := &kiosk{bin: bin, dir: dir, portal: p, home: filepath.Join(dir, "home")}
	if err := os.Mkdir(k.home, 0o700); err != nil {
		return nil, err
	}
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.srv.Certificate().Raw})
	if err := os.WriteFile(filepath.Join(dir, "portal.pem"), cert, 0o600); err != nil {
		return nil, err
	}
	if k.reader, k.slave, err = pty.Open(); err != nil {
		return nil, err
	}
	k.config = filepath.Join(dir, "kiosk.toml")
	cfg := fmt.Sprintf(`
start_url = %q
allowed_hosts = ["127.0.0.1"]
trusted_certificates = ["portal.pem"]
session_dir = %q
control_socket = %q
state_dir = %q

[session]
idle_timeout = "10m"
idle_warning = "1m"
max_duration = "20m"
max_warning = "2m"
privacy_timeout = "60s"
logout_url = %q
logout_wait = "3s"

[reader]
device = %q
protocol = "line"
`, p.url("/start"), k.sessions(), filepath.Join(dir, "control.sock"), filepath.Join(dir, "state"), p.url("/logout"), k.slave.Name())
	return k, os.WriteFile(k.config, []byte(cfg), 0o600)
}

func (k *kiosk) sessions() string { return filepath.Join(k.dir, "sessions") }

// start runs the kiosk; its log goes to dir/kiosk.log, its audit lines to k.audit.
func (k *kiosk) start() error {
	var err error
	if k.log, err = os.OpenFile(filepath.Join(k.dir, "kiosk.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err != nil {
		return err
	}
	k.cmd = exec.Command(k.bin, "run", "-config", k.config)
	k.cmd.Env = append(os.Environ(), "HOME="+k.home)
	k.cmd.Stderr = k.log
	out, err := k.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	k.exited, k.audit = make(chan struct{}), make(chan string, 1024)
	k.started = time.Now()
	if err := k.cmd.Start(); err != nil {
		return err
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			k.audit <- sc.Text()
		}
	}()
	go func() { k.cmd.Wait(); close(k.exited) }()
	return nil
}

func (k *kiosk) pid() int { return k.cmd.Process.Pid }

// stop ends the kiosk as systemd would, SIGTERM, and waits.
func (k *kiosk) stop() {
	k.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-k.exited:
	case <-time.After(20 * time.Second):
		k.cmd.Process.Kill()
		<-k.exited
	}
	k.log.Close()
}

// close removes everything of the kiosk (after stop).
func (k *kiosk) close() {
	if os.Getenv("BENCH_DEBUG") != "" {
		progress("kept %s", k.dir)
		return
	}
	k.reader.Close()
	k.slave.Close()
	os.RemoveAll(k.dir)
}

func (k *kiosk) status() (session.Status, error) {
	r, err := control.Call(filepath.Join(k.dir, "control.sock"), control.Request{Cmd: "status"})
	if err != nil {
		return session.Status{}, err
	}
	var s session.Status
	return s, json.Unmarshal(r.Status, &s)
}

// waitFor polls status (every 2ms: the figures come from screen_at, not from the polling) until
// ok holds.
func (k *kiosk) waitFor(what string, within time.Duration, ok func(session.Status) bool) (session.Status, error) {
	deadline := time.Now().Add(within)
	var last session.Status
	var err error
	for time.Now().Before(deadline) {
		select {
		case <-k.exited:
			return last, fmt.Errorf("waiting for %s: the kiosk exited (log in %s)", what, k.log.Name())
		default:
		}
		if last, err = k.status(); err == nil && ok(last) {
			return last, nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return last, fmt.Errorf("waiting for %s: not within %v; last status %+v (err %v)", what, within, last, err)
}

// swipe writes a card number as a line reader would and returns when its last byte is in.
func (k *kiosk) swipe(number string) (time.Time, error) {
	_, err := io.WriteString(k.reader, number+"\r\n")
	return time.Now(), err
}

// key presses keys for real in the kiosk's visible window.
func (k *kiosk) key(keys ...string) error {
	s, err := k.status()
	if err != nil {
		return err
	}
	return screen.Key(s.ShellPID, keys...)
}

// endSession asks the kiosk to end the session (as `carekiosk end-session` does) and returns
// when it asked.
func (k *kiosk) endSession() (time.Time, error) {
	t := time.Now()
	r, err := control.Call(filepath.Join(k.dir, "control.sock"), control.Request{Cmd: "end-session"})
	if err == nil && !r.Ended {
		err = fmt.Errorf("end-session: no session under way")
	}
	return t, err
}

// at turns a status's screen_at into a time.
func at(us int64) time.Time { return time.UnixMicro(us) }
