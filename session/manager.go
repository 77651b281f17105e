package session

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/carekiosk/carekiosk/shellproc"
	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// Options configure a Manager.
type Options struct {
	Timeouts   Timeouts
	SessionDir string        // one private directory per shell is made here
	StartURL   string        // the record provider's sign-in page
	LogoutURL  string        // visited before the wipe when a session reached the site ("" = none)
	LogoutWait time.Duration // bound on waiting for LogoutURL to load
	EndedFor   time.Duration // how long the session-ended screen shows; 0 → 10s
	LangFor    time.Duration // how long a language chosen on the welcome screen waits for a card; 0 → 2m
	Shell      []string      // argv that starts a shell process
	ShellEnv   []string      // extra environment for shells (display variables)
	Init       wire.Init     // sent to every shell
	UI         *ui.Renderer
	Dev        bool // the welcome screen offers the demo card
	DemoCard   func()
	Audit      io.Writer // one JSON line per session end
	Log        *slog.Logger
	Now        func() time.Time

	Hours   Schedule // opening hours; nil: always open
	Metrics Reporter // counts for the metrics endpoint; nil: none
	// Heartbeat, if set, is called from the manager's loop every HeartbeatEvery (0: 10s) and
	// whenever the state, screen, reader or session count changes. It must not block.
	Heartbeat      func(Status)
	HeartbeatEvery time.Duration
	// TechnicianInfo, if set, is what the technician screen shows of the unit (sensor, config
	// summary, version, unit). It is called from the manager's loop and must not block.
	TechnicianInfo func() ui.TechnicianInfo

	// PrintJobs, with printing on, purges the session's print jobs at its end (cups.Jobs);
	// nil when printing is off.
	PrintJobs Purger

	// PingEvery (0: 1s) is how often each ready shell is pinged over the wire; one that leaves
	// PingMisses (0: 5) pings in a row unanswered is hung, and is killed like a crashed one.
	PingEvery  time.Duration
	PingMisses int
	// MinFree (0: 8 MiB) is the free space session_dir must have before a browser starts in it.
	MinFree uint64
	// Sandbox, if set, proves at start that the browsers' sandbox can start
	// (shellproc.CheckSandbox); its error takes the kiosk out of service.
	Sandbox func() error
	// PIN receives the PIN pad's PIN (AskPIN); nil: the pad's OK does nothing.
	PIN PINTaker
}

// maxShellFailures is how many shells in a row may die before becoming ready before the kiosk
// stops trying and goes out of service.
const maxShellFailures = 3

// Manager runs sessions. One goroutine (Run) owns the machine and the shells; the exported
// methods reach it through a channel and are safe from any goroutine.
type Manager struct {
	o      Options
	m      *Machine
	events chan shellEvent
	exits  chan *shell
	calls  chan func()
	wiped  chan wipeResult
	timer  *time.Timer

	contain *shellproc.Containment // starts the shells and keeps track of their processes
	cur     *shell                 // the shell on screen (or coming up)
	next    *shell                 // the standby: a shell warming up off the screen for the next patient
	sess    *sessInfo              // from the card until its audit line is written
	stats   Status

	logoutBy    time.Time // ending: waiting for the logout page until then
	endedUntil  time.Time // the session-ended screen shows until then
	langUntil   time.Time // a language chosen on the welcome screen lasts until then without a card
	failures    int       // shells in a row that died before they were ready
	sessionView string    // the state and warning the session UI was last drawn for
	readerOK    bool
	hoursAt     time.Time // the welcome screen's opening-hours text changes then
	lastBeat    string    // what the last heartbeat showed
	pending     *Settings // from Reload, waiting for the session under way to end
	heldCard    *string   // a card (its identity) that came while the standby covered an end: served once wiped
	gen         int       // settings generation: shells of an older one are replaced

	lang         string    // the patient's choice of language; "" is the configured one
	prompt       string    // the prompt over the session (ui.Prompt…), "" for none
	presence     bool      // the presence sensor sees someone else near the screen
	readerPaused bool      // too many refused cards: the reader is ignored for a while (card.go)
	passwordAt   time.Time // when the password reminder last showed
	authAsked    bool      // a site's HTTP authentication waits for the patient (ui.PromptAuth)
	pin          *pinPad   // the PIN pad on the welcome screen (pin.go), nil when none
}

// sessInfo is the session under way.
type sessInfo struct {
	id        string
	sh        *shell
	started   time.Time
	activated bool   // reached the provider's site
	url       string // its current page, redacted
	ending    bool   // beginEnding ran
	card      string // the identity (an HMAC) of the card that started it, for CardRemoved; never shown or logged
}

type wipeResult struct {
	sh   *shell
	sess *sessInfo // nil: a shell that never served a session
	err  error
	dur  time.Duration
}

// NewManager returns a manager; nothing runs until Run.
func NewManager(o Options) *Manager {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.EndedFor == 0 {
		o.EndedFor = 10 * time.Second
	}
	if o.LangFor == 0 {
		o.LangFor = 2 * time.Minute
	}
	if o.Metrics == nil {
		o.Metrics = noReport{}
	}
	if o.PingEvery <= 0 {
		o.PingEvery = time.Second
	}
	if o.PingMisses <= 0 {
		o.PingMisses = 5
	}
	if o.MinFree == 0 {
		o.MinFree = 8 << 20
	}
	return &Manager{
		o: o, m: NewMachine(o.Timeouts),
		events: make(chan shellEvent, 64), exits: make(chan *shell, 4),
		calls: make(chan func()), wiped: make(chan wipeResult, 4),
		timer: time.NewTimer(time.Hour), readerOK: true,
	}
}

// Run is the manager's loop. When ctx ends it ends any session as shutdown, wipes every shell
// and returns.
func (g *Manager) Run(ctx context.Context) {
	if err := g.prepareDir(); err != nil {
		g.outOfService(err.Error())
	} else {
		g.startShell(false)
	}
	beats, stopBeats := g.heartbeatTicks()
	defer stopBeats()
	pings := time.NewTicker(g.o.PingEvery)
	defer pings.Stop()
	for {
		select {
		case <-beats:
			g.beat(true)
		case <-pings.C:
			g.ping()
		case <-ctx.Done():
			g.shutdown()
			return
		case f := <-g.calls:
			f()
		case se := <-g.events:
			g.onShellEvent(se.sh, se.ev)
		case sh := <-g.exits:
			g.onShellExit(sh)
		case r := <-g.wiped:
			g.onWiped(r)
		case <-g.timer.C:
		}
		g.step()
		g.beat(false)
	}
}

// do runs f in the loop and waits for it.
func (g *Manager) do(f func()) {
	done := make(chan struct{})
	g.calls <- func() { f(); close(done) }
	<-done
}

// prepareDir makes session_dir (0700) and removes what an earlier run left in it: the browser
// processes of its sessions first (a supervisor killed with SIGKILL can leave some), then their
// directories. Then it checks that a session fits in it.
func (g *Manager) prepareDir() error {
	g.contain = shellproc.Contain(g.o.SessionDir)
	if err := os.MkdirAll(g.o.SessionDir, 0o700); err != nil {
		return fmt.Errorf("session_dir %s: %w", g.o.SessionDir, err)
	}
	if why := g.contain.Why(); why != "" {
		g.o.Log.Warn("shell processes are found by their session directory, not contained in cgroups", "why", why)
	}
	if err := g.contain.KillLeftovers(g.o.Log); err != nil {
		return err
	}
	if g.o.Sandbox != nil {
		if err := g.o.Sandbox(); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(g.o.SessionDir)
	if err != nil {
		return fmt.Errorf("session_dir %s: %w", g.o.SessionDir, err)
	}
	for _, e := range entries {
		p := filepath.Join(g.o.SessionDir, e.Name())
		g.o.Log.Warn("removing a session directory left by an earlier run", "dir", p)
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("removing leftover %s: %w", p, err)
		}
	}
	if g.o.PrintJobs != nil { // what a crashed run's sessions printed
		if err := g.o.PrintJobs.Purge(context.Background()); err != nil {
			return fmt.Errorf("print jobs left by an earlier run: %w", err)
		}
	}
	return shellproc.CheckDir(g.o.SessionDir, g.o.MinFree)
}

func (g *Manager) startShell(hidden bool) {
	if err := shellproc.CheckDir(g.o.SessionDir, g.o.MinFree); err != nil {
		if g.m.InSession() { // the session goes on; its end tries again, or goes out of service
			g.o.Log.Error("no standby browser", "err", err)
			return
		}
		g.outOfService(err.Error())
		return
	}
	init := g.o.Init
	init.Hidden = hidden
	sh := &shell{gen: g.gen}
	var err error
	sh.Proc, err = g.contain.Start(shellproc.Spec{Argv: g.o.Shell, Env: g.o.ShellEnv, Init: init},
		func(ev wire.Event) { g.events <- shellEvent{sh, ev} }, func() { g.exits <- sh })
	if sh.Proc == nil {
		g.outOfService("cannot start the browser: " + err.Error())
		return
	}
	if err != nil {
		g.o.Log.Error("shell failed at start", "err", err) // its exit follows
	}
	g.stats.ShellsStarted++
	g.o.Metrics.ShellStarted()
	if hidden {
		g.next = sh
	} else {
		g.cur = sh
	}
}

// step applies the timeouts and follows the machine into its new state.
func (g *Manager) step() {
	g.applyPending()
	now := g.o.Now()
	g.m.Tick(now)
	if !g.langUntil.IsZero() && !now.Before(g.langUntil) {
		g.langUntil = time.Time{}
		if g.m.State() == Welcome && g.lang != "" { // chosen, then nobody came: back to the kiosk's own
			g.lang = ""
			g.showWelcome()
		}
	}
	if !g.endedUntil.IsZero() && !now.Before(g.endedUntil) && g.m.State() == Welcome {
		g.showWelcome()
	}
	if due := g.hoursDue(); !due.IsZero() && !now.Before(due) {
		g.showWelcome() // opening or closing time: the welcome screen says so
	}
	if !g.logoutBy.IsZero() && !now.Before(g.logoutBy) {
		g.o.Log.Warn("the logout page did not load in time; wiping anyway", "wait", g.o.LogoutWait)
		g.logoutBy = time.Time{}
		g.beginWipe()
	}
	switch st := g.m.State(); st {
	case Ending:
		if g.sess != nil && !g.sess.ending {
			g.beginEnding()
		}
	case Active, Warning:
		if view := string(st) + string(g.m.Warning()) + "/" + g.prompt; view != g.sessionView {
			g.sessionView = view
			g.showSession()
		}
	}
	g.resetTimer(now)
}

func (g *Manager) resetTimer(now time.Time) {
	next := g.m.Deadline()
	for _, t := range []time.Time{g.endedUntil, g.langUntil, g.logoutBy, g.hoursDue()} {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if !g.timer.Stop() {
		select {
		case <-g.timer.C:
		default:
		}
	}
	if next.IsZero() {
		g.timer.Reset(time.Hour)
	} else {
		g.timer.Reset(max(next.Sub(now), 0))
	}
}
