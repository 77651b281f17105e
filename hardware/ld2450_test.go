package hardware

import (
	"bytes"
	"context"
	"reflect"
	"sync"
	"testing"
	"time"
)

// The example frame of the LD2450 manual: one target at x = −782mm, y = 1713mm, speed −16cm/s,
// resolution 320mm.
var ld2450Example = []byte{0xAA, 0xFF, 0x03, 0x00, 0x0E, 0x03, 0xB1, 0x86, 0x10, 0x00, 0x40, 0x01,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x55, 0xCC}

func twoPeople() Report {
	return Report{N: 2, Targets: [3]Target{{X: -120, Y: 600, Speed: 0, Resolution: 320}, {X: 900, Y: 2100, Speed: 35, Resolution: 320}}}
}

func TestLD2450Decoder(t *testing.T) {
	example := Report{N: 1, Targets: [3]Target{{X: -782, Y: 1713, Speed: -16, Resolution: 320}}}
	two := LD2450Frame(twoPeople())
	ack := []byte{0xFD, 0xFC, 0xFB, 0xFA, 0x04, 0x00, 0xFF, 0x01, 0x00, 0x00, 0x04, 0x03, 0x02, 0x01}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name   string
		writes [][]byte
		want   []Report
		bad    int
	}{
		{"manual example", [][]byte{ld2450Example}, []Report{example}, 0},
		{"empty report", [][]byte{LD2450Frame(Report{})}, []Report{{}}, 0},
		{"split across reads", [][]byte{two[:3], two[3:17], two[17:29], two[29:]}, []Report{twoPeople()}, 0},
		{"byte at a time", splitBytes(cat(two, ld2450Example)), []Report{twoPeople(), example}, 0},
		{"noise and a config ack between", [][]byte{cat([]byte("\x00\xAA\xFF\x01junk"), two, ack, ld2450Example)}, []Report{twoPeople(), example}, 0},
		{"wrong tail, resync on the header inside", [][]byte{cat(two[:20], two, []byte{0x55, 0x00})}, []Report{twoPeople()}, 1},
		{"repeated header bytes", [][]byte{cat([]byte{0xAA, 0xAA, 0xFF, 0xAA}, ld2450Example)}, []Report{example}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var d LD2450Decoder
			var got []Report
			for _, w := range tc.writes {
				got = append(got, d.Feed(w)...)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if d.Bad() != tc.bad {
				t.Errorf("bad frames %d, want %d", d.Bad(), tc.bad)
			}
		})
	}
}

func TestSignMagnitude(t *testing.T) {
	for _, tc := range []struct {
		raw  uint16
		want int
	}{{0x8000, 0}, {0x8001, 1}, {0xFFFF, 32767}, {0x0001, -1}, {0x0310, -784}, {0x7FFF, -32767}} {
		if got := signMag([]byte{byte(tc.raw), byte(tc.raw >> 8)}); got != tc.want {
			t.Errorf("signMag(%#04x) = %d, want %d", tc.raw, got, tc.want)
		}
		if tc.want != 0 && toSignMag(tc.want) != tc.raw {
			t.Errorf("toSignMag(%d) = %#04x, want %#04x", tc.want, toSignMag(tc.want), tc.raw)
		}
	}
}

func splitBytes(b []byte) [][]byte {
	var out [][]byte
	for i := range b {
		out = append(out, b[i:i+1])
	}
	return out
}

func FuzzLD2450Decoder(f *testing.F) {
	f.Add(ld2450Example, uint8(0))
	f.Add(append(LD2450Frame(twoPeople()), ld2450Example...), uint8(7))
	f.Add([]byte{0xAA, 0xFF, 0x03, 0x00, 0xAA, 0xFF, 0x03, 0x00, 0x55, 0xCC}, uint8(3))
	f.Add(bytes.Repeat([]byte{0xAA}, 100), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		var d LD2450Decoder
		n := 0
		for len(data) > 0 {
			k := min(len(data), int(chunk)+1)
			for _, r := range d.Feed(data[:k]) {
				n++
				if r.N < 0 || r.N > 3 {
					t.Fatalf("report with %d targets", r.N)
				}
				// Every report re-encodes to a frame that decodes to itself.
				var again LD2450Decoder
				if got := again.Feed(LD2450Frame(r)); len(got) != 1 || got[0] != r {
					t.Fatalf("report %+v re-encodes to %+v", r, got)
				}
			}
			data = data[k:]
		}
		if d.n < 0 || d.n >= ld2450Frame {
			t.Fatalf("buffer index %d", d.n)
		}
	})
}

func BenchmarkLD2450Decoder(b *testing.B) {
	frame := LD2450Frame(twoPeople())
	for _, bc := range []struct {
		name string
		data []byte
	}{
		{"reports", bytes.Repeat(frame, 32)},
		{"noise", bytes.Repeat([]byte("\xAA\xFFnot a report "), 32)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var d LD2450Decoder
			b.SetBytes(int64(len(bc.data)))
			b.ReportAllocs()
			for b.Loop() {
				d.Feed(bc.data)
			}
		})
	}
}

// sensorRun is a Sensor running for one test, with what it reported.
type sensorRun struct {
	mu      sync.Mutex
	reports []Report
	gone    int
}

func (s *sensorRun) count() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reports), s.gone
}

// TestSensorThroughPty: the sensor opens at its factory 256000 baud (not a termios constant),
// decodes reports sent through a pty, says when it goes (unplug) and picks up again when it
// comes back.
func TestSensorThroughPty(t *testing.T) {
	d := newDevice(t)
	d.plug()
	s, err := NewSensor(SensorOptions{Device: d.path, Retry: 10 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var sr sensorRun
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, func(r Report) { sr.mu.Lock(); sr.reports = append(sr.reports, r); sr.mu.Unlock() },
			func() { sr.mu.Lock(); sr.gone++; sr.mu.Unlock() })
	}()
	t.Cleanup(func() { cancel(); <-done })

	waitUntil(t, "the sensor open", func() bool { return s.State() != d.path+" — not yet opened" })
	if baud, err := portBaud(d.path); err != nil || baud != 256000 {
		t.Errorf("port rate %d (%v), want 256000", baud, err)
	}
	frame := LD2450Frame(twoPeople())
	d.send(string(frame[:11]), string(frame[11:])+"noise", string(ld2450Example))
	waitUntil(t, "two reports", func() bool { n, _ := sr.count(); return n >= 2 })
	sr.mu.Lock()
	first := sr.reports[0]
	sr.mu.Unlock()
	if got := first; got != twoPeople() {
		t.Errorf("first report %+v", got)
	}
	if st := s.State(); st != d.path+" — reporting" {
		t.Errorf("state %q", st)
	}

	d.unplug()
	waitUntil(t, "the sensor gone", func() bool { _, g := sr.count(); return g >= 1 })
	d.plug()
	waitUntil(t, "reopened", func() bool { return s.State() == d.path+" — open at 256000 baud, waiting for reports" })
	d.send(string(frame))
	waitUntil(t, "a report after replug", func() bool { n, _ := sr.count(); return n >= 3 })
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("waiting for %s", what)
}

func TestCustomBaudOnPty(t *testing.T) {
	d := newDevice(t)
	d.plug()
	p, err := openPort(d.path, 256000)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if baud, err := portBaud(d.path); err != nil || baud != 256000 {
		t.Errorf("rate %d (%v), want 256000", baud, err)
	}
}
