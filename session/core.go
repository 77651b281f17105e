package session

import (
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// Config is what the Core decides by: the settings a reload may change, and the rest.
type Config struct {
	Settings
	EndedFor   time.Duration // how long the session-ended screen shows; 0 → 10s
	LangFor    time.Duration // how long a language chosen on the welcome screen waits for a card; 0 → 2m
	PingMisses int           // pings in a row a shell may leave unanswered before it is hung; 0 → 5
	Dev        bool          // the welcome screen offers the demo card
	DemoCard   bool          // the demo card can be swiped (DemoCard effects go somewhere)
	PIN        bool          // a PINTaker takes the PIN pad's PIN (PINEntered effects go somewhere)
}

// MaxShellFailures is how many shells in a row may die before becoming ready before the kiosk
// stops trying and goes out of service.
const MaxShellFailures = 3

// Core is the kiosk's decision core: the session Machine and everything around it — which
// browser is on screen and which warms up as the standby, the screens and prompts, the held
// card, the PIN pad, settings waiting for a session to end. It is pure: each event is a method
// that takes the time it happened, changes the state and queues Effects (Take) for the
// supervisor, which feeds what comes of them back as events. It is not safe for concurrent use.
type Core struct {
	cfg Config
	m   *Machine
	out []Effect
	ids ShellID // the last ShellID given

	cur  *shell    // the shell on screen (or coming up)
	next *shell    // the standby: a shell warming up off the screen for the next patient
	sess *sessInfo // from the card until its audit line is written

	stats       Status
	logoutBy    time.Time // ending: waiting for the logout page until then
	endedUntil  time.Time // the session-ended (or another passing) screen shows until then
	langUntil   time.Time // a language chosen on the welcome screen lasts until then without a card
	hoursAt     time.Time // the welcome screen's opening-hours text changes then
	failures    int       // shells in a row that died before they were ready
	sessionView string    // the state and warning the session UI was last drawn for
	readerOK    bool
	pending     *Settings // from Reload, waiting for the session under way to end
	heldCard    *string   // a card (its identity) that came while the standby covered an end: served once wiped
	gen         int       // settings generation: shells of an older one are replaced

	lang         string    // the patient's choice of language; "" is the configured one
	prompt       string    // the prompt over the session (ui.Prompt…), "" for none
	presence     bool      // the presence sensor sees someone else near the screen
	readerPaused bool      // too many refused cards: the reader is ignored for a while
	passwordAt   time.Time // when the password reminder last showed
	authAsked    bool      // a site's HTTP authentication waits for the patient (ui.PromptAuth)
	pin          *pinPad   // the PIN pad on the welcome screen (pin.go), nil when none
}

// shell is a browser shell as the Core sees it: where it stands, not its process.
type shell struct {
	id      ShellID
	name    string // the process's id (shellproc): the session id, in logs
	ready   bool   // sent EvReady
	gen     int    // the settings generation it was started under
	missed  int    // pings in a row without a pong
	warm    bool   // a standby that was sent its screens to draw off the screen
	painted bool   // … and painted them
	// offscreen: a standby that paints mapped off the screen (X11). One that can't (Wayland) is
	// lifted: mapped over the privacy check showing the same screen (lifting), then left beneath
	// the session's window once that is mapped again on top (under), where it paints.
	offscreen, lifting, under bool
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

// NewCore returns a core with no shell yet; Start begins.
func NewCore(cfg Config) *Core {
	if cfg.EndedFor == 0 {
		cfg.EndedFor = 10 * time.Second
	}
	if cfg.LangFor == 0 {
		cfg.LangFor = 2 * time.Minute
	}
	if cfg.PingMisses <= 0 {
		cfg.PingMisses = 5
	}
	return &Core{cfg: cfg, m: NewMachine(cfg.Timeouts), readerOK: true}
}

// Start: the supervisor has prepared session_dir; the first browser starts. With problem
// (not ""), it could not, and the kiosk is out of service.
func (c *Core) Start(problem string) {
	if problem != "" {
		c.outOfService(problem)
		return
	}
	c.startShell(false)
}

// startShell starts a browser: the standby (hidden) or the one for the screen.
func (c *Core) startShell(hidden bool) {
	c.ids++
	sh := &shell{id: c.ids, gen: c.gen}
	init := c.cfg.Init
	init.Hidden = hidden
	c.emit(StartShell{Shell: sh.id, Init: init})
	if hidden {
		c.next = sh
	} else {
		c.cur = sh
	}
}

// ShellStarted: the shell's process runs, under the id name.
func (c *Core) ShellStarted(id ShellID, name string) {
	if sh := c.byID(id); sh != nil {
		sh.name = name
	}
	c.stats.ShellsStarted++
	c.emit(Count{Metric: ShellStart})
}

// StartFailed: the shell could not be started. With noRoom, session_dir had no room for it:
// during a session the session goes on (its end tries again, or goes out of service).
func (c *Core) StartFailed(id ShellID, problem string, noRoom bool) {
	sh := c.byID(id)
	if sh == nil {
		return
	}
	c.forget(sh)
	if noRoom && c.m.InSession() {
		c.logError("no standby browser", "err", problem)
		return
	}
	if !noRoom {
		problem = "cannot start the browser: " + problem
	}
	c.outOfService(problem)
}

// byID is the shell on screen, the standby or the session's with that id; nil if none.
func (c *Core) byID(id ShellID) *shell {
	for _, sh := range []*shell{c.cur, c.next, c.sessShell()} {
		if sh != nil && sh.id == id {
			return sh
		}
	}
	return nil
}

// forget takes sh out of the places a shell can be on screen or standing by.
func (c *Core) forget(sh *shell) {
	if c.cur == sh {
		c.cur = nil
	}
	if c.next == sh {
		c.next = nil
	}
}

// sessShell is the browser of the session under way that is still to be wiped, or nil.
func (c *Core) sessShell() *shell {
	if c.sess == nil {
		return nil
	}
	return c.sess.sh
}

// Tick applies the timeouts at now and follows the machine into its new state. The supervisor
// calls it after every event, and at Deadline.
func (c *Core) Tick(now time.Time) {
	c.applyPending(now)
	c.m.Tick(now)
	if !c.langUntil.IsZero() && !now.Before(c.langUntil) {
		c.langUntil = time.Time{}
		if c.m.State() == Welcome && c.lang != "" { // chosen, then nobody came: back to the kiosk's own
			c.lang = ""
			c.showWelcome(now)
		}
	}
	if !c.endedUntil.IsZero() && !now.Before(c.endedUntil) && c.m.State() == Welcome {
		c.showWelcome(now)
	}
	if due := c.hoursDue(); !due.IsZero() && !now.Before(due) {
		c.showWelcome(now) // opening or closing time: the welcome screen says so
	}
	if !c.logoutBy.IsZero() && !now.Before(c.logoutBy) {
		c.logWarn("the logout page did not load in time; wiping anyway", "wait", c.cfg.LogoutWait)
		c.logoutBy = time.Time{}
		c.beginWipe()
	}
	switch st := c.m.State(); st {
	case Ending:
		if c.sess != nil && !c.sess.ending {
			c.beginEnding(now)
		}
	case Active, Warning:
		if view := string(st) + string(c.m.Warning()) + "/" + c.prompt; view != c.sessionView {
			c.sessionView = view
			c.showSession()
		}
	}
}

// Deadline is when Tick must next be called; zero when no timer runs.
func (c *Core) Deadline() time.Time {
	next := c.m.Deadline()
	for _, t := range []time.Time{c.endedUntil, c.langUntil, c.logoutBy, c.hoursDue()} {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next
}

// Ping: time to ping each ready shell; one that left PingMisses pings in a row unanswered is
// hung (a deadlock, a SIGSTOP: it still holds its socket and its process) and is killed. Its
// exit is then handled as a crash.
func (c *Core) Ping() {
	seen := map[*shell]bool{}
	for _, sh := range []*shell{c.cur, c.next, c.sessShell()} {
		if sh == nil || !sh.ready || seen[sh] {
			continue
		}
		seen[sh] = true
		if sh.missed >= c.cfg.PingMisses {
			c.logError("the browser stopped answering: killing it", "shell", sh.name, "pings_missed", sh.missed)
			sh.missed = 0
			c.emit(Kill{sh.id})
			continue
		}
		sh.missed++
		c.send(sh, wire.Command{Cmd: wire.CmdPing})
	}
}

// Shells are the shells the Core knows of: on screen, standing by, and the session's still to be
// wiped (0 for none; the session's may be the one on screen).
func (c *Core) Shells() (cur, next, sess ShellID) {
	id := func(sh *shell) ShellID {
		if sh == nil {
			return 0
		}
		return sh.id
	}
	return id(c.cur), id(c.next), id(c.sessShell())
}

// Shutdown ends a session under way as shutdown. The supervisor then wipes every shell, the
// session's last, and reports that wipe with ShutdownWiped.
func (c *Core) Shutdown() { c.m.End(Shutdown) }

// ShutdownWiped: at shutdown, the session's shell was wiped (verified or not) in took.
func (c *Core) ShutdownWiped(now time.Time, verified bool, took time.Duration) {
	if c.sess != nil {
		c.audit(now, c.sess, verified, took)
	}
}

// outOfService stops new sessions for good (until restarted); the screen says so when a shell
// can show it, and status gives the technician the reason.
func (c *Core) outOfService(why string) {
	c.logError("out of service", "problem", why)
	c.stats.Problem = why
	c.closePIN(true)
	c.m.OutOfService()
	if c.cur == nil && c.next != nil {
		c.cur, c.next = c.next, nil
		c.send(c.cur, wire.Command{Cmd: wire.CmdShow})
	}
	c.show(ui.OutOfService{}, "")
}
