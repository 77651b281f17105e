package e2e

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/internal/kiosktest"
	"github.com/carekiosk/carekiosk/shellproc"
	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// This file drives a real browser shell (carekiosk-shell) directly, as the supervisor would, on
// an X server of its own size: to render every screen and prompt for review, read back what the
// kiosk drew, and attack the overlay from a hostile page.

// sized is a private display of one size, on the stack the tests run on.
type sized struct {
	display.Display
	w, h int
}

// startScreen starts a display of width×height for this test.
func startScreen(t *testing.T, w, h int) *sized {
	t.Helper()
	needDisplay(t) // a test that may run display tests may start its own
	d, err := display.Start(w, h)
	if err != nil {
		t.Fatalf("a %dx%d display: %v", w, h, err)
	}
	t.Cleanup(d.Close)
	return &sized{Display: d, w: w, h: h}
}

// shellUnderTest is a carekiosk-shell with the test as its supervisor.
type shellUnderTest struct {
	t      *testing.T
	x      *sized
	p      *shellproc.Proc
	events chan wire.Event
	exited chan struct{}
}

// startShell starts a shell on x that may open the hosts of srv, as the supervisor would
// (shellproc, in a private directory on a tmpfs), and waits until it is ready. with changes
// what the shell is told at start.
func startShell(t *testing.T, x *sized, srv *httptest.Server, with ...func(*wire.Init)) *shellUnderTest {
	t.Helper()
	script, err := ui.Script()
	if err != nil {
		t.Fatal(err)
	}
	cert := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	init := wire.Init{AllowedHosts: []string{"127.0.0.1"}, Trusted: []wire.Trusted{{PEM: cert, Hosts: []string{"127.0.0.1"}}},
		Script: script, BlankPage: ui.BlankPage()}
	for _, f := range with {
		f(&init)
	}
	s := &shellUnderTest{t: t, x: x, events: make(chan wire.Event, 64), exited: make(chan struct{})}
	s.p, err = shellproc.ByDirectory(tmpfsDir(t), "a test").Start(
		shellproc.Spec{Argv: []string{filepath.Join(filepath.Dir(binary), "carekiosk-shell")}, Env: append(x.Env(), "PATH="+os.Getenv("PATH")), Init: init},
		func(ev wire.Event) { s.events <- ev }, func() { close(s.exited) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.p.Wipe(); err != nil { // the whole shell, WebKit's processes too, before its directory goes
			t.Error(err)
		}
	})
	s.await(wire.EvReady, "", 30*time.Second)
	return s
}

func (s *shellUnderTest) send(c wire.Command) { s.p.Send(c) }

// await waits for an event of kind ev (and, if given, for screen or button name); others are
// dropped.
func (s *shellUnderTest) await(ev, name string, within time.Duration) wire.Event {
	s.t.Helper()
	timeout := time.After(within)
	for {
		select {
		case <-s.exited:
			s.t.Fatalf("waiting for %s %s: the shell exited", ev, name)
		case e := <-s.events:
			if e.Ev == ev && (name == "" || e.Screen == name || e.Name == name) {
				return e
			}
		case <-timeout:
			s.t.Fatalf("waiting for %s %s: not within %v", ev, name, within)
		}
	}
}

// show draws u and waits until the shell has painted it as name.
func (s *shellUnderTest) show(u *wire.UI, name string) {
	s.t.Helper()
	s.send(wire.Command{Cmd: wire.CmdUI, UI: u})
	s.await(wire.EvShown, name, 10*time.Second)
}

// uiState is what the overlay reports of itself (readUI in kiosk.js).
type uiState struct {
	Screen, Lang, Text string
	Buttons            []struct {
		Action, Text string
		X, Y, W, H   float64
		Focused      bool
	}
	QRs     []string
	Colours []struct {
		Text, Fg, Bg string
		Size         float64
		Weight       int
	}
	Mounted   bool
	BarHeight float64
	Width     int
	Height    int
}

// read asks the overlay for its own text and buttons.
func (s *shellUnderTest) read() uiState {
	s.t.Helper()
	s.send(wire.Command{Cmd: wire.CmdReadUI})
	e := s.await(wire.EvUIText, "", 10*time.Second)
	var u uiState
	if err := json.Unmarshal([]byte(e.Detail), &u); err != nil {
		s.t.Fatalf("ui-text %q: %v", e.Detail, err)
	}
	return u
}

// button returns the button with data-action action, or fails.
func (u uiState) button(t *testing.T, action string) (x, y int) {
	t.Helper()
	for _, b := range u.Buttons {
		if b.Action == action {
			return int(b.X + b.W/2), int(b.Y + b.H/2)
		}
	}
	t.Fatalf("no %q button on %s: %+v", action, u.Screen, u.Buttons)
	return 0, 0
}

// provider is the record provider's site in these tests: a record page with a password field,
// and a hostile page, both under a strict Content-Security-Policy.
func startProvider(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Records</title><link rel="stylesheet" href="/site.css"></head><body>`+body+`</body></html>`)
		}
	}
	mux.HandleFunc("/record", page(recordPage))
	mux.HandleFunc("/hostile", page(`<link rel="stylesheet" href="/hostile.css"><h1>Hostile page</h1><p>This page tries to hide, cover and click the kiosk's bar.</p><script src="/hostile.js"></script>`))
	mux.HandleFunc("/hostile.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, hostileCSS)
	})
	mux.HandleFunc("/site.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, siteCSS)
	})
	mux.HandleFunc("/hostile.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, hostileJS)
	})
	mux.HandleFunc("/attacking", func(w http.ResponseWriter, r *http.Request) { kiosktest.Signal(attacking) })
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// attacking is signalled when the hostile page's script has run its first attack.
var attacking = make(chan struct{}, 1)

const recordPage = `<header class="site"><strong>Riverside Surgery</strong> — online records</header>
<main><h1>Your health record</h1>
<table><tr><th>Date</th><th>Result</th></tr><tr><td>3 March</td><td>Blood test: normal</td></tr>
<tr><td>12 January</td><td>Blood pressure: 128/82</td></tr><tr><td>5 December</td><td>Flu vaccine</td></tr></table>
<form><label>Username <input name="u" value="patient"></label><label>Password <input type="password" id="pw"></label></form>
<p>Repeat prescriptions, appointments and letters are in the menu.</p></main>`

const siteCSS = `body{font:18px sans-serif;margin:0;background:#fff;color:#222}.site{background:#2a4;color:#fff;padding:16px}
main{padding:16px 32px}table{border-collapse:collapse;margin:16px 0}td,th{border:1px solid #999;padding:8px 16px}label{display:block;margin:8px 0}`

// hostileCSS tries to hide the kiosk's overlay with the strongest rules a page has.
const hostileCSS = `carekiosk-ui{display:none!important;opacity:0!important;visibility:hidden!important;transform:scale(0)!important;content-visibility:hidden!important}
#cover{position:fixed;inset:0;z-index:2147483647;background:#c00;color:#fff;font-size:80px}`

// hostileJS tries everything a page can to get rid of the kiosk's bar, or press its buttons.
const hostileJS = `
const cover = document.createElement("div");
cover.id = "cover";
cover.textContent = "COVERED";
const dlg = document.createElement("dialog");
dlg.textContent = "A modal dialog over everything";
const pop = document.createElement("div");
pop.popover = "manual";
pop.textContent = "A popover over everything";
function attack() {
  const ui = document.querySelector("carekiosk-ui");
  if (ui) {
    ui.style.setProperty("display", "none", "important");
    ui.hidden = true;
    ui.click();
    for (const [x, y] of [[1200, 36], [1000, 36], [900, 36]]) {
      const el = document.elementFromPoint(x, y);
      if (el) el.dispatchEvent(new MouseEvent("click", {bubbles: true, composed: true, clientX: x, clientY: y}));
    }
    ui.remove();
  }
  document.body.appendChild(cover);
  if (!dlg.isConnected) document.body.appendChild(dlg);
  if (!dlg.open) try { dlg.showModal(); } catch (e) {}
  if (!pop.isConnected) document.body.appendChild(pop);
  try { pop.showPopover(); } catch (e) {}
}
attack();
fetch("/attacking", {method: "POST"});
setInterval(attack, 100);
window.addEventListener("keydown", (e) => { e.stopImmediatePropagation(); e.preventDefault(); }, true);
`

// sizes are the screens the kiosk must work on: landscape and portrait, and landscape zoomed
// to 200% with Ctrl+plus (zoom presses), as a patient who needs larger text would.
var sizes = []struct {
	name string
	w, h int
	zoom int // Ctrl+plus presses: 5 is 200%
}{{"landscape", 1280, 1024, 0}, {"portrait", 1080, 1920, 0}, {"landscape-200", 1280, 1024, 5}}

// zoomIn presses Ctrl+plus n times for real in the shell's window.
func (s *shellUnderTest) zoomIn(n int) {
	s.t.Helper()
	if n == 0 {
		return
	}
	chords := make([]string, n)
	for i := range chords {
		chords[i] = "ctrl+plus"
	}
	if err := s.x.Key(s.p.PID(), chords...); err != nil {
		s.t.Fatal(err)
	}
}
