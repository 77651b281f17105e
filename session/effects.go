package session

import (
	"log/slog"
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// Effects are what the Core decides should happen outside it. The supervisor carries each out
// in order, and reports what came of it back to the Core as an event (ShellStarted,
// ShellExited, Wiped …).

// Effect is one thing to do; the types below are all of them.
type Effect interface{ effect() }

// ShellID names a browser shell to the Core. The supervisor keeps the process behind it.
type ShellID int

// StartShell: start a browser shell as Shell, told Init. Report the outcome with ShellStarted
// or StartFailed before anything else.
type StartShell struct {
	Shell ShellID
	Init  wire.Init // Init.Hidden: a standby, started unmapped
}

// Send a command to a shell (show, hide, raise, navigate, ping).
type Send struct {
	Shell ShellID
	Cmd   wire.Command
}

// Show renders a kiosk screen in Lang ("": the configured language) and sends it to Shell.
type Show struct {
	Shell ShellID
	Lang  string
	View  ui.View
	Focus string // the action whose button takes the focus ("": none)
}

// ShowSession renders the kiosk's UI over the provider's site (ui.Renderer.Session) and sends
// it to Shell.
type ShowSession struct {
	Shell   ShellID
	Lang    string
	Limit   time.Time  // the session's absolute end
	Warning ui.Warning // "" for none
	Ends    time.Time  // when it ends if nothing happens
	Prompt  string     // ui.Prompt…, "" for none
}

// Kill a shell that stopped answering; its exit follows as ShellExited.
type Kill struct{ Shell ShellID }

// Wipe a shell in the background: kill it, delete its directory, verify. With Session, the
// session's print jobs are purged too. Report the outcome with Wiped.
type Wipe struct {
	Shell   ShellID
	Session bool
}

// Audit writes one audit line and counts the session's end.
type Audit struct {
	Line     AuditLine
	Lasted   time.Duration // from the card to the end
	WipeTook time.Duration
}

// Count counts one thing for the metrics endpoint.
type Count struct {
	Metric Metric
	Label  string // CardRead: its result
}

// Metric is what a Count counts.
type Metric int

// What the Core counts (the supervisor's Reporter has one method each).
const (
	CardRead          Metric = iota // Label: accepted, ignored or closed
	ShellCrash                      // a shell died during a session or before one
	NavigationRefused               // the URL policy refused a page
	WipeFailure                     // the wipe of a shell that served no session failed
	ShellStart                      // a shell was started
)

// Log is a line for the technician's log; never anything about the patient.
type Log struct {
	Level slog.Level
	Msg   string
	Args  []any
}

// DemoCard: the demo's card was touched on the welcome screen; swipe it through the reader path.
type DemoCard struct{}

// PINEntered hands the PIN pad's PIN to the PINTaker, which owns and zeroes it.
type PINEntered struct{ PIN []byte }

// PINCancelled tells the PINTaker the pad closed without a PIN.
type PINCancelled struct{}

func (StartShell) effect()   {}
func (Send) effect()         {}
func (Show) effect()         {}
func (ShowSession) effect()  {}
func (Kill) effect()         {}
func (Wipe) effect()         {}
func (Audit) effect()        {}
func (Count) effect()        {}
func (Log) effect()          {}
func (DemoCard) effect()     {}
func (PINEntered) effect()   {}
func (PINCancelled) effect() {}

// AuditLine is one session end, with the fields of DESIGN.md; nothing in it identifies a patient.
type AuditLine struct {
	SessionID    string  `json:"session_id"`
	Started      string  `json:"started"`
	Ended        string  `json:"ended"`
	Reason       Reason  `json:"reason"`
	DurationS    float64 `json:"duration_s"`
	WipeVerified bool    `json:"wipe_verified"`
	WipeMS       int64   `json:"wipe_ms"`
}

// emit queues effects for the supervisor.
func (c *Core) emit(e ...Effect) { c.out = append(c.out, e...) }

func (c *Core) logInfo(msg string, args ...any)  { c.emit(Log{slog.LevelInfo, msg, args}) }
func (c *Core) logWarn(msg string, args ...any)  { c.emit(Log{slog.LevelWarn, msg, args}) }
func (c *Core) logError(msg string, args ...any) { c.emit(Log{slog.LevelError, msg, args}) }

// send sends cmd to sh.
func (c *Core) send(sh *shell, cmd wire.Command) { c.emit(Send{sh.id, cmd}) }

// Take returns the effects decided since the last Take, in order, and forgets them.
func (c *Core) Take() []Effect {
	out := c.out
	c.out = nil
	return out
}
