package access

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestGate(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	g := NewGate(Policy{
		Allowlist:   map[string]bool{"ok": true},
		Technicians: map[string]bool{"tech": true},
		MaxRefusals: 3, Window: time.Minute, Cooldown: 2 * time.Minute,
	})
	steps := []struct {
		id     string
		at     time.Duration
		want   Verdict
		pauses bool
	}{
		{"ok", 0, Session, false},
		{"tech", 0, Technician, false},
		{"x", 1 * time.Second, Refused, false},
		{"x", 2 * time.Second, Refused, false},
		{"x", 70 * time.Second, Refused, false}, // the first two are out of the window
		{"y", 71 * time.Second, Refused, false},
		{"z", 72 * time.Second, Refused, true}, // three within a minute: paused until 3m12s
		{"ok", 80 * time.Second, Paused, false},
		{"x", 90 * time.Second, Paused, false},
		{"tech", 100 * time.Second, Technician, false},
		{"ok", 192 * time.Second, Session, false}, // the pause is over
		{"x", 193 * time.Second, Refused, false},  // counting afresh
	}
	for i, s := range steps {
		v, until := g.Decide(s.id, at(s.at))
		if v != s.want || !until.IsZero() != s.pauses {
			t.Errorf("step %d (%s at %v): got %v, paused until %v; want %v, pauses %t", i, s.id, s.at, v, until, s.want, s.pauses)
		}
	}
	if got := g.PausedUntil(); !got.Equal(at(192 * time.Second)) {
		t.Errorf("PausedUntil %v", got)
	}
}

func TestGateAnyCard(t *testing.T) {
	g := NewGate(Policy{})
	if v, _ := g.Decide("anything", time.Now()); v != Session {
		t.Errorf("mode any: got %v", v)
	}
}

// TestGateRefuseAndBlock: refusals decided elsewhere count toward the pause; a blocked card is
// refused, and counted, until its cooldown ends, while other cards still start sessions.
func TestGateRefuseAndBlock(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	g := NewGate(Policy{Technicians: map[string]bool{"tech": true}, MaxRefusals: 3, Window: time.Minute, Cooldown: 2 * time.Minute})
	if until := g.Block("a", t0); !until.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("Block until %v", until)
	}
	if v, until := g.Decide("a", t0.Add(time.Second)); v != Refused || !until.IsZero() {
		t.Errorf("a blocked card: %v, %v", v, until)
	}
	if v, _ := g.Decide("b", t0.Add(2*time.Second)); v != Session {
		t.Errorf("another card: %v", v)
	}
	if until := g.Refuse(t0.Add(3 * time.Second)); !until.IsZero() {
		t.Error("the second refusal paused the reader")
	}
	if until := g.Refuse(t0.Add(4 * time.Second)); until.IsZero() {
		t.Error("the third refusal within the window did not pause the reader")
	}
	if v, _ := g.Decide("a", t0.Add(3*time.Minute)); v != Session {
		t.Errorf("after the pause and the block: %v", v)
	}
}

func TestAuditRefusal(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	b := AuditRefusal(now, now.Add(2*time.Minute), NotEnrolled)
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || m["event"] != "card-refused" || m["paused_until"] != "2026-03-01T10:02:00Z" || !bytes.HasSuffix(b, []byte("\n")) {
		t.Errorf("audit line %q (%v)", b, err)
	}
}
