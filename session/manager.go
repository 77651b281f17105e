package session

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
	// TechnicianInfo, if set, adds to the technician screen's data (sensor, config summary,
	// version, unit). It is called from the manager's loop and must not block.
	TechnicianInfo func() ui.Data

	// PrintJobs, with printing on, purges the session's print jobs at its end (printjobs.go);
	// nil when printing is off.
	PrintJobs Purger

	// PingEvery (0: 1s) is how often each ready shell is pinged over the wire; one that leaves
	// PingMisses (0: 5) pings in a row unanswered is hung, and is killed like a crashed one.
	PingEvery  time.Duration
	PingMisses int
	// MinFree (0: 8 MiB) is the free space session_dir must have before a browser starts in it.
	MinFree uint64
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

	cur   *shell    // the shell on screen (or coming up)
	next  *shell    // the standby: a shell warming up off the screen for the next patient
	sess  *sessInfo // from the card until its audit line is written
	stats Status

	logoutBy    time.Time // ending: waiting for the logout page until then
	endedUntil  time.Time // the session-ended screen shows until then
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

// Card reports a card the reader accepted, without its identity (see CardID).
func (g *Manager) Card() { g.do(func() { g.card("") }) }

// ReaderStatus reports whether the card reader is connected; the welcome screen says so.
func (g *Manager) ReaderStatus(device string, connected bool) {
	g.do(func() {
		g.stats.Reader = ReaderState{Device: device, Connected: connected}
		if g.readerOK != connected {
			g.readerOK = connected
			if g.m.State() == Welcome && g.endedUntil.IsZero() {
				g.showWelcome()
			}
		}
	})
}

// EndSession ends the session under way for reason; it reports false when there was none.
func (g *Manager) EndSession(reason Reason) (ended bool) {
	g.do(func() {
		ended = g.m.InSession()
		g.m.End(reason)
	})
	return ended
}

// PresenceAlert reports what the presence sensor sees: on when someone else may be able to see
// the screen. During a session, on blurs the page under "someone may be able to see your screen"
// until the patient answers it or the sensor clears; outside a session it does nothing.
func (g *Manager) PresenceAlert(on bool) {
	g.do(func() {
		was := g.presence
		g.presence = on
		switch {
		case on && !was && g.m.InSession():
			g.prompt = ui.PromptPresence
		case !on && g.prompt == ui.PromptPresence:
			g.prompt = ""
		}
	})
}

// CardRefused reports a read the reader could not take as a card: on the welcome screen, the
// patient is told so, without saying why.
func (g *Manager) CardRefused() {
	g.do(func() {
		if g.m.State() == Welcome && g.cur != nil {
			g.render(g.ui().Screen("refused", "ok", nil))
			g.endedUntil = g.o.Now().Add(g.o.EndedFor)
		}
	})
}

// Technician shows (on) or takes down the technician screen: the kiosk's status, nothing about
// any patient. It shows only between sessions.
func (g *Manager) Technician(on bool) {
	g.do(func() {
		if st := g.m.State(); st != Welcome && st != OutOfService {
			return
		}
		if !on {
			g.showWelcome()
			return
		}
		s := g.stats
		g.endedUntil = time.Time{}
		g.render(g.ui().Screen("technician", "tech-close", withInfo(ui.Data{
			"State": g.m.State(), "ReaderDevice": s.Reader.Device, "ReaderOK": g.readerOK, "Sessions": s.SessionsTotal,
			"LastEnd": string(s.LastEndReason), "WipeVerified": s.LastWipeVerified, "Problem": s.Problem,
		}, g.o.TechnicianInfo)))
	})
}

// ui is the renderer in the patient's language.
func (g *Manager) ui() *ui.Renderer { return g.o.UI.In(g.lang) }

// prepareDir makes session_dir (0700) and removes what an earlier run left in it: the browser
// processes of its sessions first (a supervisor killed with SIGKILL can leave some), then their
// directories. Then it checks that a session fits in it.
func (g *Manager) prepareDir() error {
	if err := os.MkdirAll(g.o.SessionDir, 0o700); err != nil {
		return fmt.Errorf("session_dir %s: %w", g.o.SessionDir, err)
	}
	if err := killLeftovers(g.o.SessionDir, g.o.Log); err != nil {
		return err
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
	return checkDir(g.o.SessionDir, g.o.MinFree)
}

func (g *Manager) startShell(hidden bool) {
	if err := checkDir(g.o.SessionDir, g.o.MinFree); err != nil {
		if g.m.InSession() { // the session goes on; its end tries again, or goes out of service
			g.o.Log.Error("no standby browser", "err", err)
			return
		}
		g.outOfService(err.Error())
		return
	}
	init := g.o.Init
	init.Hidden = hidden
	sh, err := startShell(g.o.SessionDir, g.o.Shell, g.o.ShellEnv, init, g.events, g.exits)
	if err != nil && sh == nil {
		g.outOfService("cannot start the browser: " + err.Error())
		return
	}
	if err != nil {
		g.o.Log.Error("shell failed at start", "err", err) // its exit follows
	}
	sh.gen = g.gen
	g.stats.ShellsStarted++
	g.o.Metrics.ShellStarted()
	if hidden {
		g.next = sh
	} else {
		g.cur = sh
	}
}

func (g *Manager) onShellEvent(sh *shell, ev wire.Event) {
	if ev.Ev == wire.EvPong {
		sh.missed = 0
		return
	}
	if ev.Ev == wire.EvLoad && g.sess != nil && sh == g.sess.sh && sh != g.cur {
		g.onLogoutLoad(ev.URL) // the ending session's window, off the screen
		return
	}
	if ev.Ev == wire.EvReady {
		sh.ready = true
		g.failures = 0
		if g.m.State() == Starting && (sh == g.cur || sh == g.next && g.cur == nil) {
			g.promote(sh)
		}
		g.warm(sh)
		g.swapStale(sh)
		return
	}
	if ev.Ev == wire.EvShown && sh == g.next && sh.warm {
		sh.painted = true // the standby has drawn its screens off the screen
	}
	if sh != g.cur {
		return
	}
	now := g.o.Now()
	switch ev.Ev {
	case wire.EvShown:
		g.stats.Screen = ev.Screen
		g.stats.ScreenAt = now.UnixMicro()
		if g.sess != nil && g.next == nil && g.m.InSession() {
			g.startShell(true) // the session's first screen is up: warm the next patient's browser
		}
	case wire.EvActivity:
		g.m.Input(now)
	case wire.EvLoad:
		if g.sess != nil && g.sess.activated && g.m.InSession() {
			g.sess.url = ev.URL
		}
		g.onLogoutLoad(ev.URL)
	case wire.EvBlocked:
		g.stats.Refused++
		g.o.Metrics.NavigationRefused()
		g.o.Log.Info("refused", "what", ev.Detail, "url", ev.URL)
		g.promptOver(ui.PromptBlocked, ui.PromptHelp, ui.PromptPassword)
	case wire.EvFailed:
		g.o.Log.Warn("page failed to load", "url", ev.URL, "detail", ev.Detail)
		g.promptOver(ui.PromptFailed, ui.PromptHelp, ui.PromptPassword)
	case wire.EvPassword:
		if g.prompt == "" && now.Sub(g.passwordAt) >= time.Minute && g.promptOver(ui.PromptPassword) {
			g.passwordAt = now
		}
	case wire.EvQuick:
		if g.m.InSession() {
			g.m.End(QuickExit)
		}
	case wire.EvButton:
		g.onButton(ev.Name, now)
	case wire.EvPrint:
		g.onPrint(ev)
	}
}

// onLogoutLoad wipes the ending session once its browser has loaded the logout page.
func (g *Manager) onLogoutLoad(url string) {
	if !g.logoutBy.IsZero() && strings.HasPrefix(url, wire.Redact(g.o.LogoutURL)) {
		g.logoutBy = time.Time{}
		g.beginWipe()
	}
}

// onButton acts on the kiosk's own buttons, only where each makes sense.
func (g *Manager) onButton(name string, now time.Time) {
	st := g.m.State()
	switch {
	case name == "demo-card" && g.o.Dev && st == Welcome && g.o.DemoCard != nil:
		go g.o.DemoCard() // the demo card goes through the real reader path
	case name == "ok" && st == Welcome:
		g.showWelcome()
	case name == "ready" && st == Privacy:
		g.m.Accept(now)
		g.sess.activated = true
		g.cur.send(wire.Command{Cmd: wire.CmdNavigate, URL: g.o.StartURL})
	case name == "cancel" && st == Privacy:
		g.m.End(PrivacyDeclined)
	case name == "end":
		g.m.End(UserEnded)
	case name == "quick-exit":
		g.m.End(QuickExit)
	case name == "still-here":
		g.m.Input(now)
	case strings.HasPrefix(name, "lang-") && st == Welcome:
		g.lang = strings.TrimPrefix(name, "lang-")
		g.showWelcome()
	case name == "help" && st == Welcome:
		g.render(g.ui().Screen("help", "help-close", nil))
		g.endedUntil = now.Add(2 * time.Minute) // then back to the welcome screen
	case (name == "help-close" || name == "tech-close") && st == Welcome:
		g.showWelcome()
	case name == "help" && st == Active:
		g.prompt = ui.PromptHelp
	case name == "help-close" && g.prompt == ui.PromptHelp, name != "" && name == ui.PromptButton(g.prompt):
		g.prompt = ""
	}
}

// promptOver shows prompt over the provider's site when no prompt or one of these is showing.
func (g *Manager) promptOver(prompt string, these ...string) bool {
	if g.m.State() != Active || g.sess == nil || !g.sess.activated || g.prompt != "" && !slices.Contains(these, g.prompt) {
		return false
	}
	g.prompt = prompt
	return true
}

func (g *Manager) card(id string) {
	now := g.o.Now()
	g.swapStale(g.next) // a browser with the reloaded settings is ready: use it
	if g.m.State() == Welcome && !g.open(now) {
		g.o.Log.Info("card ignored: the kiosk is closed")
		g.o.Metrics.CardRead("closed")
		return
	}
	if g.m.State() == Ending && g.sess != nil && g.cur != nil && g.cur != g.sess.sh {
		g.heldCard = &id // the next patient is already at the clean screen: serve them once verified
		g.o.Log.Info("card held until the last session's wipe is verified")
		return
	}
	if g.cur == nil || !g.m.Card(now) {
		g.o.Log.Info("card ignored: not on the welcome screen", "state", g.m.State())
		g.o.Metrics.CardRead("ignored")
		return
	}
	g.o.Metrics.CardRead("accepted")
	g.m.SetClosing(g.closesAt(now))
	g.endedUntil = time.Time{}
	g.sess = &sessInfo{id: g.cur.id, sh: g.cur, started: now, card: id}
	g.sessionView = ""
	g.prompt, g.passwordAt = "", time.Time{}
	g.stats.SessionsTotal++
	g.render(g.ui().Screen("privacy", "ready", nil))
}

func (g *Manager) onShellExit(sh *shell) {
	if g.sess != nil && sh == g.sess.sh {
		if g.m.InSession() {
			g.stats.ShellsCrashed++
			g.o.Metrics.ShellCrashed()
			g.o.Log.Error("the browser died during a session", "session", sh.id)
			g.m.End(BrowserCrashed)
		} else if !g.logoutBy.IsZero() { // died on the logout page: wipe without waiting
			g.logoutBy = time.Time{}
			g.beginWipe()
		}
		return // otherwise the wipe under way sees the exit
	}
	if sh != g.cur && sh != g.next {
		return // a shell being wiped
	}
	g.stats.ShellsCrashed++
	g.o.Metrics.ShellCrashed()
	g.failures++
	g.o.Log.Error("the browser exited before a session", "shell", sh.id, "failures", g.failures)
	hidden := sh == g.next
	if hidden {
		g.next = nil
	} else {
		g.cur = nil
	}
	ending := g.sess != nil // the standby died covering a session's end: its wipe goes on
	go func() { g.wiped <- wipeResult{sh: sh, err: wipe(sh)} }()
	if g.m.State() == OutOfService {
		return
	}
	if g.failures >= maxShellFailures {
		g.outOfService(fmt.Sprintf("the browser failed %d times in a row before showing the welcome screen", g.failures))
		return
	}
	if !hidden && !ending {
		g.m = NewMachine(g.o.Timeouts) // back to starting, keeping no session
	}
	g.startShell(hidden || ending)
}

// step applies the timeouts and follows the machine into its new state.
func (g *Manager) step() {
	g.applyPending()
	now := g.o.Now()
	g.m.Tick(now)
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
	for _, t := range []time.Time{g.endedUntil, g.logoutBy, g.hoursDue()} {
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

// beginEnding starts the end of the session: a cover screen, the logout page, then the wipe.
func (g *Manager) beginEnding() {
	g.sess.ending = true
	g.o.Log.Info("ending session", "session", g.sess.id, "reason", g.m.Reason())
	if g.next == nil {
		g.startShell(true) // the next patient's shell warms up while this one is wiped
	}
	g.coverWithStandby()
	if g.m.Reason() == BrowserCrashed {
		g.beginWipe()
		return
	}
	if g.cur == g.sess.sh { // no standby was ready: cover the session in its own browser
		if g.m.Reason() == QuickExit {
			g.render(g.ui().Screen("neutral", "ok", nil)) // at once, and nothing about health records
		} else {
			g.render(g.ui().Screen("ending", "", nil))
		}
	}
	if g.sess.activated && g.o.LogoutURL != "" {
		g.logoutBy = g.o.Now().Add(g.o.LogoutWait)
		g.sess.sh.send(wire.Command{Cmd: wire.CmdNavigate, URL: g.o.LogoutURL})
		return
	}
	g.beginWipe()
}

// coverWithStandby puts the standby, if it is ready, on the screen in place of the ending
// session's browser, which is hidden at once: from the end on, the patient sees only a browser
// that never held the session. The standby shows the ending (or neutral) screen while the old
// browser visits the logout page off the screen and is wiped; the next card is taken only once
// that wipe is verified (onWiped).
func (g *Manager) coverWithStandby() {
	old, sb := g.sess.sh, g.next
	if g.cur != old || sb == nil || !sb.ready || sb.gen != g.gen {
		return
	}
	g.cur, g.next = sb, nil
	g.stats.Screen = ""
	switch {
	case g.m.Reason() == QuickExit:
		g.render(g.ui().Screen("neutral", "ok", nil))
	case !sb.warm || g.lang != "":
		g.render(g.ui().Screen("ending", "", nil))
	}
	sb.send(wire.Command{Cmd: wire.CmdShow}) // it reports the screen shown once painted on
	old.send(wire.Command{Cmd: wire.CmdHide})
}

// warm has a standby that just became ready draw, off the screen, the screens it will need: the
// privacy check (the next patient's first screen after a card: its fonts, layout and QR code
// are then ready in this process) and last the ending screen it shows when it takes over.
func (g *Manager) warm(sh *shell) {
	if sh != g.next || g.sess == nil {
		return
	}
	for _, name := range []string{"privacy", "ending"} {
		if u, err := g.o.UI.Screen(name, "", nil); err == nil {
			sh.send(wire.Command{Cmd: wire.CmdUI, UI: u})
		}
	}
	sh.warm = true
}

// beginWipe wipes the session's shell in the background; onWiped follows.
func (g *Manager) beginWipe() {
	sess, start := g.sess, time.Now()
	if g.cur == sess.sh {
		g.cur = nil
	}
	go func() {
		err := g.wipeSession(sess.sh)
		g.wiped <- wipeResult{sh: sess.sh, sess: sess, err: err, dur: time.Since(start)}
	}()
}

func (g *Manager) onWiped(r wipeResult) {
	if r.sess == nil { // a shell that died outside a session
		if r.err != nil {
			g.o.Metrics.WipeFailed()
			g.outOfService("wipe failed: " + r.err.Error())
		}
		return
	}
	verified := r.err == nil
	g.audit(r.sess, verified, r.dur)
	g.sess = nil
	g.stats.LastEndReason, g.stats.LastWipeVerified = g.m.Reason(), verified
	g.m.Ended(verified)
	if !verified {
		g.heldCard = nil
		g.outOfService("wipe failed: " + r.err.Error())
		return
	}
	switch {
	case g.cur != nil && g.cur.ready: // the standby already covers the screen
		g.promote(g.cur)
	case g.cur == nil && g.next != nil && g.next.ready:
		g.promote(g.next)
	}
	if id := g.heldCard; id != nil {
		g.heldCard = nil
		g.card(*id)
	}
}

// promote puts sh on screen and shows the next patient's first screen: after a session, the
// session-ended message; otherwise the welcome screen.
func (g *Manager) promote(sh *shell) {
	if sh == g.next {
		g.cur, g.next = sh, nil
		g.stats.Screen = "" // until the new shell paints
		sh.send(wire.Command{Cmd: wire.CmdShow})
	}
	g.m.Ready()
	r := g.m.Reason()
	if r == "" || r == PrivacyDeclined || g.stats.SessionsTotal == 0 {
		g.lang = "" // the next patient starts in the configured language
		g.showWelcome()
		return
	}
	g.endedUntil = g.o.Now().Add(g.o.EndedFor)
	if r == QuickExit {
		g.render(g.ui().Screen("neutral", "ok", nil))
	} else {
		g.render(g.ui().Screen("ended", "ok", nil))
	}
	g.lang = ""
}

func (g *Manager) showWelcome() {
	g.endedUntil = time.Time{}
	data := ui.Data{"Dev": g.o.Dev, "ReaderOK": g.readerOK, "ReaderPaused": g.readerPaused}
	g.hoursView(data)
	g.render(g.ui().Screen("welcome", "", data))
}

// showSession draws the kiosk's UI over the site: the bar, a notice screen if one is up, and
// the warning on top of both.
func (g *Manager) showSession() {
	g.render(g.ui().Session(g.m.TimeLimit(), g.m.WarningText(), g.m.Ends(), g.prompt))
}

func (g *Manager) render(u *wire.UI, err error) {
	if err != nil {
		g.o.Log.Error("rendering a kiosk screen", "err", err)
		return
	}
	if g.cur != nil {
		g.cur.send(wire.Command{Cmd: wire.CmdUI, UI: u})
	}
}

// outOfService stops new sessions for good (until restarted); the screen says so when a shell
// can show it, and status gives the technician the reason.
func (g *Manager) outOfService(why string) {
	g.o.Log.Error("out of service", "problem", why)
	g.stats.Problem = why
	g.m.OutOfService()
	if g.cur == nil && g.next != nil {
		g.cur, g.next = g.next, nil
		g.cur.send(wire.Command{Cmd: wire.CmdShow})
	}
	g.render(g.ui().Screen("out-of-service", "", nil))
}

// shutdown ends a session under way as shutdown and wipes every shell before returning.
func (g *Manager) shutdown() {
	g.m.End(Shutdown)
	for _, sh := range []*shell{g.cur, g.next} {
		if sh == nil || g.sess != nil && sh == g.sess.sh {
			continue
		}
		if err := wipe(sh); err != nil {
			g.o.Log.Error("wipe at shutdown failed", "err", err)
		}
	}
	if g.sess != nil {
		start := time.Now()
		err := g.wipeSession(g.sess.sh)
		g.audit(g.sess, err == nil, time.Since(start))
		if err != nil {
			g.o.Log.Error("wipe at shutdown failed", "err", err)
		}
	}
}

// auditLine is one session end, with the fields of DESIGN.md; nothing in it identifies a patient.
type auditLine struct {
	SessionID    string  `json:"session_id"`
	Started      string  `json:"started"`
	Ended        string  `json:"ended"`
	Reason       Reason  `json:"reason"`
	DurationS    float64 `json:"duration_s"`
	WipeVerified bool    `json:"wipe_verified"`
	WipeMS       int64   `json:"wipe_ms"`
}

func (g *Manager) audit(s *sessInfo, verified bool, wipeDur time.Duration) {
	now := g.o.Now()
	b, _ := json.Marshal(auditLine{
		SessionID: s.id, Started: s.started.UTC().Format(time.RFC3339), Ended: now.UTC().Format(time.RFC3339),
		Reason: g.m.Reason(), DurationS: now.Sub(s.started).Round(time.Millisecond).Seconds(),
		WipeVerified: verified, WipeMS: wipeDur.Milliseconds(),
	})
	g.o.Metrics.SessionEnded(string(g.m.Reason()), now.Sub(s.started), wipeDur, verified)
	if _, err := g.o.Audit.Write(append(b, '\n')); err != nil {
		g.o.Log.Error("writing the audit line", "err", err)
	}
}
