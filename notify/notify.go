// Package notify tells systemd how the kiosk is doing, through sd_notify: READY=1 once the first
// welcome screen is on show, a STATUS line ("welcome; 12 sessions; reader connected") whenever it
// changes, and WATCHDOG=1 pings. The pings come from the session manager's loop (its heartbeat),
// so a hung loop stops them and systemd restarts the kiosk. The unit needs Type=notify and, since
// the supervisor runs under cage, NotifyAccess=all. Outside systemd (no NOTIFY_SOCKET) every
// call does nothing.
package notify

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"

	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/ui"
)

// Notifier sends the kiosk's state to systemd. Beat is called from one goroutine only.
type Notifier struct {
	send  func(state string) (bool, error) // daemon.SdNotify, or a test's
	log   *slog.Logger
	ready bool
	last  string
	err   string // the last error logged, so a missing socket is logged once, not every beat
}

// New returns a Notifier that writes to $NOTIFY_SOCKET.
func New(log *slog.Logger) *Notifier {
	return &Notifier{send: func(s string) (bool, error) { return daemon.SdNotify(false, s) }, log: log}
}

// Interval is how often to ping: half the unit's WatchdogSec, or def when the watchdog is off.
// watchdogUSec is $WATCHDOG_USEC as systemd sets it for the unit (WatchdogSec in microseconds;
// "" or anything not a positive number: off). WATCHDOG_PID, which names the unit's main
// process, cage, whose child the supervisor is, is not asked for: the pings are the
// supervisor's own all the same (NotifyAccess=all), and sd_watchdog_enabled, which checks the
// PID, would say "off" and the pings would come every def, slower than a short WatchdogSec.
func Interval(watchdogUSec string, def time.Duration) time.Duration {
	usec, err := strconv.ParseInt(watchdogUSec, 10, 64)
	if err != nil || usec <= 0 {
		return def
	}
	return time.Duration(usec) * time.Microsecond / 2
}

// Beat sends WATCHDOG=1, READY=1 the first time the welcome screen is on show, and a STATUS
// line when it differs from the last one sent.
func (n *Notifier) Beat(s session.Status) {
	msg := []string{"WATCHDOG=1"}
	if !n.ready && s.State == session.Welcome && s.Screen == ui.ScreenWelcome {
		n.ready = true
		msg = append(msg, "READY=1")
	}
	if line := Line(s); line != n.last {
		n.last = line
		msg = append(msg, "STATUS="+line)
	}
	_, err := n.send(strings.Join(msg, "\n"))
	switch {
	case err != nil && err.Error() != n.err:
		n.err = err.Error()
		n.log.Warn("sd_notify: systemd cannot hear the kiosk (logged once)", "err", err)
	case err == nil:
		n.err = ""
	}
}

// Stopping tells systemd the kiosk is shutting down.
func (n *Notifier) Stopping() { _, _ = n.send("STOPPING=1\nSTATUS=stopping: ending any session") }

// Line is the one-line status systemctl status shows: the state, the sessions since start and
// the reader, and why when the kiosk is closed or out of service.
func Line(s session.Status) string {
	state := string(s.State)
	switch {
	case s.State == session.OutOfService && s.Problem != "":
		state += " (" + s.Problem + ")"
	case s.State == session.Welcome && s.Closed:
		state += " (closed)"
	}
	reader := "reader connected"
	if !s.Reader.Connected {
		reader = "reader NOT connected"
	}
	plural := "s"
	if s.SessionsTotal == 1 {
		plural = ""
	}
	return fmt.Sprintf("%s; %d session%s; %s", state, s.SessionsTotal, plural, reader)
}
