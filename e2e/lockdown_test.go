package e2e

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/canary"
	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/session"
)

// offList is a server on another loopback address, off the kiosk's list: it must never be
// reached, not even by a TCP connection.
type offList struct {
	ln    net.Listener
	conns atomic.Int64
}

func startOffList(t *testing.T) *offList {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listening on 127.0.0.2 (the off-list host): %v", err)
	}
	o := &offList{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			o.conns.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return o
}

func (o *offList) url(scheme string) string { return scheme + "://" + o.ln.Addr().String() + "/" }

// attempt is one thing people try at a public kiosk, as a page on the allowed portal.
type attempt struct {
	name   string
	script string // runs on load; report(x) tells the test what the page saw
	body   string // extra HTML; an element with id="hit" fills the page, for a real click
	click  bool   // the test clicks the page for real (a user gesture)
	expect string // "refused": the kiosk refuses and shows its blocked screen;
	// "stays": nothing happens, or the kiosk refuses it (WebKit itself ignores some schemes);
	// "report:VALUE": the page reports VALUE; "url:PATH": the page moved, in place, to PATH
}

const hitStyle = `<style>#hit{position:fixed;left:0;top:0;width:100vw;height:100vh;display:block;background:#fee}</style>`

func attempts(off *offList, portalURL string) []attempt {
	offs := off.url("https")
	return []attempt{
		{name: "off-list host", script: fmt.Sprintf("location.href=%q", offs), expect: "refused"},
		{name: "http downgrade", script: fmt.Sprintf("location.href=%q", strings.Replace(portalURL, "https:", "http:", 1)+"h/x"), expect: "refused"},
		{name: "file scheme", script: `location.href="file:///etc/passwd"`, expect: "stays"},
		{name: "data top-level", script: `location.href="data:text/html,<h1>x</h1>"`, expect: "stays"},
		{name: "view-source", script: fmt.Sprintf("location.href=%q", "view-source:"+portalURL), expect: "stays"},
		{name: "about:config", script: `location.href="about:config"`, expect: "stays"},
		{name: "blob top-level", script: `location.href=URL.createObjectURL(new Blob(["<h1>x</h1>"],{type:"text/html"}))`, expect: "stays"},
		{name: "mailto", script: `location.href="mailto:someone@example.org"`, expect: "stays"},
		{name: "tel", script: `location.href="tel:08001696565"`, expect: "stays"},
		{name: "custom scheme", script: `location.href="ms-settings:privacy"`, expect: "stays"},
		// WebKit's PDF viewer loads only into the frame of a PDF (pdf_test.go), never as a page.
		{name: "pdf viewer scheme", script: `location.href="webkit-pdfjs-viewer://pdfjs/web/viewer.html"`, expect: "stays"},
		{name: "redirect to off-list", script: `location.href="/redirect-off-list"`, expect: "refused"},
		{name: "meta refresh", body: fmt.Sprintf(`<meta http-equiv="refresh" content="0;url=%s">`, offs), expect: "refused"},
		{name: "form post", body: fmt.Sprintf(`<form id="f" method="post" action="%s"><input name="q" value="1"></form>`, offs),
			script: `document.getElementById("f").submit()`, expect: "refused"},
		{name: "target=_blank off-list", body: fmt.Sprintf(`<a id="hit" target="_blank" href="%s">go</a>`, offs), click: true, expect: "refused"},
		// A click on a link, _blank or not, made WebKit preconnect to its host (hooks.c: no_preconnect).
		{name: "link off-list", body: fmt.Sprintf(`<a id="hit" href="%s">go</a>`, offs), click: true, expect: "refused"},
		{name: "link rel=preconnect off-list", body: fmt.Sprintf(`<link rel="preconnect" href="%s">`, offs), expect: "stays"},
		{name: "window.open off-list", body: `<div id="hit">go</div>`, click: true,
			script: fmt.Sprintf(`document.getElementById("hit").onclick=()=>window.open(%q)`, offs), expect: "stays"},
		{name: "window.open without a click", script: fmt.Sprintf(`window.open(%q)`, offs), expect: "stays"},
		{name: "window.open allowed opens in place", script: `window.open("/h/landed")`, expect: "url:/h/landed"},
		{name: "target=_blank allowed opens in place", body: `<a id="hit" target="_blank" href="/h/landed">go</a>`, click: true, expect: "url:/h/landed"},
		{name: "download", body: `<a id="hit" href="/download">get</a>`, click: true, expect: "refused"},
		{name: "iframe off-list", body: fmt.Sprintf(`<iframe id="fr" src="%s"></iframe>`, offs), expect: "stays"},
		{name: "image off-list", script: fmt.Sprintf(`const i=new Image();i.onload=()=>report("loaded");i.onerror=()=>report("error");i.src=%q`, offs+"x.png"), expect: "report:error"},
		// A user name and password before the off-list host that spell an allowed host and port.
		{name: "image off-list behind userinfo", script: fmt.Sprintf(`const i=new Image();i.onload=()=>report("loaded");i.onerror=()=>report("error");i.src=%q`, userinfo(portalURL, offs)+"x.png"), expect: "report:error"},
		{name: "websocket off-list behind userinfo", script: fmt.Sprintf(`const w=new WebSocket(%q);w.onopen=()=>report("open");w.onerror=()=>report("error")`, strings.Replace(userinfo(portalURL, offs), "https:", "wss:", 1)), expect: "report:error"},
		{name: "fetch off-list", script: fmt.Sprintf(`fetch(%q).then(()=>report("fetched"),()=>report("failed"))`, offs), expect: "report:failed"},
		{name: "fetch http downgrade", script: fmt.Sprintf(`fetch(%q).then(()=>report("fetched"),()=>report("failed"))`, off.url("http")), expect: "report:failed"},
		{name: "websocket off-list", script: fmt.Sprintf(`const w=new WebSocket(%q);w.onopen=()=>report("open");w.onerror=()=>report("error")`, strings.Replace(offs, "https:", "wss:", 1)), expect: "report:error"},
		{name: "geolocation", script: `navigator.geolocation.getCurrentPosition(()=>report("granted"),(e)=>report("denied"))`, expect: "report:denied"},
		{name: "notifications", script: `Notification.requestPermission().then((p)=>report(p))`, expect: "report:denied"},
		{name: "camera", script: `navigator.mediaDevices.getUserMedia({video:true}).then(()=>report("granted"),()=>report("denied"))`, expect: "report:denied"},
		{name: "clipboard read", script: `navigator.clipboard.readText().then((t)=>report("read"),()=>report("denied"))`, expect: "report:denied"},
		{name: "file chooser", body: `<input id="hit" type="file">`, click: true, script: `document.getElementById("hit").onclick=()=>setTimeout(()=>report("clicked"),0)`, expect: "report:clicked"},
		{name: "print", body: `<div id="hit">print</div>`, click: true, script: `document.getElementById("hit").onclick=()=>{window.print();report("printed")}`, expect: "report:printed"},
		{name: "alert loop", script: `for(let i=0;i<50;i++)alert("trapped "+i);report("free")`, expect: "report:free"},
	}
}

// userinfo is the URL off with the host and port of allowed before its own host as a user name
// and password: "https://127.0.0.1:4443@127.0.0.2:5555/".
func userinfo(allowed, off string) string {
	return strings.Replace(off, "https://", "https://"+strings.TrimSuffix(strings.TrimPrefix(allowed, "https://"), "/")+"@", 1)
}

// TestLockdown tries, in one session, what people try at public kiosks. Each attempt must be
// refused or come to nothing: the off-list server gets no connection, no second window opens,
// no file appears outside the session's directory, and the page stays on the allowed host.
func TestLockdown(t *testing.T) {
	needDisplay(t)
	off := startOffList(t)
	k := startKiosk(t, settings{idle: "10m", idleWarning: "1m", max: "30m", maxWarning: "2m", start: "/h/first"})
	list := attempts(off, k.portal.URL("/"))
	pages := map[string]attempt{}
	for i, a := range list {
		pages[fmt.Sprintf("/h/%d", i)] = a
	}
	reports := make(chan string, 16)
	next := make(chan string)
	k.portal.Mux.HandleFunc("/h/", func(w http.ResponseWriter, r *http.Request) {
		a := pages[r.URL.Path]
		fmt.Fprintf(w, `<!doctype html><html><head><title>%s</title>%s</head><body><h1>%s</h1>%s
<script>
function report(x){fetch("/h-report",{method:"POST",body:x})}
%s
(async()=>{for(;;){try{const r=await fetch("/h-next");if(r.ok){location.href=await r.text();return}}catch(e){}await new Promise((w)=>setTimeout(w,200))}})();
%s
</script></body></html>`, a.name, hitStyle, a.name, a.body, stillHere(a), a.script)
	})
	k.portal.Mux.HandleFunc("/h-report", func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 64)
		n, _ := r.Body.Read(b)
		reports <- string(b[:n])
	})
	k.portal.Mux.HandleFunc("/h-next", func(w http.ResponseWriter, r *http.Request) {
		select {
		case u := <-next:
			fmt.Fprint(w, u)
		case <-r.Context().Done():
			http.Error(w, "gone", http.StatusServiceUnavailable)
		}
	})
	k.portal.Mux.HandleFunc("/redirect-off-list", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, off.url("https"), http.StatusFound)
	})
	k.portal.Mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", `attachment; filename="record.bin"`)
		fmt.Fprint(w, "CAREKIOSK-DOWNLOAD-CANARY")
	})

	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe("12345678")
	k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	k.key("Return")
	k.waitFor("the first page", 30*time.Second, func(s session.Status) bool { return strings.HasSuffix(s.URL, "/h/first") })

	var results []string
	for i, a := range list {
		path := fmt.Sprintf("/h/%d", i)
		before, _ := k.Status()
		for len(reports) > 0 {
			<-reports // what the last page said after the test moved on
		}
		select {
		case next <- path:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: the page did not ask for the next attempt", a.name)
		}
		if !strings.HasPrefix(a.expect, "url:") || a.click { // a page that moves by itself may be gone before status shows it
			k.waitFor("page "+a.name, 30*time.Second, func(s session.Status) bool { return strings.HasSuffix(s.URL, path) })
		}
		if a.click {
			k.touch(640, 600) // the middle of the page
		}
		result := k.outcome(t, a, before, reports)
		if n := off.conns.Load(); n != 0 {
			t.Errorf("%s: the off-list server got %d connections", a.name, n)
			result += "; OFF-LIST REACHED"
		}
		if w, list := k.windows(); w != 1 {
			t.Errorf("%s: %d windows a patient can see, want 1:\n%s", a.name, w, list)
			screenshot(t, ambient, "windows-"+strings.ReplaceAll(a.name, " ", "-"))
			result += fmt.Sprintf("; %d WINDOWS", w)
		}
		if s, _ := k.Status(); !strings.HasPrefix(s.URL, k.portal.URL("/")) {
			t.Errorf("%s: the session's page is %q, off the allowed host", a.name, s.URL)
		}
		results = append(results, fmt.Sprintf("%-38s %s", a.name, result))
	}
	screenshot(t, ambient, "blocked")
	t.Logf("attempts and results:\n  %s", strings.Join(results, "\n  "))
	if found := canary.Find(k.Home, []string{"CAREKIOSK-DOWNLOAD-CANARY"}); len(found) > 0 {
		t.Errorf("the download reached the disk: %v", found)
	}
	if found := canary.Find(filepath.Join(k.Dir, "sessions"), []string{"CAREKIOSK-DOWNLOAD-CANARY"}); len(found) > 0 {
		t.Errorf("the download reached the session directory: %v", found)
	}
	if entries, _ := os.ReadDir(k.Home); len(entries) != 0 {
		t.Errorf("files appeared in the kiosk's HOME: %v", entries)
	}
}

// stillHere is the script of an attempt that expects to stay: it reports a moment later.
func stillHere(a attempt) string {
	if a.expect != "stays" {
		return ""
	}
	return `setTimeout(()=>report("still here"),1500);`
}

// outcome waits for what a must lead to and describes it.
func (k *kiosk) outcome(t *testing.T, a attempt, before session.Status, reports chan string) string {
	t.Helper()
	switch {
	case a.expect == "refused":
		defer func() {
			if t.Failed() {
				for len(reports) > 0 {
					t.Logf("%s: the page reported %q", a.name, <-reports)
				}
				screenshot(t, ambient, "failed-"+strings.ReplaceAll(a.name, " ", "-"))
			}
		}()
		k.waitFor(a.name+" refused", 30*time.Second, func(s session.Status) bool {
			return s.Refused > before.Refused && s.Screen == "blocked"
		})
		k.key("Return") // "Back to my record" has the focus
		k.waitScreen(session.Active, "session", 30*time.Second)
		return "refused, blocked screen shown, back to the session"
	case a.expect == "stays":
		// The page says it is still there a moment after its attempt: nothing took it away.
		select {
		case <-reports:
		case <-time.After(30 * time.Second):
			t.Errorf("%s: the page went away", a.name)
			return "PAGE WENT AWAY"
		}
		if s, _ := k.Status(); s.Screen == "blocked" {
			k.key("Return")
			k.waitScreen(session.Active, "session", 30*time.Second)
			return "refused, blocked screen shown, back to the session"
		}
		return "ignored by the browser, page stayed"
	case strings.HasPrefix(a.expect, "report:"):
		want := strings.TrimPrefix(a.expect, "report:")
		for deadline := time.After(30 * time.Second); ; {
			select {
			case got := <-reports:
				if got != want {
					t.Errorf("%s: the page saw %q, want %q", a.name, got, want)
				}
				return "page saw " + got
			case <-deadline:
				t.Errorf("%s: the page reported nothing", a.name)
				return "NO REPORT"
			case <-time.After(time.Second):
				if a.name == "alert loop" {
					k.dismissAlert()
				}
			}
		}
	case strings.HasPrefix(a.expect, "url:"):
		path := strings.TrimPrefix(a.expect, "url:")
		k.waitFor(a.name, 30*time.Second, func(s session.Status) bool { return strings.HasSuffix(s.URL, path) })
		// back to a page with the driver
		return "opened in place"
	}
	t.Fatalf("%s: unknown expectation %q", a.name, a.expect)
	return ""
}

// dismissAlert closes WebKit's alert dialog, as a patient would: Return on X11; under cage a touch
// on its Close button, just below the middle of the 1280×1024 screen. There GTK's buttons don't
// take Return from wtype (a virtual keyboard with a keymap of its own each run): keys reach the
// page, and Escape reaches the dialog's own handler, but not a button's key binding. A limit of
// the tool, it seems, not of a patient's keyboard, which has one keymap; no real one was at hand.
func (k *kiosk) dismissAlert() {
	k.t.Helper()
	if ambient.Stack() == "wayland" {
		k.touch(640, 568)
		return
	}
	k.key("Return")
}

// windows counts the windows a patient can see, and lists them. Under cage, which can't list
// them, it says 1: there the X11 tier is what proves that no attempt opens a window.
func (k *kiosk) windows() (int, string) {
	k.t.Helper()
	n, list, err := ambient.Windows()
	if errors.Is(err, display.ErrUnlisted) {
		return 1, ""
	}
	if err != nil {
		k.t.Fatal(err)
	}
	return n, list
}

// TestLockdownKeys presses, for real, the keys that open, save, print, close, inspect or leave:
// none reaches the page, none opens a window or moves the session off its page. Ordinary keys
// (a letter, Tab) still reach the page, and are what each press is checked against.
func TestLockdownKeys(t *testing.T) {
	needDisplay(t)
	k := startKiosk(t, settings{idle: "10m", idleWarning: "1m", max: "30m", maxWarning: "2m", start: "/keys"})
	keys := make(chan string, 64)
	k.portal.Mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Keys</title><h1>Keys</h1><input id="f" autofocus>
<script>
document.addEventListener("keydown", (e) => {
  if (["Control", "Shift", "Alt", "Meta", "Super", "Hyper", "OS"].includes(e.key)) return;
  const k = (e.ctrlKey ? "ctrl+" : "") + (e.altKey ? "alt+" : "") + (e.metaKey ? "meta+" : "") + e.key;
  fetch("/key", {method: "POST", body: k});
}, true);
</script>`)
	})
	k.portal.Mux.HandleFunc("/key", func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 64)
		n, _ := r.Body.Read(b)
		keys <- string(b[:n])
	})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe("12345678")
	k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	k.key("Return")
	page := k.waitFor("the keys page", 30*time.Second, func(s session.Status) bool { return strings.HasSuffix(s.URL, "/keys") }).URL

	// reaches presses key and reports what the page saw of it (waiting for the control key x).
	reaches := func(key string) []string {
		k.key(key, "x")
		var seen []string
		for deadline := time.After(30 * time.Second); ; {
			select {
			case got := <-keys:
				if got == "x" {
					return seen
				}
				seen = append(seen, got)
			case <-deadline:
				t.Fatalf("%s: the page never saw the x pressed after it", key)
			}
		}
	}
	if seen := reaches("Tab"); len(seen) != 1 || seen[0] != "Tab" {
		t.Errorf("Tab: the page saw %q, want Tab (ordinary keys must reach the page)", seen)
	}
	var results []string
	for _, key := range []string{"ctrl+n", "ctrl+shift+n", "ctrl+w", "ctrl+shift+w", "ctrl+t", "ctrl+o", "ctrl+s",
		"ctrl+p", "ctrl+u", "ctrl+h", "ctrl+j", "ctrl+l", "alt+d", "ctrl+f", "ctrl+g", "ctrl+shift+i", "ctrl+shift+c",
		"ctrl+shift+d", "ctrl+q", "F1", "F3", "ctrl+F5", "shift+F5", "F6", "F7", "F11", "F12", "alt+F4", "alt+Left",
		"alt+Home", "super+e", "ctrl+period", "ctrl+semicolon"} {
		seen := reaches(key)
		result := "swallowed"
		if len(seen) > 0 {
			t.Errorf("%s reached the page (it saw %q)", key, seen)
			result = fmt.Sprintf("REACHED THE PAGE as %q", seen)
		}
		if w, list := k.windows(); w != 1 {
			t.Errorf("%s: %d windows a patient can see, want 1:\n%s", key, w, list)
			result += fmt.Sprintf("; %d WINDOWS", w)
		}
		if s, _ := k.Status(); s.URL != page || s.State != session.Active {
			t.Errorf("%s: the session is %s on %q, want active on %q", key, s.State, s.URL, page)
		}
		results = append(results, fmt.Sprintf("%-14s %s", key, result))
	}
	t.Logf("keys and results:\n  %s", strings.Join(results, "\n  "))
}
