package supervisor

import (
	"bytes"
	"github.com/carekiosk/carekiosk/session"
	"sync"
	"testing"
	"time"
)

// fakeHours is a schedule a test opens and closes at will.
type fakeHours struct {
	mu     sync.Mutex
	open   bool
	closes time.Time
	opens  time.Time
}

func (f *fakeHours) set(open bool, closes time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.open, f.closes = open, closes
}

func (f *fakeHours) Open(time.Time) bool { f.mu.Lock(); defer f.mu.Unlock(); return f.open }
func (f *fakeHours) Closes(time.Time) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.open {
		return time.Time{}
	}
	return f.closes
}
func (f *fakeHours) Opens(time.Time) time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.opens }

func TestManagerClosedStartsNoSession(t *testing.T) {
	fh := &fakeHours{}
	h := newHarnessWith(t, "ok", nil, func(o *Options) { o.Hours = fh })
	s := h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "welcome" })
	if !s.Closed {
		t.Errorf("status %+v, want closed", s)
	}
	h.g.Card()
	if s := h.g.Status(); s.State != session.Welcome || s.SessionsTotal != 0 {
		t.Errorf("a card while closed: %+v, want no session", s)
	}
	fh.set(true, time.Time{})
	h.g.Card()
	h.waitFor("a session once open", func(s session.Status) bool { return s.State == session.Active && !s.Closed })
}

// TestManagerClosingTime: a session under way at closing time gets the time-limit warning at
// once (closing is less than max_warning away) and ends as closing-time.
func TestManagerClosingTime(t *testing.T) {
	fh := &fakeHours{}
	fh.set(true, time.Now().Add(2*time.Second))
	h := newHarnessWith(t, "ok", nil, func(o *Options) { o.Hours = fh })
	h.waitFor("welcome", func(s session.Status) bool { return s.State == session.Welcome })
	h.g.Card()
	h.waitFor("the time-limit warning", func(s session.Status) bool { return s.State == session.Warning })
	fh.set(false, time.Time{})
	s := h.waitFor("the end", func(s session.Status) bool { return s.LastEndReason != "" })
	if s.LastEndReason != session.ClosingTime || !s.LastWipeVerified {
		t.Errorf("status %+v, want closing-time, verified", s)
	}
	if !bytes.Contains(h.audit.Bytes(), []byte(`"reason":"closing-time"`)) {
		t.Errorf("audit %q, want a closing-time line", h.audit.Bytes())
	}
}
