package hardware

import (
	"context"
	"slices"
	"testing"
	"time"
)

// BenchmarkSwipeLatency measures, through a pty and the real Reader, the time from the last
// byte of a magnetic stripe swipe written into the pty to its Card event reaching the
// supervisor's channel: each iteration is one swipe. It reports the median and the 95th
// percentile (run it with -benchtime=100x for a steady p95; scripts/bench-hardware does).
func BenchmarkSwipeLatency(b *testing.B) {
	d := &device{t: b, path: b.TempDir() + "/carekiosk-reader"}
	d.plug()
	r, err := NewReader(Options{Device: d.path, Protocol: "magstripe", Retry: 10 * time.Millisecond}, NewKeyer(testSecret), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := make(chan Event, 16)
	go r.Run(ctx, events)
	if ev := <-events; ev.Kind != Connected {
		b.Fatalf("first event %v: %s", ev.Kind, ev.Detail)
	}
	// Two cards in turn: the decoder drops a card that repeats the last one without a pause.
	swipes := [][]byte{[]byte(track1 + track2 + "\r\n"), []byte(visaTk1 + "\r\n")}
	var lat []time.Duration
	for b.Loop() {
		if _, err := d.master.Write(swipes[len(lat)%2]); err != nil {
			b.Fatal(err)
		}
		sent := time.Now()
		select {
		case ev := <-events:
			if ev.Kind != Card {
				b.Fatalf("got %v (%s), want a card", ev.Kind, ev.Detail)
			}
			lat = append(lat, time.Since(sent))
		case <-time.After(wait):
			b.Fatal("no card event")
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(lat[(len(lat)*95+99)/100-1].Microseconds())/1000, "ms-p95")
	b.ReportMetric(float64(len(lat)), "swipes")
}
