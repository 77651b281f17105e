package notify

import (
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/session"
)

func TestBeat(t *testing.T) {
	var sent []string
	n := &Notifier{send: func(s string) (bool, error) { sent = append(sent, s); return true, nil }, log: slog.New(slog.DiscardHandler)}
	reader := session.ReaderState{Device: "/dev/x", Connected: true}
	n.Beat(session.Status{State: session.Starting, Reader: reader})
	n.Beat(session.Status{State: session.Welcome, Screen: "welcome", Reader: reader})
	n.Beat(session.Status{State: session.Welcome, Screen: "welcome", Reader: reader})
	n.Beat(session.Status{State: session.Active, Screen: "session", Reader: reader, SessionsTotal: 1})
	n.Beat(session.Status{State: session.Welcome, Screen: "welcome", Reader: reader, SessionsTotal: 1})
	want := []string{
		"WATCHDOG=1\nSTATUS=starting; 0 sessions; reader connected",
		"WATCHDOG=1\nREADY=1\nSTATUS=welcome; 0 sessions; reader connected",
		"WATCHDOG=1",
		"WATCHDOG=1\nSTATUS=active; 1 session; reader connected",
		"WATCHDOG=1\nSTATUS=welcome; 1 session; reader connected",
	}
	if strings.Join(sent, "|") != strings.Join(want, "|") {
		t.Errorf("sent\n%q\nwant\n%q", sent, want)
	}
}

func TestLine(t *testing.T) {
	for _, tc := range []struct {
		s    session.Status
		want string
	}{
		{session.Status{State: session.Welcome, SessionsTotal: 12, Reader: session.ReaderState{Connected: true}}, "welcome; 12 sessions; reader connected"},
		{session.Status{State: session.Welcome, Closed: true}, "welcome (closed); 0 sessions; reader NOT connected"},
		{session.Status{State: session.OutOfService, Problem: "wipe failed: x"}, "out-of-service (wipe failed: x); 0 sessions; reader NOT connected"},
	} {
		if got := Line(tc.s); got != tc.want {
			t.Errorf("Line = %q, want %q", got, tc.want)
		}
	}
}

// TestNotifySocket sends through a real $NOTIFY_SOCKET, as systemd would receive it.
func TestNotifySocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t.Setenv("NOTIFY_SOCKET", sock)
	if got := Interval("30000000", 10*time.Second); got != 15*time.Second {
		t.Errorf("Interval with WatchdogSec=30s, under cage = %s, want 15s", got)
	}
	New(slog.New(slog.DiscardHandler)).Beat(session.Status{State: session.Welcome, Screen: "welcome"})
	buf := make([]byte, 512)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	k, err := c.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(buf[:k]); !strings.Contains(got, "READY=1") || !strings.Contains(got, "WATCHDOG=1") {
		t.Errorf("systemd received %q, want READY=1 and WATCHDOG=1", got)
	}
	if got := Interval("", 10*time.Second); got != 10*time.Second {
		t.Errorf("Interval without a watchdog = %s, want the default", got)
	}
}
