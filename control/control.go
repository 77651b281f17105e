// Package control is the running kiosk's control socket: a Unix socket on which the technician's
// commands (carekiosk status, end-session) and the unit's (carekiosk reload, stop) ask the
// supervisor something, one JSON request and one JSON reply per connection.
package control

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Request is what a command asks.
type Request struct {
	Cmd string `json:"cmd"` // "status", "end-session", "reload" or "stop"
}

// Reply is the supervisor's answer: Status for "status", Ended for "end-session", Stopping for
// "stop"; Error when it refused (a reload: the config's problems, one per line).
type Reply struct {
	Error    string          `json:"error,omitempty"`
	Status   json.RawMessage `json:"status,omitempty"`
	Ended    bool            `json:"ended,omitempty"`
	Stopping bool            `json:"stopping,omitempty"`
}

// Handler answers one request.
type Handler func(Request) Reply

// Listen opens the control socket at path (mode 0600: only the kiosk's user and root may
// control it), replacing a stale socket left by a crashed run.
func Listen(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("control socket directory: %w", err)
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("control socket %s is in use: is another carekiosk running?", path)
	}
	_ = os.Remove(path)
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("control socket: %w", err)
	}
	return l, nil
}

// Serve answers requests on l until l is closed.
func Serve(l net.Listener, h Handler, log *slog.Logger) {
	for {
		c, err := l.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				log.Error("control socket", "err", err)
			}
			return
		}
		go func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			var req Request
			if err := json.NewDecoder(bufio.NewReader(c)).Decode(&req); err != nil {
				_ = json.NewEncoder(c).Encode(Reply{Error: "malformed request"})
				return
			}
			r := h(req)
			_ = json.NewEncoder(c).Encode(r)
			if r.Stopping {
				// The connection stays open until the supervisor exits: its end is the
				// caller's news that the kiosk has stopped (Stop).
				_ = c.SetDeadline(time.Time{})
				_, _ = io.Copy(io.Discard, c)
			}
		}()
	}
}

// ErrNotRunning: nothing listens on the control socket.
var ErrNotRunning = errors.New("the kiosk is not running")

// Call sends one request to the kiosk whose control socket is path.
func Call(path string, req Request) (Reply, error) {
	c, r, err := call(path, req)
	if c != nil {
		c.Close()
	}
	return r, err
}

// Stop asks the kiosk to stop — its session ended as at shutdown, wiped and verified — and
// waits up to wait for the supervisor to exit. A kiosk that is not running is stopped already.
func Stop(path string, wait time.Duration) error {
	c, _, err := call(path, Request{Cmd: "stop"})
	if errors.Is(err, ErrNotRunning) {
		return nil
	}
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(wait))
	if _, err := io.Copy(io.Discard, c); err != nil {
		return fmt.Errorf("the kiosk did not stop within %s: %w", wait, err)
	}
	return nil
}

// call sends req and reads the reply; the connection is returned open (nil if it never was).
func call(path string, req Request) (net.Conn, Reply, error) {
	c, err := net.DialTimeout("unix", path, 2*time.Second)
	if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED) {
		return nil, Reply{}, fmt.Errorf("cannot reach the kiosk at %s (is carekiosk run running?): %w: %w", path, ErrNotRunning, err)
	}
	if err != nil {
		return nil, Reply{}, fmt.Errorf("cannot reach the kiosk at %s: %w", path, err)
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return c, Reply{}, err
	}
	var r Reply
	if err := json.NewDecoder(c).Decode(&r); err != nil {
		return c, Reply{}, fmt.Errorf("reading the kiosk's reply: %w", err)
	}
	if r.Error != "" {
		return c, r, errors.New(r.Error)
	}
	return c, r, nil
}
