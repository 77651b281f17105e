package demo

import (
	"testing"
	"time"
)

func TestSessionLifetime(t *testing.T) {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	s := newSessions(func() time.Time { return now })
	idle, err := s.add("sam", idleLifetime)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := s.add("kim", rememberLifetime)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name      string
		advance   time.Duration
		id        string
		wantOK    bool
		wantCount int
	}{
		{"used after 29 minutes", 29 * time.Minute, idle, true, 2},
		{"use extends it", 29 * time.Minute, idle, true, 2},
		{"idle 30 minutes", 30 * time.Minute, idle, false, 1},
		{"remembered after a week", 7 * 24 * time.Hour, kept, true, 1},
		{"remembered idle 30 days", 30 * 24 * time.Hour, kept, false, 0},
	}
	for _, st := range steps {
		now = now.Add(st.advance)
		if _, ok := s.get(st.id); ok != st.wantOK {
			t.Errorf("%s: get ok=%v, want %v", st.name, ok, st.wantOK)
		}
		if got := s.count(); got != st.wantCount {
			t.Errorf("%s: count=%d, want %d", st.name, got, st.wantCount)
		}
	}
	if _, ok := s.get("never-issued"); ok {
		t.Error("unknown id: got ok")
	}
}
