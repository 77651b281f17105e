package main

import (
	"os"
	"time"

	"github.com/carekiosk/carekiosk/internal/kiosktest"
)

// kiosk is the carekiosk of the bench and the soak (package kiosktest), with the portal it
// opens.
type kiosk struct {
	*kiosktest.Kiosk
	portal *portal
}

// newKiosk writes a config for bin and p; Start runs it.
func newKiosk(bin string, p *portal) (*kiosk, error) {
	k, err := kiosktest.New(bin, "carekiosk-bench-", kiosktest.Config{
		StartURL: p.URL("/start"), LogoutURL: p.URL("/logout"), Certificate: p.Certificate(),
		IdleTimeout: "10m", IdleWarning: "1m", MaxDuration: "20m", MaxWarning: "2m", PrivacyTimeout: "60s",
		OnScreenKeyboard: "auto",
	})
	if err != nil {
		return nil, err
	}
	// Every 2 ms: the figures come from screen_at, not from the polling.
	k.Poll, k.Display = 2*time.Millisecond, screen
	return &kiosk{Kiosk: k, portal: p}, nil
}

// close removes everything of the kiosk (after Stop); with BENCH_DEBUG set it keeps it.
func (k *kiosk) close() {
	if os.Getenv("BENCH_DEBUG") != "" {
		progress("kept %s", k.Dir)
		return
	}
	k.Close()
}

// at turns a status's screen_at into a time.
func at(us int64) time.Time { return time.UnixMicro(us) }
