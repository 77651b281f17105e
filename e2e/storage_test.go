package e2e

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/canary"
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
	k.portal.mux.HandleFunc("/storage/page", func(w http.ResponseWriter, r *http.Request) {
		k.portal.mu.Lock()
		p := plant
		k.portal.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, strings.Replace(workerPage, "CACHED", cached, 1), p)
	})
	k.portal.mux.HandleFunc("/storage/worker.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprintf(w, "// %s\nself.addEventListener(\"fetch\", () => {});\n", worker)
	})
	k.portal.mux.HandleFunc("/storage/planted", func(w http.ResponseWriter, r *http.Request) { signal(planted) })
	k.portal.mux.HandleFunc("/storage/report", func(w http.ResponseWriter, r *http.Request) {
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
	sessions := filepath.Join(k.dir, "sessions")
	both := []string{cached, worker}
	waitUntil(t, 30*time.Second, "the cache and the worker on disk during the session", func() bool {
		return len(canary.Find(sessions, both)) == 2
	})

	if out, err := runCLI("end-session", "-config", k.config); err != nil {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	k.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && s.LastWipeVerified
	})
	for _, dir := range []string{sessions, k.home} {
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

// TestClipboardDoesNotSurvive: text a patient selected and copied in a session is in the
// primary selection and the clipboard while it lasts, and in neither once it has ended (their
// owner, the session's browser, is gone with it).
func TestClipboardDoesNotSurvive(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m"})
	c := k.portal.canary
	k.secrets = append(k.secrets, c.all()...)
	k.portal.setPlant(true)
	k.beginSession("29990012345678")
	waitChan(t, k.portal.planted, 30*time.Second, "the page")
	k.typeText(c.Typed)
	waitChan(t, k.portal.typed, 30*time.Second, "the typed text")
	k.key("ctrl+a", "ctrl+c")
	holds := func(primary bool) bool {
		s, err := ambient.Selection(primary)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(s, c.Typed)
	}
	waitUntil(t, 10*time.Second, "the copied text in the clipboard and the primary selection", func() bool {
		return holds(false) && holds(true)
	})

	if out, err := runCLI("end-session", "-config", k.config); err != nil {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	k.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && s.LastWipeVerified
	})
	if holds(false) {
		t.Errorf("after the session, the clipboard still holds what the patient copied")
	}
	if holds(true) {
		t.Errorf("after the session, the primary selection still holds what the patient selected")
	}
}
