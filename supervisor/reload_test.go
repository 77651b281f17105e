package supervisor

import (
	"github.com/carekiosk/carekiosk/session"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestManagerReloadAppliesFromNextSession: settings reloaded during a session leave it alone
// and apply to the next one; new allowed hosts replace the browser waiting on the welcome screen.
func TestManagerReloadAppliesFromNextSession(t *testing.T) {
	h := newHarnessWith(t, "ok", nil, func(o *Options) {
		o.Init.AllowedHosts = []string{"records.example.org"}
		o.EndedFor = 200 * time.Millisecond
	})
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome })
	h.g.Card()
	s := h.waitFor("the portal", func(s session.Status) bool { return s.URL == "https://records.example.org/" })
	first := s.SessionID

	next := session.Settings{
		Timeouts: session.Timeouts{Idle: time.Hour, IdleWarning: time.Minute, Max: 2 * time.Hour, MaxWarning: time.Minute, Privacy: time.Hour},
		StartURL: "https://other.example.org/start",
	}
	next.Init.AllowedHosts = []string{"other.example.org"}
	h.g.Reload(next)
	if s := h.g.Status(); s.SessionID != first || s.State != session.Active || s.URL != "https://records.example.org/" {
		t.Fatalf("after a reload during a session: %+v, want the same session on the old page", s)
	}

	h.g.EndSession(session.UserEnded)
	// The browser warmed up during the last session was told the old hosts: a third one,
	// told the new hosts, takes over the welcome screen.
	h.waitFor("a fresh browser on the welcome screen", func(s session.Status) bool {
		entries, _ := os.ReadDir(filepath.Join(h.dir, "sessions")) // the old one wiped
		return s.State == session.Welcome && s.LastEndReason == session.UserEnded && s.ShellsStarted == 3 && s.Screen == "welcome" && len(entries) == 1
	})
	h.g.Card()
	s = h.waitFor("the new portal", func(s session.Status) bool { return s.URL == "https://other.example.org/start" || s.Refused > 0 })
	if s.Refused > 0 || s.SessionID == first {
		t.Errorf("second session %+v: want the new start page allowed, in a new session", s)
	}
}

// TestManagerReloadAtWelcome: with no session under way, the settings apply at once.
func TestManagerReloadAtWelcome(t *testing.T) {
	fh := &fakeHours{}
	h := newHarness(t, "ok")
	s := h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "welcome" })
	pid := s.ShellPID
	h.g.Reload(session.Settings{
		Timeouts: session.Timeouts{Idle: time.Hour, IdleWarning: time.Minute, Max: 2 * time.Hour, MaxWarning: time.Minute, Privacy: time.Hour},
		StartURL: "https://records.example.org/", Hours: fh,
	})
	if s := h.g.Status(); !s.Closed || s.ShellPID != pid {
		t.Errorf("after reloading opening hours: %+v, want closed, the same browser (hosts unchanged)", s)
	}
	h.g.Card()
	if s := h.g.Status(); s.SessionsTotal != 0 {
		t.Errorf("a card after reloading closed hours started a session: %+v", s)
	}
}
