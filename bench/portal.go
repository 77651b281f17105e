package main

import (
	"net/http"
	"sync"

	"github.com/carekiosk/carekiosk/internal/canary"
	"github.com/carekiosk/carekiosk/internal/kiosktest"
)

// portal is the record provider of the bench and the soak (package kiosktest). Its start page
// plants fresh canaries in a cookie, localStorage and IndexedDB, then reports /planted.
type portal struct {
	*kiosktest.Portal
	mu     sync.Mutex
	canary []string // every canary planted so far
}

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
