package hardware

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unsafe"
)

// A payment-style card: the PAN is Luhn-valid, and track 1 carries a name that must never be
// kept or logged (checkClean looks for it).
const (
	magPAN  = "4000001234567899"
	track1  = "%B" + magPAN + "^SMITH/JANE^29121011000000000000?"
	track2  = ";" + magPAN + "=29121011000000000000?"
	track3  = ";011234567890123456=724724100000000000030300?"
	libTrk2 = ";" + library + "?" // a library card: track 2 only, no "=" and no expiry
	visaTk1 = "%B" + visa + "^DOE/J^2912101?"
)

// withLRC appends a track's LRC character (ISO/IEC 7811-2): the XOR of the data bits of every
// character, 6 bits on track 1, 4 on tracks 2 and 3.
func withLRC(track string) string {
	var lrc byte
	if track[0] == '%' {
		for i := range len(track) {
			lrc ^= (track[i] - 0x20) & 0x3f
		}
		return track + string(lrc+0x20)
	}
	for i := range len(track) {
		lrc ^= (track[i] - 0x30) & 0x0f
	}
	return track + string(lrc+0x30)
}

func mustMagstripeDecoder(t testing.TB, o Options) *magstripeDecoder {
	t.Helper()
	d, err := newMagstripeDecoder(o)
	if err != nil {
		t.Fatal(err)
	}
	return d.(*magstripeDecoder)
}

// idle marks a silence between feeds in a test's list.
const idle = "\x00idle"

func TestMagstripeDecoder(t *testing.T) {
	long := ";" + strings.Repeat("7", 60) + "?"
	tests := []struct {
		name  string
		opts  Options
		feeds []string // idle for an Idle call
		want  []string
	}{
		{"tracks 1 2 3, CR", Options{}, []string{track1 + track2 + track3 + "\r"}, []string{magPAN}},
		{"track 2 only, LF", Options{}, []string{track2 + "\n"}, []string{magPAN}},
		{"track 1 only, CR LF", Options{}, []string{track1 + "\r\n"}, []string{magPAN}},
		{"tracks 1 and 2, no terminator", Options{}, []string{track1 + track2, idle}, []string{magPAN}},
		{"no terminator, nothing before silence", Options{}, []string{track2}, nil},
		{"LRC after each track", Options{}, []string{withLRC(track1) + withLRC(track2) + withLRC(track3) + "\r\n"}, []string{magPAN}},
		{"LRC, no terminator", Options{}, []string{withLRC(track2), idle}, []string{magPAN}},
		{"byte by byte", Options{}, strings.Split(track1+track2+"\r\n", ""), []string{magPAN}},
		{"split at sentinels", Options{}, []string{"%", track1[1:10], track1[10:] + ";", track2[1:], "\r", "\n"}, []string{magPAN}},
		{"library card, track 2 without separator", Options{}, []string{libTrk2 + "\r"}, []string{library}},
		{"track 2 preferred", Options{}, []string{visaTk1 + track2 + "\r"}, []string{magPAN}},
		{"track 1 when track 2 is an error", Options{}, []string{track1 + ";E?\r"}, []string{magPAN}},
		{"error tracks", Options{}, []string{"%E?;E?+E?\r"},
			[]string{"[swipe of 9 bytes: the reader could not read the card; please swipe again]"}},
		{"error track 2 alone", Options{}, []string{";E?\r\n"},
			[]string{"[swipe of 3 bytes: the reader could not read the card; please swipe again]"}},
		{"error tracks, then a good swipe", Options{}, []string{"%E?;E?\r\n", track1 + track2 + "\r\n"},
			[]string{"[swipe of 6 bytes: the reader could not read the card; please swipe again]", magPAN}},
		{"noise around the tracks", Options{}, []string{"\x00\xffxx" + track2 + "zz\r"}, []string{magPAN}},
		{"noise alone", Options{}, []string{"hello\r\n"},
			[]string{"[5 bytes without a track (a track begins with %, ; or +); please swipe again]"}},
		{"blank lines", Options{}, []string{"\r\n\r\n\n\r"}, nil},
		{"resync after a cut track", Options{}, []string{";12ab" + track2 + "\r"}, []string{magPAN}},
		{"track without end sentinel", Options{}, []string{";4000001234\r"},
			[]string{"[swipe of 11 bytes: track 2 has no end sentinel; please swipe again]"}},
		{"track 2 too long", Options{}, []string{long + "\r" + track2 + "\r"},
			[]string{"[swipe of 62 bytes: track 2 is longer than 40 characters; please swipe again]", magPAN}},
		{"account number too long", Options{Pattern: `[0-9]+`}, []string{";12345678901234567890=1?\r"},
			[]string{"[swipe of 24 bytes: track 2 has an account number longer than 19 digits; please swipe again]"}},
		{"letters in track 2", Options{}, []string{";4000ABC=1?\r"},
			[]string{"[swipe of 11 bytes: track 2 has characters outside its set; please swipe again]"}},
		{"track 1 without separators", Options{}, []string{"%B4000001234567899?\r"},
			[]string{"[swipe of 19 bytes: track 1 lacks its separators; please swipe again]"}},
		{"pattern", Options{}, []string{";12345=1?\r"},
			[]string{"[swipe of 9 bytes: account number of 5 digits does not match the card pattern]"}},
		{"own pattern", Options{Pattern: `4[0-9]{15}`}, []string{libTrk2 + "\r", track2 + "\r"},
			[]string{"[swipe of 16 bytes: account number of 14 digits does not match the card pattern]", magPAN}},
		{"Luhn", Options{Luhn: true}, []string{";" + badLuhn + "=2912?\r", track2 + "\r"},
			[]string{"[swipe of 23 bytes: account number of 16 digits fails the Luhn check]", magPAN}},
		{"no Luhn check", Options{}, []string{";" + badLuhn + "?\r"}, []string{badLuhn}},
		{"two swipes, two cards", Options{}, []string{track2 + "\r\n" + libTrk2 + "\r\n"}, []string{magPAN, library}},
		{"two swipes without terminator", Options{}, []string{track1 + track2 + visaTk1, idle}, []string{magPAN, visa}},
		{"reader that ends every track", Options{}, []string{track1 + "\r", track2 + "\r"}, []string{magPAN}},
		{"track 3 alone", Options{}, []string{"+" + track3[1:20] + "?\r"},
			[]string{"[swipe of 21 bytes has neither track 1 nor track 2; please swipe again]"}},
		{"the same card after silence", Options{}, []string{track2 + "\r", idle, track2 + "\r"}, []string{magPAN, magPAN}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustMagstripeDecoder(t, tc.opts)
			var all []string
			for _, s := range tc.feeds {
				if s == idle {
					all = append(all, got(d.Idle())...)
					continue
				}
				all = append(all, got(d.Feed([]byte(s)))...)
			}
			if strings.Join(all, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", all, tc.want)
			}
		})
	}
}

// memory returns the bytes of d itself, to look for what it must not keep.
func memory(d *magstripeDecoder) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(d)), unsafe.Sizeof(*d))
}

func TestMagstripeDecoderForgets(t *testing.T) {
	d := mustMagstripeDecoder(t, Options{})
	d.Feed([]byte(track1[:30])) // in the middle of the name
	if bytes.Contains(memory(d), []byte("SMI")) {
		t.Errorf("the decoder holds part of the name on track 1")
	}
	d.Feed([]byte(track1[30:] + track2 + "\r\n"))
	if bytes.Contains(memory(d), []byte("SMITH")) {
		t.Errorf("the decoder holds the name after the swipe ended")
	}
	d.Idle() // the number is kept until silence, to drop a reader's repeat
	if bytes.Contains(memory(d), []byte("1234")) {
		t.Errorf("the decoder holds part of the number after silence")
	}
}

func TestMagstripeDecoderAllocations(t *testing.T) {
	d := mustMagstripeDecoder(t, Options{})
	for _, noise := range []string{strings.Repeat("x", 1000), ";" + strings.Repeat("7", 999), "%" + strings.Repeat("A", 999)} {
		if n := testing.AllocsPerRun(100, func() { d.Feed([]byte(noise)) }); n != 0 {
			t.Errorf("endless noise %.8q… allocates %v times per Feed, want 0", noise, n)
		}
		d.Idle()
	}
}

func FuzzMagstripeDecoder(f *testing.F) {
	f.Add([]byte(track1+track2+track3+"\r\n"), uint8(0), false)
	f.Add([]byte(withLRC(track1)+withLRC(track2)+"\r"), uint8(5), true)
	f.Add([]byte("%E?;E?+E?\n"), uint8(1), false)
	f.Add([]byte(libTrk2+"\r"+visaTk1+"\r\n"), uint8(9), true)
	f.Add([]byte(";12ab"+track2+"\x00\xff"+track1), uint8(3), false)
	f.Add([]byte(";"+strings.Repeat("9", 200)+"?\r"), uint8(16), false)
	f.Add([]byte("hello\r\n\r\n"), uint8(2), false)
	f.Add([]byte{}, uint8(0), false)
	card := regexp.MustCompile(`^[0-9]{6,19}$`)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, luhn bool) {
		d := mustMagstripeDecoder(t, Options{Luhn: luhn})
		check := func(frames []frame, most int) {
			if len(frames) > most {
				t.Fatalf("%d frames from %d bytes", len(frames), most)
			}
			for _, f := range frames {
				switch {
				case f.removed:
					t.Fatalf("a removal from a swipe")
				case f.number != nil && (!card.Match(f.number) || luhn && !luhnValid(f.number) || f.detail != ""):
					t.Fatalf("card frame %q (detail %q) is not a card", f.number, f.detail)
				case f.number == nil && f.detail == "":
					t.Fatalf("unreadable frame without detail")
				}
			}
		}
		size := int(chunk)%17 + 1
		for p := data; len(p) > 0; {
			n := min(size, len(p))
			check(d.Feed(p[:n]), n)
			p = p[n:]
		}
		check(d.Idle(), 1)
		if d.size != 0 || d.trk.num != 0 || d.pan1.n != 0 || d.pan2.n != 0 || d.prev.n != 0 {
			t.Fatalf("silence left a swipe pending: %d bytes, track %d", d.size, d.trk.num)
		}
		if !bytes.Equal(memory(d)[unsafe.Offsetof(d.pan1):unsafe.Offsetof(d.trk)], make([]byte, unsafe.Offsetof(d.trk)-unsafe.Offsetof(d.pan1))) {
			t.Fatalf("account numbers not zeroed after silence")
		}
	})
}

func BenchmarkMagstripeDecoder(b *testing.B) {
	for _, bc := range []struct{ name, swipe string }{
		{"tracks 1 2 3", withLRC(track1) + withLRC(track2) + withLRC(track3) + "\r\n"},
		{"noise", "hello kiosk, not a card\r\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := mustMagstripeDecoder(b, Options{Luhn: true})
			swipe := []byte(bc.swipe)
			b.SetBytes(int64(len(swipe)))
			b.ReportAllocs()
			for b.Loop() {
				d.Feed(swipe)
				d.Idle()
			}
		})
	}
}

func TestReaderMagstripe(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		writes []string
		want   []EventKind
		cards  []string // the numbers of the Card events in want, in order
	}{
		{name: "tracks 1 2 3, CR", writes: []string{track1 + track2 + track3 + "\r"}, want: []EventKind{Card}, cards: []string{magPAN}},
		{name: "track 2, LF", writes: []string{track2 + "\n"}, want: []EventKind{Card}, cards: []string{magPAN}},
		{name: "track 1, CR LF", writes: []string{track1 + "\r\n"}, want: []EventKind{Card}, cards: []string{magPAN}},
		{name: "no terminator", writes: []string{track1 + track2}, want: []EventKind{Card}, cards: []string{magPAN}},
		{name: "LRC", writes: []string{withLRC(track1) + withLRC(track2) + "\r\n"}, want: []EventKind{Card}, cards: []string{magPAN}},
		{name: "split across writes", writes: []string{"%B40", "00001234", "567899^SMI", "TH/JANE^2912", "1011000000000000?;4", "000001234567899=2912", "1011000000000000?", "\r", "\n"},
			want: []EventKind{Card}, cards: []string{magPAN}},
		{name: "library card, track 2 only", writes: []string{libTrk2 + "\r\n"}, want: []EventKind{Card}, cards: []string{library}},
		{name: "noise around a swipe", writes: []string{"\x00\xff\x1b[2J" + track2 + "\x7f\r\n"}, want: []EventKind{Card}, cards: []string{magPAN}},
		{name: "noise alone", writes: []string{"\x00\xff\x1b[2J\r\n"}, want: []EventKind{Unreadable}},
		{name: "error tracks", writes: []string{"%E?;E?+E?\r\n"}, want: []EventKind{Unreadable}},
		{name: "track 2 error, track 1 read", writes: []string{track1 + ";E?\r\n"}, want: []EventKind{Card}, cards: []string{magPAN}},
		{name: "cut track, then a swipe", writes: []string{";4000001234\r\n", track2 + "\r\n"},
			want: []EventKind{Unreadable, Card}, cards: []string{magPAN}},
		{name: "Luhn", opts: Options{Luhn: true}, writes: []string{";" + badLuhn + "=2912?\r\n", track2 + "\r\n"},
			want: []EventKind{Unreadable, Card}, cards: []string{magPAN}},
		{name: "pattern", opts: Options{Pattern: `[0-9]{16}`}, writes: []string{libTrk2 + "\r\n", track2 + "\r\n"},
			want: []EventKind{Unreadable, Card}, cards: []string{magPAN}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each has its own pty and never unplugs it
			dev := newDevice(t)
			dev.plug()
			opts := tc.opts
			opts.Device, opts.Protocol = dev.path, "magstripe"
			rn := start(t, opts)
			rn.expect(Connected)
			dev.send(tc.writes...)
			cards := tc.cards
			for _, kind := range tc.want {
				if kind == Card {
					rn.expectCard(cards[0])
					cards = cards[1:]
					continue
				}
				if ev := rn.expect(kind); !strings.HasSuffix(ev.Detail, "please swipe again") && !strings.Contains(ev.Detail, "account number of") {
					t.Errorf("%v event with detail %q", kind, ev.Detail)
				}
			}
			// A card after the writes shows that nothing else came out of them.
			dev.send(visaTk1 + "\r\n")
			rn.expectCard(visa)
		})
	}
}

func TestReaderMagstripeEndless(t *testing.T) {
	dev := newDevice(t)
	dev.plug()
	var d *magstripeDecoder
	rn := start(t, Options{Device: dev.path, Protocol: "magstripe"}, func(r *Reader) {
		newDecoder := r.decoder
		r.decoder = func(o Options) (decoder, error) {
			dec, err := newDecoder(o)
			d = dec.(*magstripeDecoder) // written by Run's goroutine: read only after it returns
			return dec, err
		}
	})
	rn.expect(Connected)
	// The pty blocks the writer while the Reader catches up, so write from another goroutine.
	wrote := make(chan error, 1)
	go func() {
		_, err := dev.master.Write(append(append([]byte(";"), bytes.Repeat([]byte("7"), 100<<10)...), "\r\n"+track1+track2+"\r\n"...))
		wrote <- err
	}()
	ev := rn.expect(Unreadable)
	if want := "swipe of 102401 bytes: track 2 is longer than 40 characters; please swipe again"; ev.Detail != want {
		t.Errorf("got detail %q, want %q", ev.Detail, want)
	}
	rn.expectCard(magPAN)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	rn.stop()
	if cap(d.out) > 2 {
		t.Errorf("decoder output capacity %d after 100 KB, want at most 2", cap(d.out))
	}
	if logs := rn.logs.String(); !strings.Contains(logs, "read is not a card") || !strings.Contains(logs, "bytes=102401") {
		t.Errorf("log does not report the swipe by its length:\n%s", logs)
	}
}
