// Package kiosk is the browser shell: the process that shows one session, started by the
// supervisor with a private, empty HOME and talking to it over fd 3 (package wire).
//
// It is the only package with WebKit in it: webview_go for the window and its main loop, and a
// small cgo file (hooks.c) for the GTK/WebKit hooks that lock the browser down. Decisions the
// shell takes — which URLs may load — live in pure Go beside it (policy.go).
package kiosk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	webview "github.com/webview/webview_go"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// activityEvery bounds how often input activity is reported: the idle timer needs no more.
const activityEvery = 500 * time.Millisecond

// shell is this process's one browser window and its link to the supervisor.
type shell struct {
	conn   *wire.Conn
	policy Policy
	win    window
	wv     webview.WebView
	osk    *onScreen // the on-screen keyboard; nil on a unit with a keyboard of its own

	dispatchMu sync.Mutex // webview_go's Dispatch races on its index: hold this across each call

	blankPage string // loaded once the content filter is in place
	ui        []byte // the last UI as JSON, replayed on every new page (GTK thread only)
	ready     bool   // EvReady sent (GTK thread only)
	offscreen bool   // a standby mapped off the screen, where it paints (X11)
	pdfShown  bool   // the page on the screen has a PDF in it: WebKit's viewer may load (GTK thread only)

	lastActivity atomic.Int64 // Unix nanoseconds of the last reported activity
	dialogs      RateLimit    // script dialogs: a page can't trap the patient in an alert loop
	prints       RateLimit    // print jobs (printing on): a page can't print in a loop
}

// current is the shell of this process, for the callbacks from hooks.c.
var current *shell

// Run is the shell process: it reads its Init from conn, opens the window and serves commands
// until the supervisor closes the connection or kills it. It must run on the main goroutine.
func Run(conn io.ReadWriter) error {
	c := wire.NewConn(conn)
	var init wire.Init
	if err := c.Receive(&init); err != nil {
		return fmt.Errorf("reading init from supervisor: %w", err)
	}
	if !gtkInit() {
		return errors.New("cannot open the display (is DISPLAY or WAYLAND_DISPLAY set?)")
	}
	if !sandbox() {
		return errors.New("WebKit refused to sandbox its web processes")
	}
	hosts := config.NewHosts(init.AllowedHosts)
	s := &shell{conn: c, policy: Policy{Hosts: hosts}, dialogs: RateLimit{Max: 3, Per: 10 * time.Second},
		prints: RateLimit{Max: 3, Per: time.Minute}}
	current = s
	s.win = newWindow(init.Windowed, init.Width, init.Height)
	s.wv = webview.NewWindow(false, s.win.ptr())
	if s.wv == nil {
		return errors.New("cannot create the web view")
	}
	filterDir, err := os.MkdirTemp("", "content-filter-")
	if err != nil {
		return err
	}
	frames := lockdownScript
	if init.Keyboard {
		frames += focusScript
	}
	if !s.win.setup(init.Script, frames, ContentRules(hosts), filterDir, init.Printing, init.Accelerated) {
		// A click on a link would reach any host, listed or not (hooks.c: no_preconnect).
		return errors.New("cannot turn off WebKit's link preconnect (features LinkPreconnect, LinkPreconnectEarlyHints)")
	}
	for _, t := range init.Trusted {
		for _, h := range t.Hosts {
			if !s.win.trust(t.PEM, h) {
				return fmt.Errorf("trusted certificate for %s is not valid PEM", h)
			}
		}
	}
	if init.Keyboard {
		s.osk = newOnScreen(s)
	}
	s.blankPage = init.BlankPage
	if init.Hidden {
		s.offscreen = s.win.standby(!init.Windowed && !init.StandbyUnmapped)
	} else {
		s.win.show()
	}
	go s.serve()
	s.wv.Run()
	return nil
}

// serve carries out the supervisor's commands; when the supervisor goes, so does the shell.
func (s *shell) serve() {
	for {
		var cmd wire.Command
		if err := s.conn.Receive(&cmd); err != nil {
			os.Exit(0)
		}
		s.dispatch(func() { s.do(cmd) })
	}
}

func (s *shell) dispatch(f func()) {
	s.dispatchMu.Lock()
	defer s.dispatchMu.Unlock()
	s.wv.Dispatch(f)
}

// do runs one command on the GTK thread.
func (s *shell) do(cmd wire.Command) {
	switch cmd.Cmd {
	case wire.CmdUI:
		b, err := json.Marshal(cmd.UI)
		if err != nil {
			return
		}
		s.ui = b
		s.render()
		if s.osk != nil {
			s.osk.language(cmd.UI.Lang)
		}
	case wire.CmdNavigate:
		if s.policy.Allows(cmd.URL) {
			s.win.loadURI(cmd.URL)
		} else {
			s.refused(cmd.URL, "navigation")
		}
	case wire.CmdShow:
		s.win.show()
		s.win.eval("window.__carekiosk && __carekiosk.reshown()")
	case wire.CmdHide:
		s.win.hide()
	case wire.CmdRaise:
		s.win.raise()
		s.win.eval("window.__carekiosk && __carekiosk.reshown()")
	case wire.CmdPing:
		s.send(wire.Event{Ev: wire.EvPong}) // from the GTK thread: a hung main loop never answers
	case wire.CmdReadUI:
		s.win.eval("window.__carekiosk && __carekiosk.readUI()")
	}
}

func (s *shell) render() {
	if s.ui != nil {
		s.win.eval("window.__carekiosk && __carekiosk.render(" + string(s.ui) + ")")
	}
}

func (s *shell) send(ev wire.Event) { _ = s.conn.Send(ev) }

// message handles a message from the kiosk's overlay script (isolated world: pages can't post).
func (s *shell) message(raw string) {
	var m wire.Event
	if json.Unmarshal([]byte(raw), &m) != nil {
		return
	}
	switch m.Ev {
	case "hello": // a new page: draw the kiosk's UI on it
		s.render()
		if !s.ready {
			s.ready = true
			ready := wire.Event{Ev: wire.EvReady}
			if s.offscreen {
				ready.Detail = wire.ReadyOffscreen
			}
			s.send(ready)
		}
	case wire.EvAuth:
		// The patient signed in on the kiosk's prompt. The name and password go to WebKit for
		// the site that asked and nowhere else: not to the supervisor, not to a log.
		var a struct{ User, Password string }
		if json.Unmarshal([]byte(raw), &a) == nil {
			s.win.authAnswer(a.User, a.Password, true)
			s.send(wire.Event{Ev: wire.EvAuth, Detail: "done"})
		}
	case wire.EvButton:
		if m.Name == ui.ActionAuthCancel {
			s.win.authAnswer("", "", false)
			s.send(wire.Event{Ev: wire.EvAuth, Detail: "done"})
			return
		}
		s.send(wire.Event{Ev: m.Ev, Screen: m.Screen, Name: m.Name})
	case wire.EvShown:
		s.send(wire.Event{Ev: m.Ev, Screen: m.Screen, Name: m.Name})
	case wire.EvPassword:
		s.send(wire.Event{Ev: wire.EvPassword})
	case wire.EvUIText: // the kiosk's own shadow root only (readUI in kiosk.js)
		s.send(wire.Event{Ev: wire.EvUIText, Detail: s.withKeyboard(m.Detail)})
	case evField:
		if s.osk != nil {
			s.osk.field(m.Name)
		}
	}
}

// response: a response is about to be shown. A PDF (in any frame) lets WebKit's PDF viewer
// load into its frame until the main frame moves on to something else.
func (s *shell) response(mainFrame bool, mime string) {
	if mime == "application/pdf" {
		s.pdfShown = true
	} else if mainFrame {
		s.pdfShown = false
	}
}

// authAsked: a site asks for HTTP authentication: the supervisor shows the kiosk's sign-in
// prompt (hooks.c: on_authenticate).
func (s *shell) authAsked() { go s.send(wire.Event{Ev: wire.EvAuth, Detail: "ask"}) }

func (s *shell) activity() {
	now := time.Now().UnixNano()
	last := s.lastActivity.Load()
	if now-last < int64(activityEvery) || !s.lastActivity.CompareAndSwap(last, now) {
		return
	}
	go s.send(wire.Event{Ev: wire.EvActivity})
}

// quickExit: the patient pressed the quick-exit key chord (seen by GTK, so no page can stop it).
func (s *shell) quickExit() { go s.send(wire.Event{Ev: wire.EvQuick}) }

func (s *shell) loaded(uri string) {
	if s.osk != nil {
		s.osk.pageChanged()
	}
	s.send(wire.Event{Ev: wire.EvLoad, URL: wire.Redact(uri)})
}

func (s *shell) refused(uri, what string) {
	s.send(wire.Event{Ev: wire.EvBlocked, URL: wire.Redact(uri), Detail: what})
}

func (s *shell) failed(uri, msg string) {
	s.send(wire.Event{Ev: wire.EvFailed, URL: wire.Redact(uri), Detail: msg})
}

// filterReady: the content filter is in place (or failed to compile: then nothing may load,
// and the shell gives up so that the supervisor sees it fail).
func (s *shell) filterReady(ok bool, msg string) {
	if !ok {
		fmt.Fprintf(os.Stderr, "shell: content filter: %s\n", msg)
		os.Exit(71)
	}
	s.win.loadHTML(s.blankPage)
}

// printed: a print operation ended; sent to the default printer (ok) or not (msg says why, such
// as no printer). The message is WebKit's and holds no page content.
func (s *shell) printed(ok bool, msg string) {
	if ok {
		go s.send(wire.Event{Ev: wire.EvPrint, Detail: "sent"})
		return
	}
	fmt.Fprintf(os.Stderr, "shell: printing failed: %s\n", msg)
	go s.send(wire.Event{Ev: wire.EvPrint, Detail: "failed"})
}

// printLimited: a page asked to print more often than s.prints allows; nothing was printed.
func (s *shell) printLimited() {
	go s.send(wire.Event{Ev: wire.EvPrint, Detail: "limited"})
}

// crashed: the web process died. The shell exits so the supervisor ends the session as
// browser-crashed and wipes; a shell without its web process is of no use to anyone.
func (s *shell) crashed(reason int) {
	fmt.Fprintf(os.Stderr, "shell: web process terminated (reason %d)\n", reason)
	os.Exit(70)
}
