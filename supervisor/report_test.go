package supervisor

import (
	"github.com/carekiosk/carekiosk/session"
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
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome })
	h.g.Card()
	h.waitFor("active", func(s session.Status) bool { return s.State == session.Active })
	h.g.Card() // during a session: ignored
	h.g.EndSession(session.Technician)
	h.waitFor("the end", func(s session.Status) bool { return s.LastEndReason != "" })
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

// TestManagerHeartbeat: the loop beats on its ticker and when the screen changes.
func TestManagerHeartbeat(t *testing.T) {
	beats := make(chan session.Status, 100)
	h := newHarnessWith(t, "ok", nil, func(o *Options) {
		o.HeartbeatEvery = 20 * time.Millisecond
		o.Heartbeat = func(s session.Status) {
			select {
			case beats <- s:
			default:
			}
		}
	})
	h.waitFor("welcome", func(s session.Status) bool { return s.Screen == "welcome" })
	deadline := time.After(10 * time.Second)
	n, welcome := 0, false
	for n < 5 || !welcome {
		select {
		case s := <-beats:
			n++
			welcome = welcome || s.Screen == "welcome"
		case <-deadline:
			t.Fatalf("%d heartbeats, welcome seen %t; want at least 5 and the welcome screen", n, welcome)
		}
	}
}
