package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/carekiosk/carekiosk/internal/canary"
)

// portal is the record provider of the bench and the soak: HTTPS on loopback. Its start page
// plants fresh canaries in a cookie, localStorage and IndexedDB, then reports /planted.
type portal struct {
	srv     *httptest.Server
	mu      sync.Mutex
	canary  []string      // every canary planted so far
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

// canaries returns every canary planted so far.
func (p *portal) canaries() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.canary...)
}

func (p *portal) start(w http.ResponseWriter, r *http.Request) {
	c := canary.New()
	p.mu.Lock()
	p.canary = append(p.canary, c.All()...)
	p.mu.Unlock()
	canary.Plant(w, c, "")
}
