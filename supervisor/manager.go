// Package supervisor carries out the kiosk's decisions (session.Core): it starts the browser
// shells as processes, sends them commands and screens, wipes them, writes the audit line,
// counts, and feeds what comes of each back to the Core. One goroutine owns the Core and the
// shells; the exported methods reach it through a channel and are safe from any goroutine.
package supervisor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/shellproc"
	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// Options configure a Manager.
type Options struct {
	session.Settings               // what a reload may change: timeouts, URLs, what shells are told, hours
	SessionDir       string        // one private directory per shell is made here
	EndedFor         time.Duration // how long the session-ended screen shows; 0 → 10s
	LangFor          time.Duration // how long a language chosen on the welcome screen waits for a card; 0 → 2m
	Shell            []string      // argv that starts a shell process
	ShellEnv         []string      // extra environment for shells (display variables)
	UI               *ui.Renderer
	Dev              bool // the welcome screen offers the demo card
	DemoCard         func()
	Audit            io.Writer // one JSON line per session end
	Log              *slog.Logger
	Now              func() time.Time

	Metrics Reporter // counts for the metrics endpoint; nil: none
	// Heartbeat, if set, is called from the manager's loop every HeartbeatEvery (0: 10s) and
	// whenever the state, screen, reader or session count changes. It must not block.
	Heartbeat      func(session.Status)
	HeartbeatEvery time.Duration

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
	// PINPad receives what the patient does on the PIN pad (AskPIN); nil: the pad's OK does
	// nothing. Its reader must keep up: the manager's loop waits for each send.
	PINPad chan<- PINPad
}

// Manager runs sessions: session.Core decides, the Manager does.
type Manager struct {
	o      Options
	core   *session.Core
	events chan shellEvent
	exits  chan session.ShellID
	calls  chan func()
	wiped  chan wipeResult
	timer  *time.Timer

	contain  *shellproc.Containment // starts the shells and keeps track of their processes
	shells   map[session.ShellID]*shellproc.Proc
	lastBeat string // what the last heartbeat showed
}

// shellEvent is a message from a shell, delivered into the manager's loop.
type shellEvent struct {
	id session.ShellID
	ev wire.Event
}

type wipeResult struct {
	id   session.ShellID
	err  error
	took time.Duration
}

// NewManager returns a manager; nothing runs until Run.
func NewManager(o Options) *Manager {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Metrics == nil {
		o.Metrics = noReport{}
	}
	if o.PingEvery <= 0 {
		o.PingEvery = time.Second
	}
	if o.MinFree == 0 {
		o.MinFree = 8 << 20
	}
	core := session.NewCore(session.Config{
		Settings: o.Settings, EndedFor: o.EndedFor, LangFor: o.LangFor, PingMisses: o.PingMisses,
		Dev: o.Dev, DemoCard: o.DemoCard != nil, PIN: o.PINPad != nil,
	})
	return &Manager{
		o: o, core: core,
		events: make(chan shellEvent, 64), exits: make(chan session.ShellID, 4),
		calls: make(chan func()), wiped: make(chan wipeResult, 4),
		timer: time.NewTimer(time.Hour), shells: map[session.ShellID]*shellproc.Proc{},
	}
}

// Run is the manager's loop. When ctx ends it ends any session as shutdown, wipes every shell
// and returns.
func (g *Manager) Run(ctx context.Context) {
	problem := ""
	if err := g.prepareDir(); err != nil {
		problem = err.Error()
	}
	g.core.Start(problem)
	g.apply()
	beats, stopBeats := g.heartbeatTicks()
	defer stopBeats()
	pings := time.NewTicker(g.o.PingEvery)
	defer pings.Stop()
	for {
		select {
		case <-beats:
			g.beat(true)
		case <-pings.C:
			g.core.Ping()
		case <-ctx.Done():
			g.shutdown()
			return
		case f := <-g.calls:
			f()
		case se := <-g.events:
			g.core.ShellEvent(g.o.Now(), se.id, se.ev)
		case id := <-g.exits:
			g.core.ShellExited(id)
		case r := <-g.wiped:
			g.core.Wiped(g.o.Now(), r.id, r.err, r.took)
			delete(g.shells, r.id)
		case <-g.timer.C:
		}
		now := g.o.Now()
		g.core.Tick(now)
		g.apply()
		g.resetTimer(now)
		g.beat(false)
	}
}

// do runs f with the Core in the loop, carries out what it decided, and waits for it.
func (g *Manager) do(f func(now time.Time)) {
	done := make(chan struct{})
	g.calls <- func() { f(g.o.Now()); g.apply(); close(done) }
	<-done
}

// prepareDir makes session_dir (0700) and removes what an earlier run left in it: the browser
// processes of its sessions first (a supervisor killed with SIGKILL can leave some), then their
// directories. Whether a session fits in it is checked as each browser starts (start).
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
	return nil
}

// apply carries out what the Core decided, in order, and what it decides about their outcomes.
func (g *Manager) apply() {
	for effects := g.core.Take(); len(effects) > 0; effects = g.core.Take() {
		for _, e := range effects {
			g.carryOut(e)
		}
	}
}

// carryOut does one effect.
func (g *Manager) carryOut(e session.Effect) {
	switch e := e.(type) {
	case session.StartShell:
		g.start(e)
	case session.Send:
		if p := g.shells[e.Shell]; p != nil {
			p.Send(e.Cmd)
		}
	case session.Show:
		u, err := g.o.UI.In(e.Lang).Screen(e.View, e.Focus)
		g.sendUI(e.Shell, u, err)
	case session.ShowSession:
		u, err := g.o.UI.In(e.Lang).Session(e.Limit, e.Warning, e.Ends, e.Prompt)
		g.sendUI(e.Shell, u, err)
	case session.Kill:
		if p := g.shells[e.Shell]; p != nil {
			p.Kill() // its exit follows, as for a crash
		}
	case session.Wipe:
		p, start := g.shells[e.Shell], time.Now()
		go func() {
			var err error
			if p != nil { // nil: its start failed, and it left nothing
				err = p.Wipe()
			}
			if e.Session {
				err = g.purgePrints(err)
			}
			g.wiped <- wipeResult{id: e.Shell, err: err, took: time.Since(start)}
		}()
	case session.Audit:
		g.audit(e)
	case session.Count:
		g.count(e)
	case session.Log:
		g.o.Log.Log(context.Background(), e.Level, e.Msg, e.Args...)
	case session.DemoCard:
		go g.o.DemoCard() // the demo card goes through the real reader path
	case session.PINEntered:
		g.o.PINPad <- PINPad{PIN: e.PIN}
	case session.PINCancelled:
		g.o.PINPad <- PINPad{Cancelled: true}
	}
}

// start starts a shell process, and tells the Core how that went.
func (g *Manager) start(e session.StartShell) {
	if err := shellproc.CheckDir(g.o.SessionDir, g.o.MinFree); err != nil {
		g.core.StartFailed(e.Shell, err.Error(), true)
		return
	}
	id := e.Shell
	p, err := g.contain.Start(shellproc.Spec{Argv: g.o.Shell, Env: g.o.ShellEnv, Init: e.Init},
		func(ev wire.Event) { g.events <- shellEvent{id, ev} }, func() { g.exits <- id })
	if p == nil {
		g.core.StartFailed(id, err.Error(), false)
		return
	}
	if err != nil {
		g.o.Log.Error("shell failed at start", "err", err) // its exit follows
	}
	g.shells[id] = p
	g.core.ShellStarted(id, p.ID)
}

// sendUI sends a rendered screen to shell id, or logs why it could not be rendered.
func (g *Manager) sendUI(id session.ShellID, u *wire.UI, err error) {
	if err != nil {
		g.o.Log.Error("rendering a kiosk screen", "err", err)
		return
	}
	if p := g.shells[id]; p != nil {
		p.Send(wire.Command{Cmd: wire.CmdUI, UI: u})
	}
}

func (g *Manager) resetTimer(now time.Time) {
	next := g.core.Deadline()
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

// shutdown ends a session under way as shutdown and wipes every shell before returning.
func (g *Manager) shutdown() {
	g.core.Shutdown()
	cur, next, sess := g.core.Shells()
	for _, id := range []session.ShellID{cur, next} {
		if p := g.shells[id]; p != nil && id != sess {
			if err := p.Wipe(); err != nil {
				g.o.Log.Error("wipe at shutdown failed", "err", err)
			}
		}
	}
	if p := g.shells[sess]; p != nil {
		start := time.Now()
		err := g.purgePrints(p.Wipe())
		g.core.ShutdownWiped(g.o.Now(), err == nil, time.Since(start))
		g.apply()
		if err != nil {
			g.o.Log.Error("wipe at shutdown failed", "err", err)
		}
	}
	if err := g.contain.Close(); err != nil { // a wipe still under way: the next start sweeps it
		g.o.Log.Warn("shell cgroups left for the next start", "err", err)
	}
}

// audit writes a session's audit line and counts its end.
func (g *Manager) audit(a session.Audit) {
	b, _ := json.Marshal(a.Line)
	g.o.Metrics.SessionEnded(string(a.Line.Reason), a.Lasted, a.WipeTook, a.Line.WipeVerified)
	if _, err := g.o.Audit.Write(append(b, '\n')); err != nil {
		g.o.Log.Error("writing the audit line", "err", err)
	}
}

// purgePrints follows the wipe of a session's shell, which ended with err: with printing on it
// purges what the session printed. The shell is gone by then, so nothing can queue a job
// behind the purge.
func (g *Manager) purgePrints(err error) error {
	if g.o.PrintJobs == nil {
		return err
	}
	if perr := g.o.PrintJobs.Purge(context.Background()); perr != nil {
		return errors.Join(err, fmt.Errorf("print jobs: %w", perr))
	}
	return err
}
