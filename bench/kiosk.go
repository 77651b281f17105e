package main

import (
	"os"
	"path/filepath"
	"time"

	"github.com/carekiosk/carekiosk/internal/kiosktest"
)

// kiosk is the carekiosk of the bench and the soak (package kiosktest), with a portal of its
// own to open.
type kiosk struct {
	*kiosktest.Kiosk
	portal *portal
	log    *os.File // the kiosk's stderr, kiosk.log in its directory
}

// newKiosk starts its portal and writes a config for bin; Start runs it.
func newKiosk(bin string) (*kiosk, error) {
	p := &portal{Portal: kiosktest.StartPortal()}
	p.Mux.HandleFunc("/start", p.start)
	k, err := kiosktest.New(bin, "carekiosk-bench-", kiosktest.Config{
		StartURL: p.URL("/start"), LogoutURL: p.URL("/logout"), Certificate: p.Certificate(),
		IdleTimeout: "10m", IdleWarning: "1m", MaxDuration: "20m", MaxWarning: "2m", PrivacyTimeout: "60s",
		OnScreenKeyboard: "auto", // the default
	})
	if err != nil {
		p.Close()
		return nil, err
	}
	log, err := os.OpenFile(filepath.Join(k.Dir, "kiosk.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		p.Close()
		k.Close()
		return nil, err
	}
	// Every 2 ms: the figures come from screen_at, not from the polling.
	k.Stderr, k.Poll, k.Display = log, 2*time.Millisecond, screen
	return &kiosk{Kiosk: k, portal: p, log: log}, nil
}

// close stops the portal and removes everything of the kiosk (after Stop); with BENCH_DEBUG set
// it keeps the kiosk's directory.
func (k *kiosk) close() {
	k.portal.Close()
	k.log.Close()
	if os.Getenv("BENCH_DEBUG") != "" {
		progress("kept %s", k.Dir)
		return
	}
	k.Close()
}

// at turns a status's screen_at into a time.
func at(us int64) time.Time { return time.UnixMicro(us) }
