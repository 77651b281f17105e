package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// portal is the record provider of the bench and the soak: HTTPS on loopback. Its start page
// plants fresh canaries in a cookie, localStorage and IndexedDB, then reports /planted.
type portal struct {
	srv     *httptest.Server
	mu      sync.Mutex
	canary  []string      // every canary planted so far
	pending []string      // this session's, until the page reports them planted
	planted chan struct{} // one per planted page
}

func startPortal() *portal {
	p := &portal{planted: make(chan struct{}, 4)}
	mux := http.NewServeMux()
	mux.HandleFunc("/start", p.start)
	mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><title>Signed out</title><h1>You have signed out</h1>")
	})
	mux.HandleFunc("/planted", func(w http.ResponseWriter, r *http.Request) {
		select {
		case p.planted <- struct{}{}:
		default:
		}
	})
	p.srv = httptest.NewTLSServer(mux)
	return p
}

func (p *portal) url(path string) string { return p.srv.URL + path }

func unique(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// canaries returns every canary planted so far.
func (p *portal) canaries() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.canary...)
}

func (p *portal) start(w http.ResponseWriter, r *http.Request) {
	c := []string{unique("ckcookie"), unique("cklocal"), unique("ckidb")}
	p.mu.Lock()
	p.canary = append(p.canary, c...)
	p.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	http.SetCookie(w, &http.Cookie{Name: "canary", Value: c[0], MaxAge: 3600, Secure: true, Path: "/"})
	fmt.Fprint(w, strings.NewReplacer("LOCAL", c[1], "IDB", c[2]).Replace(plantPage))
}

const plantPage = `<!doctype html><html><head><title>Portal</title></head><body>
<h1>Bench record portal</h1>
<script>
localStorage.setItem("canary", "LOCAL");
const open = indexedDB.open("canarydb", 1);
open.onupgradeneeded = () => open.result.createObjectStore("s");
open.onsuccess = () => {
  const tx = open.result.transaction("s", "readwrite");
  tx.objectStore("s").put("IDB", "k");
  tx.oncomplete = () => fetch("/planted", {method: "POST"});
};
</script></body></html>`
