package hours

import (
	"testing"
	"time"
)

// FuzzParseDay: any day's text either fails or gives ordered, non-overlapping spans within the
// day, which a schedule answers about without panicking.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"08:00-18:30", "closed", "00:00-24:00", "08:00-12:30, 13:30-18:00", "22:00-02:00", "", "24:00-24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spans, err := ParseDay(s)
		if err != nil {
			return
		}
		last := 0
		for _, sp := range spans {
			if sp.Open < last || sp.Open >= sp.Close || sp.Close > 24*60 {
				t.Fatalf("ParseDay(%q) = %v: spans out of order or out of the day", s, spans)
			}
			last = sp.Close
		}
		var d [7][]Span
		for i := range d {
			d[i] = spans
		}
		sched, _ := New(d, nil, time.UTC)
		now := time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC)
		open, closes, opens := sched.Open(now), sched.Closes(now), sched.Opens(now)
		if open && !opens.IsZero() || !open && !closes.IsZero() {
			t.Fatalf("%q: open %t, closes %v, opens %v", s, open, closes, opens)
		}
		if open && !closes.IsZero() && !closes.After(now) || !opens.IsZero() && !opens.After(now) {
			t.Fatalf("%q at %v: closes %v, opens %v: not after now", s, now, closes, opens)
		}
	})
}
