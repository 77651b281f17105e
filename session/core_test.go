package session

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// The Core's decisions, driven event by event with an injected clock. rig plays the supervisor:
// shells start when asked, and it keeps what a patient would see: the screen each shell was
// last told to show, and which shell is on top.

type rig struct {
	t     *testing.T
	c     *Core
	now   time.Time
	shown map[ShellID]string // the screen each shell was last sent (its view's type, or "session/…")
	top   ShellID            // the shell mapped on top
	wipes []Wipe             // wipes under way, oldest first
	seen  []Effect           // every effect but Show, ShowSession and Log
	logs  []string
}

const startURL, logoutURL = "https://records.example.org/", "https://records.example.org/logout"

func testConfig() Config {
	return Config{Settings: Settings{Timeouts: testTimeouts, StartURL: startURL}, PIN: true}
}

// newRig starts a core with cfg; its first shell is 1.
func newRig(t *testing.T, cfg Config) *rig {
	r := &rig{t: t, c: NewCore(cfg), now: t0, shown: map[ShellID]string{}}
	r.c.Start("")
	r.apply()
	return r
}

// apply carries out the core's effects as the supervisor would, and ticks as its loop does.
func (r *rig) apply() {
	r.c.Tick(r.now)
	for effects := r.c.Take(); len(effects) > 0; effects = r.c.Take() {
		for _, e := range effects {
			switch e := e.(type) {
			case StartShell:
				r.c.ShellStarted(e.Shell, fmt.Sprint("shell-", e.Shell))
				if !e.Init.Hidden {
					r.top = e.Shell
				}
			case Show:
				r.shown[e.Shell] = fmt.Sprintf("%T", e.View)
			case ShowSession:
				r.shown[e.Shell] = "session/" + string(e.Warning) + "/" + e.Prompt
			case Send:
				switch e.Cmd.Cmd {
				case wire.CmdShow, wire.CmdRaise:
					r.top = e.Shell
				case wire.CmdHide:
					if r.top == e.Shell {
						r.top = 0
					}
				}
			case Wipe:
				r.wipes = append(r.wipes, e)
			case Log:
				r.logs = append(r.logs, fmt.Sprint(e.Msg, e.Args))
			}
			switch e.(type) {
			case Show, ShowSession, Log:
			default:
				r.seen = append(r.seen, e)
			}
		}
	}
}

// ev: shell sh sends ev.
func (r *rig) ev(sh ShellID, ev wire.Event) { r.c.ShellEvent(r.now, sh, ev); r.apply() }

func (r *rig) ready(sh ShellID, offscreen bool) {
	d := ""
	if offscreen {
		d = wire.ReadyOffscreen
	}
	r.ev(sh, wire.Event{Ev: wire.EvReady, Detail: d})
}

// painted: sh reports the screen it was sent as painted.
func (r *rig) painted(sh ShellID) {
	r.ev(sh, wire.Event{Ev: wire.EvShown, Screen: strings.ToLower(strings.TrimPrefix(r.shown[sh], "ui."))})
}

func (r *rig) press(sh ShellID, names ...string) {
	for _, n := range names {
		r.ev(sh, wire.Event{Ev: wire.EvButton, Name: n})
	}
}

func (r *rig) card(id string) { r.c.Card(r.now, id); r.apply() }

func (r *rig) after(d time.Duration) { r.now = r.now.Add(d); r.apply() }

// wiped finishes the oldest wipe under way, verified unless err.
func (r *rig) wiped(err error) {
	r.t.Helper()
	if len(r.wipes) == 0 {
		r.t.Fatal("no wipe under way")
	}
	w := r.wipes[0]
	r.wipes = r.wipes[1:]
	r.c.Wiped(r.now, w.Shell, err, 40*time.Millisecond)
	r.apply()
}

// screen is what the patient sees: what the shell on top was last sent.
func (r *rig) screen() string { return r.shown[r.top] }

func (r *rig) did(e Effect) bool {
	return slices.ContainsFunc(r.seen, func(s Effect) bool { return fmt.Sprint(s) == fmt.Sprint(e) })
}

// welcome: shell 1 is ready and shows the welcome screen.
func welcome(t *testing.T, cfg Config, offscreen bool) *rig {
	r := newRig(t, cfg)
	r.ready(1, offscreen)
	return r
}

// inSession: a card, the privacy check painted, the standby (2) ready, the patient on the site.
func inSession(t *testing.T, cfg Config, offscreen bool) *rig {
	r := welcome(t, cfg, offscreen)
	r.card("card-a")
	r.painted(1)
	r.ready(2, offscreen)
	r.press(1, ui.ActionReady)
	r.painted(1)
	if offscreen {
		r.painted(2)
	}
	return r
}

// coreCase is a sequence of events and what the patient must see after it: the screen on top,
// the machine's state, and effects that must (and must not) have been decided.
type coreCase struct {
	name      string
	start     func(t *testing.T) *rig
	run       func(r *rig)
	screen    string
	state     State
	want, not []Effect
}

func runCoreCases(t *testing.T, cases []coreCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.start(t)
			tc.run(r)
			if got := r.screen(); got != tc.screen || r.c.m.State() != tc.state {
				t.Errorf("shows %q in %s, want %q in %s\n(logs %q)", got, r.c.m.State(), tc.screen, tc.state, r.logs)
			}
			for _, e := range tc.want {
				if !r.did(e) {
					t.Errorf("no %T %+v among %+v", e, e, r.seen)
				}
			}
			for _, e := range tc.not {
				if r.did(e) {
					t.Errorf("%T %+v decided", e, e)
				}
			}
		})
	}
}

func x11(t *testing.T) *rig     { return inSession(t, testConfig(), true) }
func wayland(t *testing.T) *rig { return inSession(t, testConfig(), false) }
func atWelcome(t *testing.T) *rig {
	return welcome(t, testConfig(), true)
}

func TestCoreSessions(t *testing.T) {
	runCoreCases(t, []coreCase{
		{"first browser shows welcome", func(t *testing.T) *rig { return newRig(t, testConfig()) },
			func(r *rig) { r.ready(1, true) }, "ui.Welcome", Welcome,
			[]Effect{StartShell{Shell: 1}}, nil},
		{"a card opens the privacy check", atWelcome, func(r *rig) { r.card("a") }, "ui.Privacy", Privacy,
			[]Effect{Count{CardRead, "accepted"}}, nil},
		{"the standby starts once the privacy check is up", atWelcome, func(r *rig) { r.card("a"); r.painted(1) },
			"ui.Privacy", Privacy, []Effect{StartShell{Shell: 2, Init: wire.Init{Hidden: true}}}, nil},
		{"I'm ready opens the provider's site", x11, func(r *rig) {}, "session//", Active,
			[]Effect{Send{1, wire.Command{Cmd: wire.CmdNavigate, URL: startURL}}}, nil},
		{"the standby covers the end at once; the session's browser is hidden and wiped", x11,
			func(r *rig) { r.press(1, ui.ActionEnd) }, "ui.Ending", Ending,
			[]Effect{Send{2, wire.Command{Cmd: wire.CmdShow}}, Send{1, wire.Command{Cmd: wire.CmdHide}}, Wipe{1, true}}, nil},
		{"a verified wipe brings the session-ended screen", x11,
			func(r *rig) { r.press(1, ui.ActionEnd); r.wiped(nil) }, "ui.Ended", Welcome, nil, nil},
		{"the ended screen gives way to welcome", x11,
			func(r *rig) { r.press(1, ui.ActionEnd); r.wiped(nil); r.after(10 * time.Second) }, "ui.Welcome", Welcome, nil, nil},
		{"a quick exit shows the neutral screen", x11,
			func(r *rig) { r.ev(1, wire.Event{Ev: wire.EvQuick}); r.wiped(nil) }, "ui.Neutral", Welcome, nil, nil},
		{"a card during the end waits for the wipe, then is served", x11,
			func(r *rig) { r.press(1, ui.ActionEnd); r.card("b"); r.wiped(nil) }, "ui.Privacy", Privacy, nil, nil},
		{"a card during the end is dropped when the wipe fails", x11,
			func(r *rig) { r.press(1, ui.ActionEnd); r.card("b"); r.wiped(errors.New("busy")) }, "ui.OutOfService", OutOfService,
			nil, nil},
		{"without a standby the session's browser covers itself", atWelcome,
			func(r *rig) { r.card("a"); r.press(1, ui.ActionReady); r.press(1, ui.ActionEnd) }, "ui.Ending", Ending,
			[]Effect{Wipe{1, true}}, nil},
		{"the logout page is visited before the wipe", func(t *testing.T) *rig {
			cfg := testConfig()
			cfg.LogoutURL, cfg.LogoutWait = logoutURL, 5*time.Second
			return inSession(t, cfg, true)
		}, func(r *rig) { r.press(1, ui.ActionEnd) }, "ui.Ending", Ending,
			[]Effect{Send{1, wire.Command{Cmd: wire.CmdNavigate, URL: logoutURL}}}, []Effect{Wipe{1, true}}},
		{"the logout page loaded: wipe", func(t *testing.T) *rig {
			cfg := testConfig()
			cfg.LogoutURL, cfg.LogoutWait = logoutURL, 5*time.Second
			return inSession(t, cfg, true)
		}, func(r *rig) { r.press(1, ui.ActionEnd); r.ev(1, wire.Event{Ev: wire.EvLoad, URL: logoutURL}) }, "ui.Ending", Ending,
			[]Effect{Wipe{1, true}}, nil},
		{"the logout page never loads: wipe at logout_wait", func(t *testing.T) *rig {
			cfg := testConfig()
			cfg.LogoutURL, cfg.LogoutWait = logoutURL, 5*time.Second
			return inSession(t, cfg, true)
		}, func(r *rig) { r.press(1, ui.ActionEnd); r.after(5 * time.Second) }, "ui.Ending", Ending,
			[]Effect{Wipe{1, true}}, nil},
		{"a crashed browser ends the session and is wiped", x11, func(r *rig) { r.c.ShellExited(1); r.apply() },
			"ui.Ending", Ending, []Effect{Wipe{1, true}, Count{Metric: ShellCrash}}, nil},
		{"a closed kiosk takes no card", func(t *testing.T) *rig {
			cfg := testConfig()
			cfg.Hours = closed{}
			return welcome(t, cfg, true)
		}, func(r *rig) { r.card("a") }, "ui.Welcome", Welcome, []Effect{Count{CardRead, "closed"}}, nil},
		{"a card during a session is ignored", x11, func(r *rig) { r.card("b") }, "session//", Active,
			[]Effect{Count{CardRead, "ignored"}}, nil},
		{"three browsers dying before ready: out of service", func(t *testing.T) *rig { return newRig(t, testConfig()) },
			func(r *rig) {
				for id := ShellID(1); id <= 3; id++ {
					r.c.ShellExited(id)
					r.apply()
				}
				r.ready(4, true) // nothing left to start
			}, "", OutOfService, nil, []Effect{StartShell{Shell: 4}}},
		{"a hung browser is killed", x11, func(r *rig) {
			for range 6 {
				r.c.Ping()
				r.apply()
			}
		}, "session//", Active, []Effect{Kill{1}, Kill{2}}, nil},
		{"a browser that answers is not", x11, func(r *rig) {
			for range 6 {
				r.c.Ping()
				r.ev(1, wire.Event{Ev: wire.EvPong})
				r.ev(2, wire.Event{Ev: wire.EvPong})
			}
		}, "session//", Active, nil, []Effect{Kill{1}, Kill{2}}},
	})
}

// TestCoreStandbyOnWayland: a standby that can't paint off the screen is lifted under the
// privacy check the patient is reading, then the session's window goes back on top.
func TestCoreStandbyOnWayland(t *testing.T) {
	runCoreCases(t, []coreCase{
		{"lifted over the privacy check showing the same screen", atWelcomeWayland, func(r *rig) {
			r.card("a")
			r.painted(1)
			r.ready(2, false)
		}, "ui.Privacy", Privacy, []Effect{Send{2, wire.Command{Cmd: wire.CmdShow}}}, nil},
		{"once it painted, the session's window is raised", atWelcomeWayland, func(r *rig) {
			r.card("a")
			r.painted(1)
			r.ready(2, false)
			r.painted(2)
		}, "ui.Privacy", Privacy, []Effect{Send{1, wire.Command{Cmd: wire.CmdRaise}}}, nil},
		{"a touch on the lifted standby is the session's", atWelcomeWayland, func(r *rig) {
			r.card("a")
			r.painted(1)
			r.ready(2, false)
			r.press(2, ui.ActionReady)
		}, "session//", Active, []Effect{Send{1, wire.Command{Cmd: wire.CmdRaise}},
			Send{1, wire.Command{Cmd: wire.CmdNavigate, URL: startURL}}}, nil},
		{"under the session it draws the ending screen, and covers the end", wayland,
			func(r *rig) { r.press(1, ui.ActionEnd) }, "ui.Ending", Ending, []Effect{Wipe{1, true}}, nil},
	})
}

func atWelcomeWayland(t *testing.T) *rig { return welcome(t, testConfig(), false) }

// TestCorePrompts: what goes over the provider's site, and what may replace what.
func TestCorePrompts(t *testing.T) {
	password := wire.Event{Ev: wire.EvPassword}
	blocked := wire.Event{Ev: wire.EvBlocked, URL: "https://elsewhere.example/", Detail: "host not allowed"}
	// passwordAgain: the reminder is answered, and a password field takes focus again after d.
	passwordAgain := func(d time.Duration) func(r *rig) {
		return func(r *rig) {
			r.ev(1, password)
			r.press(1, ui.PromptButton(ui.PromptPassword))
			r.after(d)
			r.ev(1, password)
		}
	}
	runCoreCases(t, []coreCase{
		{"a password field brings the reminder", x11, func(r *rig) { r.ev(1, password) }, "session//password", Active, nil, nil},
		{"the reminder shows at most once a minute", x11, passwordAgain(30 * time.Second), "session//", Active, nil, nil},
		{"and again after a minute", x11, passwordAgain(61 * time.Second), "session//password", Active, nil, nil},
		{"a refused page goes over help", x11, func(r *rig) { r.press(1, ui.ActionHelp); r.ev(1, blocked) },
			"session//blocked", Active, []Effect{Count{Metric: NavigationRefused}}, nil},
		{"the sign-in prompt goes over anything, and comes back after help", x11, func(r *rig) {
			r.ev(1, wire.Event{Ev: wire.EvAuth, Detail: "ask"})
			r.press(1, ui.ActionHelp)
			r.press(1, ui.ActionHelpClose)
		}, "session//auth", Active, nil, nil},
		{"the presence alert, until the sensor clears", x11, func(r *rig) {
			r.c.PresenceAlert(true)
			r.apply()
		}, "session//presence", Active, nil, nil},
		{"the presence alert clears with the sensor", x11, func(r *rig) {
			r.c.PresenceAlert(true)
			r.apply()
			r.c.PresenceAlert(false)
			r.apply()
		}, "session//", Active, nil, nil},
		{"the idle warning", x11, func(r *rig) { r.after(91 * time.Second) }, "session/idle/", Warning, nil, nil},
		{"I'm still here", x11, func(r *rig) { r.after(91 * time.Second); r.press(1, ui.ActionStillHere) },
			"session//", Active, nil, nil},
		{"nothing over the privacy check", atWelcome, func(r *rig) { r.card("a"); r.ev(1, password) }, "ui.Privacy", Privacy, nil, nil},
	})
}

// TestCoreWelcome: the welcome screen's own buttons and passing screens.
func TestCoreWelcome(t *testing.T) {
	runCoreCases(t, []coreCase{
		{"help, then back after two minutes", atWelcome, func(r *rig) {
			r.press(1, ui.ActionHelp)
			r.after(2 * time.Minute)
		}, "ui.Welcome", Welcome, nil, nil},
		{"help stays until then", atWelcome, func(r *rig) {
			r.press(1, ui.ActionHelp)
			r.after(119 * time.Second)
		}, "ui.HelpScreen", Welcome, nil, nil},
		{"a refused card says so for a while", atWelcome, func(r *rig) { r.c.CardRefused(r.now); r.apply() },
			"ui.Refused", Welcome, nil, nil},
		{"the demo card only in the demo", atWelcome, func(r *rig) { r.press(1, ui.ActionDemoCard) }, "ui.Welcome", Welcome,
			nil, []Effect{DemoCard{}}},
		{"the technician screen between sessions", atWelcome, func(r *rig) {
			r.c.Technician(ui.TechnicianInfo{})
			r.apply()
		}, "ui.Technician", Welcome, nil, nil},
		{"not during one", x11, func(r *rig) { r.c.Technician(ui.TechnicianInfo{}); r.apply() },
			"session//", Active, nil, nil},
	})
}

// TestCoreLanguage: a language chosen on the welcome screen lasts the session, or LangFor
// without a card; the next patient starts in the configured one.
func TestCoreLanguage(t *testing.T) {
	r := welcome(t, testConfig(), true)
	lang := func() string { return r.c.lang }
	r.press(1, ui.ActionLang+"cy")
	if lang() != "cy" {
		t.Fatalf("language %q after choosing Welsh", lang())
	}
	r.after(2 * time.Minute)
	if lang() != "" || r.screen() != "ui.Welcome" {
		t.Errorf("after two minutes with no card: %q, %s", lang(), r.screen())
	}
	r.press(1, ui.ActionLang+"cy")
	r.card("a")
	r.after(5 * time.Minute)
	if lang() != "cy" {
		t.Errorf("the session lost its language: %q", lang())
	}
}

// TestCoreReload: new settings wait for the session's end; new allowed hosts replace the
// browsers that were told the old ones.
func TestCoreReload(t *testing.T) {
	r := x11(t)
	s := testConfig().Settings
	s.Init.AllowedHosts = []string{"records.example.org"}
	r.c.Reload(s)
	r.apply()
	if len(r.c.cfg.Init.AllowedHosts) != 0 {
		t.Fatal("the settings applied during a session")
	}
	r.press(1, ui.ActionEnd)
	r.wiped(nil) // the session's browser
	if !slices.Equal(r.c.cfg.Init.AllowedHosts, s.Init.AllowedHosts) {
		t.Fatal("the settings did not apply after the session")
	}
	// The standby that covered the end (2) was started under the old settings: a fresh one
	// starts, and takes over once ready.
	if r.top != 2 || !r.did(StartShell{Shell: 3, Init: wire.Init{Hidden: true, AllowedHosts: s.Init.AllowedHosts}}) {
		t.Fatalf("no fresh browser: %+v", r.seen)
	}
	r.ready(3, true)
	if r.top != 3 || r.screen() != "ui.Ended" || !r.did(Wipe{Shell: 2}) {
		t.Errorf("the fresh browser did not take over: on top %d showing %s", r.top, r.screen())
	}
}

// TestPINPadZeroesItsDigits: the pad hands the PIN over on OK, zeroes its own copy and
// ignores keys until the check answers; digits never reach the log.
func TestPINPadZeroesItsDigits(t *testing.T) {
	r := welcome(t, testConfig(), true)
	if !r.c.AskPIN(r.now, 0) {
		t.Fatal("AskPIN on the welcome screen: not shown")
	}
	r.apply()
	r.press(1, "digit-7", "digit-3", "digit-9", "pin-delete", "digit-1", "digit-x", "digit-12", "pin-ok", "digit-5")
	if !r.did(PINEntered{[]byte("731")}) {
		t.Errorf("PIN handed over: %+v, want 731", r.seen)
	}
	p := r.c.pin
	if p == nil || !p.checking || len(p.digits) != 0 || !bytes.Equal(p.digits[:cap(p.digits)], make([]byte, maxPIN)) {
		t.Errorf("after OK the pad is %+v, want checking, its digits zeroed, a key after OK ignored", p)
	}
	if r.screen() != "ui.PINPad" || strings.Contains(strings.Join(r.logs, " "), "digit-") {
		t.Errorf("shows %s; logs %q", r.screen(), r.logs)
	}
	r.after(testTimeouts.Privacy)
	if r.screen() != "ui.Welcome" || !r.did(PINCancelled{}) {
		t.Errorf("the pad did not time out: %s", r.screen())
	}
}

// closed is a schedule that is never open.
type closed struct{}

func (closed) Open(time.Time) bool        { return false }
func (closed) Closes(time.Time) time.Time { return time.Time{} }
func (closed) Opens(time.Time) time.Time  { return time.Time{} }
