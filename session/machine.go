package session

import (
	"time"

	"github.com/carekiosk/carekiosk/ui"
)

// State is where the kiosk is in the life of a session. The names are the ones status prints.
type State string

// The states of DESIGN.md: starting → welcome → privacy → active ⇄ warning → ending → welcome,
// and out-of-service from anywhere.
const (
	Starting     State = "starting"       // no shell ready to show the welcome screen yet
	Welcome      State = "welcome"        // waiting for a card
	Privacy      State = "privacy"        // the privacy check, before any record is shown
	Active       State = "active"         // the provider's site
	Warning      State = "warning"        // an idle or time-limit warning over the site
	Ending       State = "ending"         // logging out, killing, wiping, verifying
	OutOfService State = "out-of-service" // no new sessions: a wipe failed or the kiosk can't run
)

// Reason is why a session ended; audit lines and status use exactly these words.
type Reason string

// The end reasons of DESIGN.md.
const (
	UserEnded       Reason = "user-ended"
	QuickExit       Reason = "quick-exit"
	IdleTimeout     Reason = "idle-timeout"
	TimeLimit       Reason = "time-limit"
	CardRemoved     Reason = "card-removed"
	BrowserCrashed  Reason = "browser-crashed"
	ClosingTime     Reason = "closing-time"
	Technician      Reason = "technician"
	Shutdown        Reason = "shutdown"
	PrivacyDeclined Reason = "privacy-declined"
)

// Reasons lists every end reason, for what counts them (the metrics start each at zero).
var Reasons = []Reason{UserEnded, QuickExit, IdleTimeout, TimeLimit, CardRemoved, BrowserCrashed,
	ClosingTime, Technician, Shutdown, PrivacyDeclined}

// WarningKind says which limit a warning is about.
type WarningKind string

// The two warnings: an idle warning can be answered ("I'm still here"); the time limit is absolute.
const (
	NoWarning   WarningKind = ""
	IdleWarning WarningKind = "idle"
	TimeWarning WarningKind = "time"
)

// Timeouts are the session limits from the config.
type Timeouts struct {
	Idle        time.Duration // no input for this long ends the session
	IdleWarning time.Duration // the idle warning shows this long before the idle end
	Max         time.Duration // a session never lasts longer
	MaxWarning  time.Duration // the time-limit warning shows this long before the end
	Privacy     time.Duration // the privacy check waits this long for an answer
}

// Machine is the session state machine. It is pure: every event carries the time it happened,
// so tests drive it with any clock, and the supervisor calls Tick at Deadline. The zero value
// is not usable; use NewMachine.
type Machine struct {
	t         Timeouts
	state     State
	reason    Reason
	warning   WarningKind
	started   time.Time // the card was accepted
	privacyAt time.Time // the privacy check appeared
	lastInput time.Time
	closes    time.Time // the kiosk closes then (zero: it does not close during this session)
}

// NewMachine returns a machine in Starting.
func NewMachine(t Timeouts) *Machine { return &Machine{t: t, state: Starting} }

// State is the current state.
func (m *Machine) State() State { return m.state }

// Reason is why the current or last session ended ("" before the first end).
func (m *Machine) Reason() Reason { return m.reason }

// Warning is the warning showing, in Warning.
func (m *Machine) Warning() WarningKind { return m.warning }

// Started is when the current session's card was accepted.
func (m *Machine) Started() time.Time { return m.started }

// InSession reports whether a session (privacy check onwards) is under way and not yet ending.
func (m *Machine) InSession() bool {
	return m.state == Privacy || m.state == Active || m.state == Warning
}

// Ready: a shell is showing the welcome screen. Starting → Welcome.
func (m *Machine) Ready() {
	if m.state == Starting {
		m.state = Welcome
	}
}

// Card: a card was accepted. Welcome → Privacy; ignored elsewhere (reports false).
func (m *Machine) Card(now time.Time) bool {
	if m.state != Welcome {
		return false
	}
	m.state, m.started, m.privacyAt, m.warning = Privacy, now, now, NoWarning
	m.closes = time.Time{}
	return true
}

// Accept: the patient accepted the privacy check. Privacy → Active.
func (m *Machine) Accept(now time.Time) {
	if m.state == Privacy {
		m.state, m.lastInput = Active, now
	}
}

// Input: the patient touched, typed or moved. In Active it resets the idle timer; in an idle
// warning it also dismisses the warning ("I'm still here" is input too). A time-limit warning stays.
func (m *Machine) Input(now time.Time) {
	switch m.state {
	case Active:
		m.lastInput = now
	case Warning:
		m.lastInput = now
		if m.warning == IdleWarning {
			m.state, m.warning = Active, NoWarning
		}
	}
}

// End ends the session now for reason; ignored when no session is under way.
func (m *Machine) End(reason Reason) {
	if m.InSession() {
		m.state, m.reason, m.warning = Ending, reason, NoWarning
	}
}

// Ended: the session was wiped; verified says whether the wipe was proven. Ending → Starting
// (a fresh shell is being made ready) or OutOfService.
func (m *Machine) Ended(verified bool) {
	if m.state != Ending {
		return
	}
	if verified {
		m.state = Starting
	} else {
		m.state = OutOfService
	}
}

// OutOfService takes the kiosk out of service, from any state. It stays there until restarted.
func (m *Machine) OutOfService() { m.state, m.warning = OutOfService, NoWarning }

// Tick applies the timeouts at time now: privacy check unanswered, warnings, ends.
func (m *Machine) Tick(now time.Time) {
	switch m.state {
	case Privacy:
		switch {
		case !m.closes.IsZero() && !now.Before(m.closes):
			m.End(ClosingTime)
		case !now.Before(m.privacyAt.Add(m.t.Privacy)):
			m.End(PrivacyDeclined)
		}
	case Active, Warning:
		switch {
		case !now.Before(m.maxEnd()):
			m.End(m.limitReason())
		case !now.Before(m.idleEnd()):
			m.End(IdleTimeout)
		case !now.Before(m.maxEnd().Add(-m.t.MaxWarning)):
			m.state, m.warning = Warning, TimeWarning
		case !now.Before(m.idleEnd().Add(-m.t.IdleWarning)):
			m.state, m.warning = Warning, IdleWarning
		}
	}
}

// Deadline is when Tick must next be called; zero when no timer runs.
func (m *Machine) Deadline() time.Time {
	switch m.state {
	case Privacy:
		if !m.closes.IsZero() {
			return earliest(m.privacyAt.Add(m.t.Privacy), m.closes)
		}
		return m.privacyAt.Add(m.t.Privacy)
	case Active:
		return earliest(m.maxEnd().Add(-m.t.MaxWarning), m.idleEnd().Add(-m.t.IdleWarning))
	case Warning:
		if m.warning == IdleWarning {
			return earliest(m.maxEnd().Add(-m.t.MaxWarning), m.idleEnd())
		}
		return earliest(m.maxEnd(), m.idleEnd())
	}
	return time.Time{}
}

// Ends is when the session will end if nothing else happens (zero outside a session).
func (m *Machine) Ends() time.Time {
	switch m.state {
	case Privacy:
		if !m.closes.IsZero() {
			return earliest(m.privacyAt.Add(m.t.Privacy), m.closes)
		}
		return m.privacyAt.Add(m.t.Privacy)
	case Active, Warning:
		return earliest(m.maxEnd(), m.idleEnd())
	}
	return time.Time{}
}

// TimeLimit is when the session reaches its absolute limit.
func (m *Machine) TimeLimit() time.Time { return m.maxEnd() }

// SetClosing says the kiosk closes at t during the session under way: the session's absolute
// limit becomes the earlier of max_duration and t, with the time-limit warning max_warning
// before it, and an end at t is ClosingTime. Card clears it; call it after Card.
func (m *Machine) SetClosing(t time.Time) { m.closes = t }

// SetTimeouts replaces the timeouts. The supervisor calls it between sessions (after a reload):
// a session under way would see its limits move.
func (m *Machine) SetTimeouts(t Timeouts) { m.t = t }

// maxEnd is the session's absolute end: max_duration after the card, or closing time if sooner.
func (m *Machine) maxEnd() time.Time {
	end := m.started.Add(m.t.Max)
	if !m.closes.IsZero() && m.closes.Before(end) {
		return m.closes
	}
	return end
}

// WarningText is which warning the patient must read: idle, time, or closing when the
// time-limit warning is about the kiosk closing; "" without a warning.
func (m *Machine) WarningText() ui.Warning {
	switch {
	case m.warning == IdleWarning:
		return ui.WarningIdle
	case m.warning == TimeWarning && m.limitReason() == ClosingTime:
		return ui.WarningClosing
	case m.warning == TimeWarning:
		return ui.WarningTime
	}
	return ""
}

// limitReason is why a session that reaches maxEnd ends.
func (m *Machine) limitReason() Reason {
	if !m.closes.IsZero() && !m.started.Add(m.t.Max).Before(m.closes) {
		return ClosingTime
	}
	return TimeLimit
}

func (m *Machine) idleEnd() time.Time { return m.lastInput.Add(m.t.Idle) }

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
