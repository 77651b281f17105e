package e2e

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/keyboard"
	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/wire"
)

// These tests touch the on-screen keyboard's keys for real (xdotool on X11, a virtual pointer
// under cage) and read what the provider's page received.

// signInPage is a provider's sign-in page: a name field at the top, an iframe with a field of
// its own, and a password field low on the screen, where the keyboard comes up. Every field
// reports its value and whether the keys that made it were real (trusted) key events; the page
// reports where its fields are, at load and whenever its area changes size.
const signInPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title>
<style>body{font:20px sans-serif;margin:0;padding:0 32px}input{font:20px sans-serif;width:360px;height:40px;display:block;margin:8px 0}
iframe{width:420px;height:90px;border:1px solid #999}#gap{height:560px}</style></head><body>
<label>Name <input id="name"></label>
<iframe src="/frame"></iframe>
<div id="gap"></div>
<label>Password <input id="pw" type="password"></label>
<script>` + reportFields + `</script></body></html>`

const framePage = `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:8px;font:20px sans-serif}
input{font:20px sans-serif;width:360px;height:40px}</style></head><body><input id="inframe" aria-label="Town"><script>` + reportFields + `</script></body></html>`

const reportFields = `
const post = (path, v) => fetch(path, {method: "POST", body: JSON.stringify(v)});
for (const el of document.querySelectorAll("input")) {
  let keys = 0, untrusted = 0;
  el.addEventListener("keydown", (e) => { keys++; if (!e.isTrusted) untrusted++; });
  el.addEventListener("input", (e) => post("/typed", {id: el.id, value: el.value, keys, untrusted: untrusted + (e.isTrusted ? 0 : 1)}));
}
const layout = () => post("/layout", {height: innerHeight, fields: [...document.querySelectorAll("input, iframe")].map((e) => {
  const r = e.getBoundingClientRect();
  return {id: e.id || "frame", x: r.x, y: r.y, w: r.width, h: r.height};
})});
addEventListener("resize", () => setTimeout(layout, 100));
layout();`

// typed is what a field reported.
type typed struct {
	ID, Value       string
	Keys, Untrusted int
}

// pageLayout is where the page's fields are, in its viewport.
type pageLayout struct {
	Height int
	Fields []struct {
		ID         string
		X, Y, W, H float64
	}
}

func (l pageLayout) field(t *testing.T, id string) image.Rectangle {
	t.Helper()
	for _, f := range l.Fields {
		if f.ID == id {
			return image.Rect(int(f.X), int(f.Y), int(f.X+f.W), int(f.Y+f.H))
		}
	}
	t.Fatalf("the page has no field %q: %+v", id, l)
	return image.Rectangle{}
}

// signInSite serves signInPage and collects what its fields and layouts report.
type signInSite struct {
	*httptest.Server
	typed   chan typed
	layouts chan pageLayout
}

func startSignInSite(t *testing.T) *signInSite {
	s := &signInSite{typed: make(chan typed, 64), layouts: make(chan pageLayout, 16)}
	mux := http.NewServeMux()
	html := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("/signin", html(signInPage))
	mux.HandleFunc("/frame", html(framePage))
	mux.HandleFunc("/typed", func(w http.ResponseWriter, r *http.Request) {
		var v typed
		b, _ := io.ReadAll(r.Body)
		if json.Unmarshal(b, &v) == nil {
			s.typed <- v
		}
	})
	mux.HandleFunc("/layout", func(w http.ResponseWriter, r *http.Request) {
		var v pageLayout
		b, _ := io.ReadAll(r.Body)
		if json.Unmarshal(b, &v) == nil && len(v.Fields) > 1 { // the iframe's own report: not this
			s.layouts <- v
		}
	})
	s.Server = httptest.NewTLSServer(mux)
	t.Cleanup(s.Close)
	return s
}

// until waits for field id to report value.
func (s *signInSite) until(t *testing.T, id, value string) typed {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case v := <-s.typed:
			if v.ID == id && v.Value == value {
				return v
			}
		case <-timeout:
			t.Fatalf("field %s never held %q", id, value)
		}
	}
}

// layout waits for the page's next report of where its fields are that is ok (nil: any).
func (s *signInSite) layout(t *testing.T, ok func(pageLayout) bool) pageLayout {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l := <-s.layouts:
			if ok == nil || ok(l) {
				return l
			}
		case <-timeout:
			t.Fatal("the page did not report the layout waited for")
		}
	}
}

// keyboardState is the on-screen keyboard as the shell's read-ui answer reports it.
type keyboardState struct {
	Keyboard struct {
		Shown, Private bool
		Keys           []struct {
			Name       string
			X, Y, W, H int
		}
	}
}

// keyAt is the middle of the key called name as the keyboard is drawn now, and the area of the
// whole keyboard.
func (s *shellUnderTest) keyAt(name string) (image.Point, image.Rectangle) {
	s.t.Helper()
	for range 50 {
		s.send(wire.Command{Cmd: wire.CmdReadUI})
		e := s.await(wire.EvUIText, "", 10*time.Second)
		var k keyboardState
		if err := json.Unmarshal([]byte(e.Detail), &k); err != nil {
			s.t.Fatalf("ui-text: %v", err)
		}
		var at image.Point
		var all image.Rectangle
		for _, key := range k.Keyboard.Keys {
			r := image.Rect(key.X, key.Y, key.X+key.W, key.Y+key.H)
			all = all.Union(r)
			if key.Name == name && key.W > 1 { // laid out
				at = r.Min.Add(r.Size().Div(2))
			}
		}
		if at != (image.Point{}) {
			return at, all
		}
	}
	s.t.Fatalf("the keyboard has no key %q", name)
	return image.Point{}, image.Rectangle{}
}

// touchKeys touches the keys called names, one after another.
func (s *shellUnderTest) touchKeys(names ...string) {
	s.t.Helper()
	for _, n := range names {
		at, _ := s.keyAt(n)
		if err := s.x.Click(s.p.PID(), at.X, at.Y); err != nil {
			s.t.Fatal(err)
		}
	}
}

// touchField touches the middle of r.
func (s *shellUnderTest) touchField(r image.Rectangle) {
	s.t.Helper()
	c := r.Min.Add(r.Size().Div(2))
	if err := s.x.Click(s.p.PID(), c.X, c.Y); err != nil {
		s.t.Fatal(err)
	}
}

// openSignIn starts a shell with the on-screen keyboard on a w×h screen, zoomed in zoom times,
// and opens signInPage in it.
func openSignIn(t *testing.T, w, h, zoom int) (*sized, *signInSite, *shellUnderTest, pageLayout) {
	t.Helper()
	x := startScreen(t, w, h)
	site := startSignInSite(t)
	sh := startShell(t, x, site.Server, func(i *wire.Init) { i.Keyboard = true })
	sh.zoomIn(zoom)
	sh.show(&wire.UI{Lang: "en"}, "session")
	sh.send(wire.Command{Cmd: wire.CmdNavigate, URL: site.URL + "/signin"})
	return x, site, sh, site.layout(t, nil)
}

func TestOnScreenKeyboardTypesRealKeys(t *testing.T) {
	x, site, sh, page := openSignIn(t, 1280, 1024, 0)

	sh.touchField(page.field(t, "name"))
	sh.awaitKeyboard("text")
	screenshot(t, x, "keyboard-text")
	var board keyboard.Board
	for _, name := range []string{"q", "backspace", "enter", "space", "symbols"} {
		at, _ := sh.keyAt(name)
		if _, _, want := landscapeKey(t, &board, name); at != want {
			t.Errorf("key %s is drawn around %v; the other tests touch it at %v (landscapeKey)", name, at, want)
		}
	}
	sh.touchKeys("shift", "h", "i", "space", "accents", "ŵ", "ä", "letters", "@", "symbols", "1", "backspace", "2")
	got := site.until(t, "name", "Hi ŵä@2")
	if got.Untrusted != 0 || got.Keys < 7 {
		t.Errorf("the page saw %d key presses, %d of them synthetic; want real key events for every key", got.Keys, got.Untrusted)
	}

	// A field in an iframe, in Welsh: ŵ is on the letters page.
	sh.send(wire.Command{Cmd: wire.CmdUI, UI: &wire.UI{Lang: "cy"}})
	frame := page.field(t, "frame")
	sh.touchField(image.Rect(frame.Min.X+8, frame.Min.Y+8, frame.Min.X+368, frame.Min.Y+48))
	sh.touchKeys("d", "ŵ", "r", "shift", "ŷ")
	site.until(t, "inframe", "dŵrŶ")
	screenshot(t, x, "keyboard-welsh")
}

func TestOnScreenKeyboardGivesNothingAwayInPasswords(t *testing.T) {
	x, site, sh, page := openSignIn(t, 1280, 1024, 0)

	// In a text field a touched key shows it is down: the way this test sees feedback works.
	sh.touchField(page.field(t, "name"))
	sh.awaitKeyboard("text")
	if changed := sh.holdKey("k", "keyboard-text-held"); !changed {
		t.Fatal("in a text field, holding a key changed nothing on the screen: the test can't see key feedback")
	}
	site.until(t, "name", "k")
	sh.touchField(image.Rect(800, 300, 900, 400)) // nothing there: the keyboard goes
	sh.awaitKeyboard("hidden")
	site.layout(t, func(l pageLayout) bool { return l.Height == 1024 }) // the whole screen again

	// The password field is low on the screen, where the keyboard comes up: the page must move
	// it into sight above the keys.
	sh.touchField(page.field(t, "pw"))
	sh.awaitKeyboard("password")
	page = site.layout(t, func(l pageLayout) bool { return l.Height < 1024 })
	pw := page.field(t, "pw")
	if pw.Max.Y > page.Height || pw.Min.Y < 0 {
		t.Errorf("the password field is at %v, outside the page's area of height %d above the keyboard", pw, page.Height)
	}
	if page.Height > 1024-200 {
		t.Errorf("the page's area is %d px high with the keyboard up: it did not shrink", page.Height)
	}
	screenshot(t, x, "keyboard-password")
	if changed := sh.holdKey("k", "keyboard-password-held"); changed {
		t.Error("in a password field, holding a key changed how the keys look: someone behind the patient sees which key")
	}
	site.until(t, "pw", "k")
}

// awaitKeyboard waits until the keyboard is up for a field of kind ("text", "password") or
// gone ("hidden").
func (s *shellUnderTest) awaitKeyboard(kind string) {
	s.t.Helper()
	for s.await(wire.EvKeyboard, "", 30*time.Second).Detail != kind {
	}
}

// holdKey holds the key called name down for a moment and reports whether the keyboard looked
// any different while it was down from once it was lifted, outside the pointer (cage draws the
// virtual pointer while it exists): only the keys' own feedback can differ. One screen with the
// key down is saved as shot.
func (s *shellUnderTest) holdKey(name, shot string) bool {
	s.t.Helper()
	at, keys := s.keyAt(name)
	var downs []string
	err := s.x.Hold(s.p.PID(), at.X, at.Y, func() error {
		for i := range 5 {
			path := shotPath(s.t, fmt.Sprintf("%s-%d", shot, i))
			if i == 0 {
				path = shotPath(s.t, shot)
			}
			if err := s.x.Shot(path); err != nil {
				return err
			}
			downs = append(downs, path)
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
	up := s.t.TempDir() + "/up.png"
	if _, err := display.Settled(s.x, up, 10*time.Second); err != nil {
		s.t.Fatal(err)
	}
	changed := false
	for _, down := range downs {
		diff, err := display.Differ(down, up, keys, display.PointerArea(at))
		if err != nil {
			s.t.Fatal(err)
		}
		changed = changed || diff
	}
	return changed
}

// TestTouchOnlySignInToTheDemoPortal is a patient at a touch-only unit: the card, then only
// touches — "I'm ready", the demo portal's fields, the on-screen keyboard's keys, the password
// reminder's button — until they are signed in.
func TestTouchOnlySignInToTheDemoPortal(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", demo: true, keyboard: "always"})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe("29990012345678")
	k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	k.touch(388, 699) // I'm ready
	k.waitFor("the sign-in page", 30*time.Second, func(s session.Status) bool { return s.State == session.Active && s.URL != "" })
	k.touch(360, 459) // Username
	var board keyboard.Board
	k.touchKeys(&board, "j", "o")
	k.touch(360, 567) // Password: the reminder comes first
	k.waitFor("the password reminder", 30*time.Second, func(s session.Status) bool { return s.Screen == "password" })
	screenshot(t, ambient, "touch-reminder")
	k.touch(528, 586) // OK: back to the password field, the keyboard with it
	k.touchKeys(&board, "s", "e", "c", "r", "e", "t", "enter")
	k.waitFor("the signed-in record", 30*time.Second, func(s session.Status) bool { return strings.HasSuffix(s.URL, "/record") })
	screenshot(t, ambient, "touch-signed-in")
}

// keyboardUp waits until the on-screen keyboard is on the screen, as a patient sees it: its
// dark strip along the bottom of a 1280×1024 screen.
func (k *kiosk) keyboardUp() {
	k.t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); {
		path := shotPath(k.t, "keyboard-up")
		if err := ambient.Shot(path); err != nil {
			k.t.Fatal(err)
		}
		if c, err := display.PixelAt(path, 2, 1022); err == nil && c == (color.RGBA{0x1f, 0x23, 0x28, 0xff}) {
			return
		}
	}
	k.t.Fatal("the on-screen keyboard did not come up")
}

// touchKeys waits for the on-screen keyboard and touches the keys called names on a 1280×1024
// screen, where GTK lays a 4-row board out in half keys of 53 px and rows of 64 px, from 4 px in
// (TestOnScreenKeyboardTypesRealKeys checks this against where GTK drew them). b follows the
// board's pages and shift.
func (k *kiosk) touchKeys(b *keyboard.Board, names ...string) {
	k.t.Helper()
	k.keyboardUp()
	for _, name := range names {
		r, c, at := landscapeKey(k.t, b, name)
		b.Press(r, c)
		k.touch(at.X, at.Y)
	}
}

// landscapeKey is where the key called name of b's current page is on a 1280×1024 screen: its
// row, column and middle.
func landscapeKey(t *testing.T, b *keyboard.Board, name string) (int, int, image.Point) {
	t.Helper()
	rows := b.Rows()
	for r, row := range rows {
		width := 0
		for _, key := range row {
			width += key.Width
		}
		left := (keyboard.Columns - width) / 2
		for c, key := range row {
			if key.Name == name {
				return r, c, image.Pt(4+left*53+key.Width*53/2, 1024-4-(len(rows)-r)*64+32)
			}
			left += key.Width
		}
	}
	t.Fatalf("no key %q on the board", name)
	return 0, 0, image.Point{}
}

// TestOnScreenKeyboardGallery draws the keyboard on every screen size, in both languages, for
// the gallery, and checks that every key is at least 48 × 48 px and the page stays visible above
// it (at 200% the page is zoomed; the keyboard, GTK's, keeps its size).
func TestOnScreenKeyboardGallery(t *testing.T) {
	for _, size := range sizes {
		t.Run(size.name, func(t *testing.T) {
			x, _, sh, page := openSignIn(t, size.w, size.h, size.zoom)
			zoom := float64(zoomPercent(size.zoom)) / 100
			name := page.field(t, "name")
			sh.touchField(image.Rect(int(float64(name.Min.X)*zoom), int(float64(name.Min.Y)*zoom), int(float64(name.Max.X)*zoom), int(float64(name.Max.Y)*zoom)))
			sh.awaitKeyboard("text")
			for _, lang := range []string{"en", "cy"} {
				sh.send(wire.Command{Cmd: wire.CmdUI, UI: &wire.UI{Lang: lang}})
				_, keys := sh.keyAt(map[string]string{"en": "q", "cy": "ŵ"}[lang])
				if keys.Min.Y < size.h/2 {
					t.Errorf("%s: the keyboard takes the screen from y=%d of %d: the page has less than half", lang, keys.Min.Y, size.h)
				}
				sh.send(wire.Command{Cmd: wire.CmdReadUI})
				var k keyboardState
				if err := json.Unmarshal([]byte(sh.await(wire.EvUIText, "", 10*time.Second).Detail), &k); err != nil {
					t.Fatal(err)
				}
				for _, key := range k.Keyboard.Keys {
					if key.W < 48 || key.H < 48 {
						t.Errorf("%s: key %s is %d×%d px, less than 48×48", lang, key.Name, key.W, key.H)
					}
				}
				screenshot(t, x, "keyboard-"+lang+"-"+size.name)
			}
		})
	}
}

// TestOnScreenKeyboardInTheSignInPrompt: the kiosk's own sign-in prompt (a site's HTTP
// authentication) brings the keyboard up for its fields too — private in the password field —
// and a patient signs in with it alone.
func TestOnScreenKeyboardInTheSignInPrompt(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/private/letters", keyboard: "always"})
	auth := protect(k, "secret")
	k.beginSession("29990012345678")
	k.waitScreen(session.Active, "auth", 30*time.Second)
	var board keyboard.Board
	k.touchKeys(&board, "p", "a", "t", "i", "e", "n", "t") // the user name field has the focus
	screenshot(t, ambient, "keyboard-sign-in-prompt")
	// The prompt is centred in the page area, which the keyboard has shrunk to 760 px: the
	// password field is 133 px below its middle.
	k.touch(640, 380+133)
	k.touchKeys(&board, "s", "e", "c", "r", "e", "t", "enter")
	waitChan(t, auth.signedIn, 30*time.Second, "the signed-in page")
}
