package session

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/hours"
	"github.com/carekiosk/carekiosk/ui"
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
	s := h.waitFor("welcome", func(s Status) bool { return s.State == Welcome && s.Screen == "welcome" })
	if !s.Closed {
		t.Errorf("status %+v, want closed", s)
	}
	h.g.Card()
	if s := h.g.Status(); s.State != Welcome || s.SessionsTotal != 0 {
		t.Errorf("a card while closed: %+v, want no session", s)
	}
	fh.set(true, time.Time{})
	h.g.Card()
	h.waitFor("a session once open", func(s Status) bool { return s.State == Active && !s.Closed })
}

// TestManagerClosingTime: a session under way at closing time gets the time-limit warning at
// once (closing is less than max_warning away) and ends as closing-time.
func TestManagerClosingTime(t *testing.T) {
	fh := &fakeHours{}
	fh.set(true, time.Now().Add(2*time.Second))
	h := newHarnessWith(t, "ok", nil, func(o *Options) { o.Hours = fh })
	h.waitFor("welcome", func(s Status) bool { return s.State == Welcome })
	h.g.Card()
	h.waitFor("the time-limit warning", func(s Status) bool { return s.State == Warning })
	fh.set(false, time.Time{})
	s := h.waitFor("the end", func(s Status) bool { return s.LastEndReason != "" })
	if s.LastEndReason != ClosingTime || !s.LastWipeVerified {
		t.Errorf("status %+v, want closing-time, verified", s)
	}
	if !bytes.Contains(h.audit.Bytes(), []byte(`"reason":"closing-time"`)) {
		t.Errorf("audit %q, want a closing-time line", h.audit.Bytes())
	}
}

// TestWelcomeSaysWhenItOpens renders the welcome screen of a closed kiosk with a real schedule.
func TestWelcomeSaysWhenItOpens(t *testing.T) {
	r, err := ui.New("en")
	if err != nil {
		t.Fatal(err)
	}
	var days [7][]hours.Span
	for i := range days {
		days[i], _ = hours.ParseDay("08:00-18:30")
	}
	days[time.Sunday] = []hours.Span{}
	sched, err := hours.New(days, []string{"2026-12-25"}, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	local := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, time.Local)
	}
	for _, tc := range []struct {
		now  time.Time
		want string
		next time.Time // when the text must change
	}{
		{local(2026, 11, 23, 7, 0), "It opens today at 08:00.", local(2026, 11, 23, 8, 0)},
		{local(2026, 11, 23, 19, 0), "It opens tomorrow at 08:00.", local(2026, 11, 24, 0, 0)},
		{local(2026, 11, 28, 19, 0), "It opens on Monday at 08:00.", local(2026, 11, 29, 0, 0)},
		{local(2026, 12, 24, 19, 0), "It opens on Saturday at 08:00.", local(2026, 12, 25, 0, 0)},
		{local(2026, 11, 23, 12, 0), "Touch your card to begin", local(2026, 11, 23, 18, 30)},
	} {
		g := NewManager(Options{UI: r, Hours: sched, Now: func() time.Time { return tc.now }})
		v := ui.Welcome{Dev: false, ReaderOK: true}
		g.hoursView(&v)
		u, err := r.Screen(v, "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(u.HTML, tc.want) {
			t.Errorf("at %s: welcome screen\n%s\nwant %q", tc.now, u.HTML, tc.want)
		}
		if !g.hoursAt.Equal(tc.next) {
			t.Errorf("at %s: redraw at %s, want %s", tc.now, g.hoursAt, tc.next)
		}
	}
}
