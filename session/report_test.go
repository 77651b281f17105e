package session

import (
	"sync"
	"testing"
	"time"
)

// countingReporter records what a manager reports.
type countingReporter struct {
	mu    sync.Mutex
	ended []string
	cards []string
	shell int
}

func (c *countingReporter) SessionEnded(reason string, lasted, wipe time.Duration, verified bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if verified && lasted > 0 && wipe > 0 {
		c.ended = append(c.ended, reason)
	}
}
func (c *countingReporter) WipeFailed() {}
func (c *countingReporter) CardRead(r string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cards = append(c.cards, r)
}
func (c *countingReporter) ShellStarted()      { c.mu.Lock(); c.shell++; c.mu.Unlock() }
func (c *countingReporter) ShellCrashed()      {}
func (c *countingReporter) NavigationRefused() {}

func TestManagerReports(t *testing.T) {
	rep := &countingReporter{}
	h := newHarnessWith(t, "ok", nil, func(o *Options) { o.Metrics = rep })
	h.waitFor("welcome", func(s Status) bool { return s.State == Welcome })
	h.g.Card()
	h.waitFor("active", func(s Status) bool { return s.State == Active })
	h.g.Card() // during a session: ignored
	h.g.EndSession(Technician)
	h.waitFor("the end", func(s Status) bool { return s.LastEndReason != "" })
	rep.mu.Lock()
	defer rep.mu.Unlock()
	if len(rep.ended) != 1 || rep.ended[0] != "technician" {
		t.Errorf("sessions ended %v, want one verified technician end with its durations", rep.ended)
	}
	if len(rep.cards) != 2 || rep.cards[0] != "accepted" || rep.cards[1] != "ignored" {
		t.Errorf("card reads %v, want accepted, ignored", rep.cards)
	}
	if rep.shell < 2 {
		t.Errorf("shells started %d, want at least 2 (the session's and the next)", rep.shell)
	}
}
