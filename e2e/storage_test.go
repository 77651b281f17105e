package e2e

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/canary"
	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/internal/kiosktest"
	"github.com/carekiosk/carekiosk/session"
)

// workerPage stores CACHED in Cache Storage and registers a service worker whose script holds
// WORKER, then reports to /storage/planted; a page of the next session reports to
// /storage/report what it finds of either (with PLANT false).
const workerPage = `<!doctype html><html><head><title>Letters</title></head><body><h1>Letters</h1><script>
const PLANT = %t;
(async () => {
  if (PLANT) {
    const c = await caches.open("ckcache");
    await c.put("/storage/cached", new Response("CACHED"));
    await navigator.serviceWorker.register("/storage/worker.js");
    await navigator.serviceWorker.ready;
    await fetch("/storage/planted", {method: "POST"});
    return;
  }
  const names = await caches.keys();
  const regs = await navigator.serviceWorker.getRegistrations();
  await fetch("/storage/report", {method: "POST", body: JSON.stringify({caches: names, workers: regs.length})});
})().catch(e => fetch("/storage/report", {method: "POST", body: "error: " + e}));
</script></body></html>`

// TestCacheStorageAndServiceWorkersDoNotSurvive: a page's Cache Storage entry and service worker
// (registered, with its script) are on disk during the session; after it, nothing on disk holds
// them and the next session's page finds no cache and no worker.
func TestCacheStorageAndServiceWorkersDoNotSurvive(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/storage/page"})
	cached, worker := canary.New().Cookie, canary.New().Local
	k.secrets = append(k.secrets, cached, worker)
	planted, reports := make(chan struct{}, 1), make(chan string, 1)
	plant := true
	k.portal.Mux.HandleFunc("/storage/page", func(w http.ResponseWriter, r *http.Request) {
		k.portal.mu.Lock()
		p := plant
		k.portal.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, strings.Replace(workerPage, "CACHED", cached, 1), p)
	})
	k.portal.Mux.HandleFunc("/storage/worker.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprintf(w, "// %s\nself.addEventListener(\"fetch\", () => {});\n", worker)
	})
	k.portal.Mux.HandleFunc("/storage/planted", func(w http.ResponseWriter, r *http.Request) { kiosktest.Signal(planted) })
	k.portal.Mux.HandleFunc("/storage/report", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		reports <- string(b)
	})

	k.beginSession("29990012345678")
	select {
	case <-planted:
	case r := <-reports:
		t.Fatalf("the page could not plant its cache and worker: %s", r)
	case <-time.After(30 * time.Second):
		t.Fatal("the page did not plant its cache and worker")
	}
	sessions := filepath.Join(k.Dir, "sessions")
	both := []string{cached, worker}
	waitUntil(t, 30*time.Second, "the cache and the worker on disk during the session", func() bool {
		return len(canary.Find(sessions, both)) == 2
	})

	if out, err := runCLI("end-session", "-config", k.Config); err != nil {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	k.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && s.LastWipeVerified
	})
	for _, dir := range []string{sessions, k.Home} {
		if found := canary.Find(dir, both); len(found) > 0 {
			t.Errorf("after the session, the cache or the worker is still on disk: %v", found)
		}
	}

	k.portal.mu.Lock()
	plant = false
	k.portal.mu.Unlock()
	k.beginSession("29990012345679")
	select {
	case r := <-reports:
		if r != `{"caches":[],"workers":0}` {
			t.Errorf("the next session's page found %s, want no cache and no worker", r)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the next session's page did not report")
	}
}

// pastePage has a field for the patient's notes (focused) and one to paste into; it reports
// the second's value to /clip/pasted at each change.
const pastePage = `<!doctype html><html><head><title>Notes</title></head><body>
<label>Notes <input id="notes" autofocus></label> <label>Paste here <input id="paste"></label>
<script>
document.getElementById("paste").addEventListener("input", (e) =>
  fetch("/clip/pasted", {method: "POST", body: e.target.value}));
</script></body></html>`

// TestClipboardDoesNotSurvive: what a patient copied in a session pastes in that session, and
// pastes nowhere in the next one (the clipboard's owner, the session's browser, is gone with it);
// where the display lets a test read it (X11), what they selected is not in the primary
// selection either.
func TestClipboardDoesNotSurvive(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/clip/page"})
	copied := canary.New().Local
	k.secrets = append(k.secrets, copied)
	pasted := make(chan string, 16)
	k.portal.Mux.HandleFunc("/clip/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pastePage)
	})
	k.portal.Mux.HandleFunc("/clip/pasted", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		pasted <- string(b)
	})
	// paste presses keys, then pastes into the second field and types a mark after it, all in
	// one go (under cage the seat has a keyboard only while keys are being pressed, and a client
	// is offered the clipboard only while it has the keyboard's focus). The page reports what the
	// field holds once the mark is there, so an empty clipboard is an answer too.
	paste := func(before ...string) string {
		k.key(append(before, "Tab", "ctrl+v", "numbersign")...)
		for {
			select {
			case v := <-pasted:
				if strings.HasSuffix(v, "#") {
					return strings.TrimSuffix(v, "#")
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the page did not report the paste")
			}
		}
	}

	k.beginSession("29990012345678")
	k.waitFor("the page", 30*time.Second, func(s session.Status) bool { return s.URL == k.portal.URL("/clip/page") })
	k.typeText(copied)
	if got := paste("ctrl+a", "ctrl+c"); got != copied {
		t.Fatalf("during the session, a paste gave %q, want what the patient copied", got)
	}
	primary, err := ambient.Primary()
	readable := !errors.Is(err, display.ErrNoSelection)
	if readable && (err != nil || primary != copied) {
		t.Fatalf("during the session, the primary selection holds %q (%v), want what the patient selected", primary, err)
	}

	if out, err := runCLI("end-session", "-config", k.Config); err != nil {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	k.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && s.LastWipeVerified
	})
	if readable {
		if primary, err := ambient.Primary(); err != nil || strings.Contains(primary, copied) {
			t.Errorf("after the session, the primary selection holds %q (%v)", primary, err)
		}
	} else {
		t.Logf("the primary selection is not readable on %s: %v", ambient.Stack(), err)
	}
	k.beginSession("29990012345679")
	k.waitFor("the page", 30*time.Second, func(s session.Status) bool { return s.URL == k.portal.URL("/clip/page") })
	if got := paste(); got != "" {
		t.Errorf("the next session's paste gave %q, want nothing", got)
	}
}
