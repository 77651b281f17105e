package hardware

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// EM4100 card IDs the tests send, with their XOR checksums: 0F^00^A1^B2^C3 = DF, and
// 01^23^45^67^89 = 89.
const (
	emID     = "0F00A1B2C3"
	emFrame  = "\x02" + emID + "DF\x03"
	emID2    = "0123456789"
	emFrame2 = "\x02" + emID2 + "89\x03"
	emBadSum = "\x02" + emID + "D0\x03"
)

// clock is a manual clock for decoders.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock                   { return &clock{t: time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC)} }
func emGap(ms int) string                { return "\x00wait" + time.Duration(ms*int(time.Millisecond)).String() }
func parseGap(s string) (time.Duration, bool) {
	d, err := time.ParseDuration(strings.TrimPrefix(s, "\x00wait"))
	return d, err == nil && strings.HasPrefix(s, "\x00wait")
}

func mustEM4100Decoder(t testing.TB, o Options) (*em4100Decoder, *clock) {
	t.Helper()
	dec, err := newEM4100Decoder(o)
	if err != nil {
		t.Fatal(err)
	}
	d, c := dec.(*em4100Decoder), newClock()
	d.now = c.now
	return d, c
}

// emGot renders frames: a card as its number, a removal as "-" and its number, else its detail
// in brackets.
func emGot(frames []frame) []string {
	var out []string
	for _, f := range frames {
		switch {
		case f.removed:
			out = append(out, "-"+string(f.number))
		case f.number != nil:
			out = append(out, string(f.number))
		default:
			out = append(out, "["+f.detail+"]")
		}
	}
	return out
}

func TestEM4100Decoder(t *testing.T) {
	many := strings.Repeat(emFrame, 20)
	tests := []struct {
		name  string
		steps []string // bytes to Feed; emGap(ms) advances the clock that long, then calls Idle
		want  []string
	}{
		{"one frame", []string{emFrame}, []string{emID}},
		{"lower case hex", []string{"\x02" + strings.ToLower(emID) + "df\x03"}, []string{emID}},
		{"repeats are one card", []string{many, emGap(100), many, emGap(100), emFrame}, []string{emID}},
		{"byte by byte", strings.Split(emFrame, ""), []string{emID}},
		{"noise between frames", []string{"\xff\x00junk\r\n" + emFrame + "\x03\x03zz"}, []string{emID}},
		{"resync on a new STX", []string{"\x020F00\x02" + emID2 + "89\x03"}, []string{emID2}},
		{"not hex", []string{"\x020F00G1B2C3DF\x03" + emFrame2}, []string{emID2}},
		{"no ETX", []string{"\x02" + emID + "DF\x02" + emID2 + "89\x03"}, []string{emID2}},
		{"too long", []string{"\x02" + emID + "DF0\x03"}, nil},
		{"cut by silence", []string{emFrame[:8], emGap(100), emFrame[8:]}, nil},
		{"checksum failure", []string{emBadSum, emFrame}, []string{"[checksum failure (1 since the reader connected)]", emID}},
		{"checksum failures reported once per gap", []string{emBadSum + emBadSum, emGap(200), emBadSum, emGap(300), emBadSum},
			[]string{"[checksum failure (1 since the reader connected)]", "[checksum failure (4 since the reader connected)]"}},
		{"checksum failures while present are counted only", []string{emFrame + emBadSum + emFrame}, []string{emID}},
		{"removed after the gap", []string{emFrame, emGap(400), emGap(99)}, []string{emID}},
		{"removed at the gap", []string{emFrame, emGap(400), emGap(100)}, []string{emID, "-" + emID}},
		{"kept while frames come", []string{emFrame, emGap(300), emFrame, emGap(300), emFrame, emGap(300)}, []string{emID}},
		{"present again", []string{emFrame, emGap(500), emFrame}, []string{emID, "-" + emID, emID}},
		{"removed by Feed when noise hides the silence", []string{emFrame, "x", emGap(0), "x", emGap(0)}, []string{emID}},
		{"another card", []string{emFrame + emFrame + emFrame2 + emFrame2, emGap(500)}, []string{emID, "-" + emID, emID2, "-" + emID2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, c := mustEM4100Decoder(t, Options{})
			var all []string
			for _, s := range tc.steps {
				if gap, ok := parseGap(s); ok {
					c.advance(gap)
					all = append(all, emGot(d.Idle())...)
					continue
				}
				all = append(all, emGot(d.Feed([]byte(s)))...)
			}
			if strings.Join(all, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", all, tc.want)
			}
		})
	}
}

func TestEM4100DecoderRemovedByFeed(t *testing.T) {
	d, c := mustEM4100Decoder(t, Options{RemovalGap: time.Second})
	d.Feed([]byte(emFrame))
	for range 9 { // noise every 100ms: the reader never sees silence, so never calls Idle
		c.advance(100 * time.Millisecond)
		if f := d.Feed([]byte("noise")); len(f) != 0 {
			t.Fatalf("before the gap: got %q", emGot(f))
		}
	}
	c.advance(100 * time.Millisecond)
	if g := emGot(d.Feed([]byte("noise" + emFrame))); strings.Join(g, "|") != "-"+emID+"|"+emID {
		t.Errorf("after the gap: got %q, want the removal, then the card again", g)
	}
}

func TestEM4100DecoderForgets(t *testing.T) {
	d, c := mustEM4100Decoder(t, Options{})
	d.Feed([]byte(emFrame + emFrame[:5])) // a frame, and the start of the next
	if bytes.Contains(d.buf[:], []byte("A1B2")) {
		t.Errorf("the frame buffer holds a past frame")
	}
	c.advance(time.Second)
	d.Idle()
	if bytes.Contains(d.id[:], []byte("0F00")) || bytes.Contains(d.buf[:], []byte("0F00")) {
		t.Errorf("the decoder holds the number of a removed card")
	}
}

func TestEM4100DecoderAllocations(t *testing.T) {
	d, _ := mustEM4100Decoder(t, Options{})
	d.Feed([]byte(emFrame))
	for name, p := range map[string]string{
		"noise":                     strings.Repeat("x", 1000),
		"STX and hex":               strings.Repeat("\x020F00A1B2C3", 100),
		"the present card's frames": strings.Repeat(emFrame, 70),
	} {
		b := []byte(p)
		if n := testing.AllocsPerRun(100, func() { d.Feed(b) }); n != 0 {
			t.Errorf("%s allocates %v times per Feed, want 0", name, n)
		}
	}
}

func FuzzEM4100Decoder(f *testing.F) {
	f.Add([]byte(emFrame), uint8(0), uint8(0))
	f.Add([]byte(strings.Repeat(emFrame, 5)+emFrame2), uint8(3), uint8(50))
	f.Add([]byte(emBadSum+emFrame+emBadSum), uint8(14), uint8(200))
	f.Add([]byte("\xff\x02\x020F00\x03"+emFrame), uint8(1), uint8(255))
	f.Add([]byte("\x02"+strings.ToLower(emID)+"df\x03"), uint8(7), uint8(120))
	f.Add([]byte{}, uint8(0), uint8(0))
	card := regexp.MustCompile(`^[0-9A-F]{10}$`)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, step uint8) {
		d, c := mustEM4100Decoder(t, Options{})
		present := false
		// A Feed gives at most a removal by the gap, then a removal and a card per ETX.
		check := func(frames []frame, etx int) {
			if most := 2*etx + 1; len(frames) > most {
				t.Fatalf("%d frames from %d ETX, want at most %d", len(frames), etx, most)
			}
			for _, f := range frames {
				switch {
				case f.removed:
					if !present || !card.Match(f.number) {
						t.Fatalf("removal %q with present = %v", f.number, present)
					}
					present = false
				case f.number != nil:
					if present || !card.Match(f.number) || f.size != em4100Frame {
						t.Fatalf("card %q with present = %v", f.number, present)
					}
					present = true
				case !strings.HasPrefix(f.detail, "checksum failure (") || present:
					t.Fatalf("unreadable %q with present = %v", f.detail, present)
				}
			}
			if d.n > len(d.buf) || d.present != present {
				t.Fatalf("state: n %d, present %v (want %v)", d.n, d.present, present)
			}
		}
		size := int(chunk)%17 + 1
		for p := data; len(p) > 0; {
			n := min(size, len(p))
			check(d.Feed(p[:n]), bytes.Count(p[:n], []byte{emETX}))
			p = p[n:]
			c.advance(time.Duration(step) * time.Millisecond)
		}
		c.advance(DefaultRemovalGap)
		check(d.Idle(), 0)
		if d.present || d.n != -1 || d.id != [10]byte{} || d.buf != [12]byte{} {
			t.Fatalf("after the gap: present %v, n %d, id %q", d.present, d.n, d.id)
		}
	})
}

func BenchmarkEM4100Decoder(b *testing.B) {
	for _, bc := range []struct{ name, data string }{
		{"present card", strings.Repeat(emFrame, 32)},
		{"noise", strings.Repeat("hello kiosk, not a card", 16)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d, _ := mustEM4100Decoder(b, Options{})
			data := []byte(bc.data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				d.Feed(data)
			}
		})
	}
}

// startEM4100 runs a Reader of the em4100 protocol with a short removal gap on a new pty.
func startEM4100(t *testing.T, gap time.Duration, setup ...func(*Reader)) (*device, *run) {
	t.Helper()
	dev := newDevice(t)
	dev.plug()
	rn := start(t, Options{Device: dev.path, Protocol: "em4100", RemovalGap: gap}, setup...)
	rn.expect(Connected)
	return dev, rn
}

// expectRemoved takes the next event and checks that it is the removal of the card number.
func (rn *run) expectRemoved(number string) {
	rn.t.Helper()
	ev := rn.expect(Removed)
	if want := NewKeyer(testSecret).identify([]byte(number)); ev.Card != want {
		rn.t.Fatalf("got the removal of %s, want %s", ev.Card.Short(), want.Short())
	}
}

func TestReaderEM4100(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   []string // card numbers, "-" and a number for a removal, "?" for unreadable
	}{
		{name: "one frame", writes: []string{emFrame}, want: []string{emID, "-" + emID}},
		{name: "many frames are one card", writes: []string{strings.Repeat(emFrame, 30), emFrame, emFrame},
			want: []string{emID, "-" + emID}},
		{name: "split frames", writes: []string{"\x02", "0F00A", "1B2C3D", "F", "\x03"}, want: []string{emID, "-" + emID}},
		{name: "noise", writes: []string{"\xff\x00junk\r\n", emFrame, "\x03\x03\x02zz", emFrame}, want: []string{emID, "-" + emID}},
		{name: "checksum failure", writes: []string{emBadSum}, want: []string{"?"}},
		{name: "checksum failure, then the card", writes: []string{emBadSum, emFrame}, want: []string{"?", emID, "-" + emID}},
		{name: "another card", writes: []string{emFrame + emFrame + emFrame2 + emFrame2},
			want: []string{emID, "-" + emID, emID2, "-" + emID2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dev, rn := startEM4100(t, 150*time.Millisecond)
			dev.send(tc.writes...)
			for _, w := range tc.want {
				switch {
				case w == "?":
					if ev := rn.expect(Unreadable); !strings.HasPrefix(ev.Detail, "checksum failure") {
						t.Errorf("got detail %q, want a checksum failure", ev.Detail)
					}
				case strings.HasPrefix(w, "-"):
					rn.expectRemoved(w[1:])
				default:
					rn.expectCard(w)
				}
			}
			// A card after the writes shows that nothing else came out of them.
			dev.send(emFrame2)
			rn.expectCard(emID2)
			rn.expectRemoved(emID2)
		})
	}
}

// TestReaderEM4100Presence keeps a card on the reader, as a module does: a frame every 50ms.
func TestReaderEM4100Presence(t *testing.T) {
	dev, rn := startEM4100(t, 300*time.Millisecond)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	dev.send(emFrame)
	rn.expectCard(emID)
	for range 16 { // 800ms on the reader, more than twice the gap
		<-tick.C
		dev.send(emFrame)
		select {
		case ev := <-rn.events:
			t.Fatalf("got %v while the card lies on the reader", ev.Kind)
		default:
		}
	}
	rn.expectRemoved(emID) // once the frames stop
	dev.send(emFrame2)     // a second card
	rn.expectCard(emID2)
	rn.expectRemoved(emID2)
	dev.send(emFrame) // and the first again
	rn.expectCard(emID)
	rn.expectRemoved(emID)
}

func TestReaderEM4100Endless(t *testing.T) {
	var d *em4100Decoder
	dev, rn := startEM4100(t, 150*time.Millisecond, func(r *Reader) {
		newDecoder := r.decoder
		r.decoder = func(o Options) (decoder, error) {
			dec, err := newDecoder(o)
			d = dec.(*em4100Decoder) // written by Run's goroutine: read only after it returns
			return dec, err
		}
	})
	// The pty blocks the writer while the Reader catches up, so write from another goroutine.
	garbage := bytes.Repeat([]byte("\x020F00A1B2C3DF0F00A1\xff"), 5<<10) // 100 KB of frames that never end
	wrote := make(chan error, 1)
	go func() {
		_, err := dev.master.Write(append(garbage, emFrame...))
		wrote <- err
	}()
	rn.expectCard(emID)
	rn.expectRemoved(emID)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	rn.stop()
	if cap(d.out) > 2 {
		t.Errorf("decoder output capacity %d after 100 KB, want at most 2", cap(d.out))
	}
}
