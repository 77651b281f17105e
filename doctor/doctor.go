// Package doctor checks a kiosk's installation, for the site technician: `carekiosk doctor`
// prints one line per check, with the fix when it fails. Every path and command it uses is in
// Env, so tests run the checks against a pseudo-terminal reader and a temporary session_dir.
//
// A check ends in one of three levels. FAIL: the kiosk will not work, or not safely, as
// installed. WARN: something doctor could not prove, which is not known to be wrong — the only
// one today is a card reader that opens but sends nothing while doctor listens, because nobody
// swiped a card. OK: proven.
package doctor

import (
	"fmt"
	"io"
	"time"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/session"
)

// Level is how a check ended.
type Level string

// The levels, as printed.
const (
	OK   Level = "ok"
	Warn Level = "WARN"
	Fail Level = "FAIL"
)

// Result is one check's line.
type Result struct {
	Check string // "config", "reader", …
	Level Level
	Msg   string // what was found
	Fix   string // what to do, when not OK
}

// String is the line doctor prints: "ok   config: ...", "FAIL reader: ...; fix: ...".
func (r Result) String() string {
	s := fmt.Sprintf("%-4s %s: %s", r.Level, r.Check, r.Msg)
	if r.Fix != "" && r.Level != OK {
		s += "; fix: " + r.Fix
	}
	return s
}

// Env is everything the checks look at. Defaults gives the real system's.
type Env struct {
	ConfigPath string
	Listen     time.Duration // how long the reader check listens for a card

	Getenv func(string) string
	// Command runs a program and returns its output, trimmed.
	Command func(name string, args ...string) (string, error)
	// Browser finds the browser binary, carekiosk-shell (shellproc.FindShell for this binary).
	Browser func() (string, error)
	// Dlopen loads a shared library by name as the dynamic loader would.
	Dlopen func(name string) error
	// FSType returns the statfs magic of the file system path is on.
	FSType func(path string) (int64, error)
	// Running returns the status of the kiosk running with this config, or an error when none
	// answers on its control socket.
	Running func(cfg *config.Config) (session.Status, error)
	// WaylandSockets are glob patterns of compositor sockets to try when neither
	// WAYLAND_DISPLAY nor DISPLAY is set (doctor run over ssh, while cage runs the kiosk).
	WaylandSockets []string
	// X11Dir holds the X servers' sockets (X0, X1, …).
	X11Dir string
	// Unit is the systemd unit of the kiosk.
	Unit string
	// ClockSynced reports whether the kernel's clock is synchronised, for when timedatectl
	// cannot say (adjtimex).
	ClockSynced func() (bool, error)
	// Swaps lists the active swap areas, each judged private or not (ActiveSwaps).
	Swaps func() ([]Swap, error)
	// Sysctl reads a kernel setting ("kernel.core_pattern"), trimmed.
	Sysctl func(name string) (string, error)
	// Sysfs is where sysfs is mounted ("/sys"): the input devices, for the on-screen keyboard.
	Sysfs string
}

// check is one family of checks; it may use and set what the config check loaded.
type check func(e *Env, st *state) Result

// state is what the checks share while doctor runs.
type state struct {
	cfg     *config.Config // the config to check the rest against (defaults if it is broken)
	running *session.Status
}

var checks = []check{checkConfig, checkRunning, checkReader, checkSIP2, checkDisplay, checkBrowser, checkWebKit,
	checkKeyboard, checkSessionDir, checkContainment, checkSandbox, checkSecret, checkSwap, checkCoreDump, checkUnit, checkClock}

// Run runs every check, printing each line to w as it ends, and returns the results.
func Run(e *Env, w io.Writer) []Result {
	st := &state{}
	var out []Result
	for _, c := range checks {
		r := c(e, st)
		if r.Check == "" {
			continue // a check with nothing to say (e.g. no running kiosk)
		}
		fmt.Fprintln(w, r)
		out = append(out, r)
	}
	return out
}

// Failed reports whether any result is a FAIL.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Level == Fail {
			return true
		}
	}
	return false
}
