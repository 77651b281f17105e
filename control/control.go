// Package control is the running kiosk's control socket: a Unix socket on which the technician's
// commands (carekiosk status, carekiosk end-session) ask the supervisor something, one JSON
// request and one JSON reply per connection.
package control

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Request is what a command asks.
type Request struct {
	Cmd string `json:"cmd"` // "status" or "end-session"
}

// Reply is the supervisor's answer: Status for "status", Ended for "end-session".
type Reply struct {
	Error  string          `json:"error,omitempty"`
	Status json.RawMessage `json:"status,omitempty"`
	Ended  bool            `json:"ended,omitempty"`
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
			_ = json.NewEncoder(c).Encode(h(req))
		}()
	}
}

// Call sends one request to the kiosk whose control socket is path.
func Call(path string, req Request) (Reply, error) {
	c, err := net.DialTimeout("unix", path, 2*time.Second)
	if err != nil {
		return Reply{}, fmt.Errorf("cannot reach the kiosk at %s (is carekiosk run running?): %w", path, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return Reply{}, err
	}
	var r Reply
	if err := json.NewDecoder(c).Decode(&r); err != nil {
		return Reply{}, fmt.Errorf("reading the kiosk's reply: %w", err)
	}
	if r.Error != "" {
		return r, errors.New(r.Error)
	}
	return r, nil
}
