package kiosktest

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
)

// Portal is a record provider for a kiosk to open: HTTPS on loopback. Its /logout page signs
// out (counted), and a page that has planted its canaries fetches /planted (Planted). The user
// serves /start and any other page on Mux.
type Portal struct {
	Server  *httptest.Server
	Mux     *http.ServeMux
	Planted chan struct{}

	logouts atomic.Int64
}

// StartPortal starts a portal; Close stops it.
func StartPortal() *Portal {
	p := &Portal{Mux: http.NewServeMux(), Planted: make(chan struct{}, 1)}
	p.Mux.HandleFunc("/logout", func(w http.ResponseWriter, r *http.Request) {
		p.logouts.Add(1)
		fmt.Fprint(w, "<!doctype html><title>Signed out</title><h1>You have signed out</h1>")
	})
	p.Mux.HandleFunc("/planted", func(w http.ResponseWriter, r *http.Request) { Signal(p.Planted) })
	p.Server = httptest.NewTLSServer(p.Mux)
	return p
}

// URL is the address of the portal's page at path.
func (p *Portal) URL(path string) string { return p.Server.URL + path }

// Certificate is the portal's certificate, PEM-encoded, for the kiosk to trust.
func (p *Portal) Certificate() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.Server.Certificate().Raw})
}

// Logouts is how many times /logout was visited.
func (p *Portal) Logouts() int { return int(p.logouts.Load()) }

// Close stops the portal.
func (p *Portal) Close() { p.Server.Close() }

// Signal sends on c unless it is full: a page's report that nobody has taken yet stands for
// the next.
func Signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
