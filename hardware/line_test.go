package hardware

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func mustLineDecoder(t testing.TB, o Options) *lineDecoder {
	t.Helper()
	d, err := newLineDecoder(o)
	if err != nil {
		t.Fatal(err)
	}
	return d.(*lineDecoder)
}

// got renders frames for comparison: a card as its number, else its detail in brackets.
func got(frames []frame) []string {
	var out []string
	for _, f := range frames {
		if f.number != nil {
			out = append(out, string(f.number))
		} else {
			out = append(out, "["+f.detail+"]")
		}
	}
	return out
}

func TestLineDecoder(t *testing.T) {
	long := strings.Repeat("1", 300)
	tests := []struct {
		name  string
		opts  Options
		feeds []string
		want  []string
	}{
		{"CR", Options{}, []string{"123456\r"}, []string{"123456"}},
		{"LF", Options{}, []string{"123456\n"}, []string{"123456"}},
		{"CR LF", Options{}, []string{"123456\r\n"}, []string{"123456"}},
		{"CR LF split", Options{}, []string{"123456\r", "\n654321\r", "\n"}, []string{"123456", "654321"}},
		{"byte by byte", Options{}, strings.Split("1234567\n", ""), []string{"1234567"}},
		{"no terminator yet", Options{}, []string{"123456"}, nil},
		{"blank lines", Options{}, []string{"\r\n\r\n\n\n\r\r"}, nil},
		{"spaces trimmed", Options{}, []string{"  123456  \n"}, []string{"123456"}},
		{"inner space", Options{}, []string{"123 456\n"}, []string{"[line of 7 bytes does not match the card pattern]"}},
		{"spaces only", Options{}, []string{"   \n"}, []string{"[line of 3 bytes is blank]"}},
		{"tab", Options{}, []string{"123456\t\n"}, []string{"[line of 7 bytes has non-printable bytes]"}},
		{"high bytes", Options{}, []string{"1234\xc3\xa9\n"}, []string{"[line of 6 bytes has non-printable bytes]"}},
		{"NUL", Options{}, []string{"\x00\n"}, []string{"[line of 1 bytes has non-printable bytes]"}},
		{"too short for the default", Options{}, []string{"12345\n"}, []string{"[line of 5 bytes does not match the card pattern]"}},
		{"19 digits", Options{}, []string{"1234567890123456789\n"}, []string{"1234567890123456789"}},
		{"20 digits", Options{}, []string{"12345678901234567890\n"}, []string{"[line of 20 bytes does not match the card pattern]"}},
		{"pattern anchored", Options{Pattern: `[0-9]{4}`}, []string{"x1234\n1234x\n1234\n"},
			[]string{"[line of 5 bytes does not match the card pattern]", "[line of 5 bytes does not match the card pattern]", "1234"}},
		{"alternation anchored", Options{Pattern: `A|B`}, []string{"AB\nB\n"}, []string{"[line of 2 bytes does not match the card pattern]", "B"}},
		{"Luhn", Options{Luhn: true}, []string{"79927398713\n79927398710\n"}, []string{"79927398713", "[line of 11 bytes fails the Luhn check]"}},
		{"Luhn on letters", Options{Pattern: `[A-Z0-9]+`, Luhn: true}, []string{"ABC\n"}, []string{"[line of 3 bytes fails the Luhn check]"}},
		{"256 bytes", Options{Pattern: `1+`}, []string{long[:256] + "\n"}, []string{long[:256]}},
		{"257 bytes", Options{Pattern: `1+`}, []string{long[:257] + "\n"}, []string{"[line of 257 bytes is longer than 256]"}},
		{"long line, then a card", Options{}, []string{long, long, "\r\n123456\n"},
			[]string{"[line of 600 bytes is longer than 256]", "123456"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := mustLineDecoder(t, tc.opts)
			var all []string
			for _, s := range tc.feeds {
				all = append(all, got(d.Feed([]byte(s)))...)
			}
			if strings.Join(all, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", all, tc.want)
			}
			if cap(d.buf) != maxLine {
				t.Errorf("buffer capacity %d, want %d", cap(d.buf), maxLine)
			}
		})
	}
}

func TestLineDecoderSilence(t *testing.T) {
	d := mustLineDecoder(t, Options{})
	if f := d.Idle(); len(f) != 0 {
		t.Fatalf("Idle with nothing pending: got %q", got(f))
	}
	d.Feed([]byte("1234"))
	for range lineIdleLimit / 2 {
		if f := d.Idle(); len(f) != 0 {
			t.Fatalf("Idle with a line pending: got %q", got(f))
		}
	}
	d.Feed([]byte("56")) // bytes restart the count
	for i := 1; i < lineIdleLimit; i++ {
		if f := d.Idle(); len(f) != 0 {
			t.Fatalf("Idle %d of %d: got %q", i, lineIdleLimit, got(f))
		}
	}
	f := d.Idle()
	want := "[line of 6 bytes has no terminator (the reader must end lines with CR or LF)]"
	if g := got(f); len(g) != 1 || g[0] != want {
		t.Fatalf("after %v of silence: got %q, want %q", lineSilence, g, want)
	}
	if g := got(d.Feed([]byte("123456\n"))); len(g) != 1 || g[0] != "123456" {
		t.Errorf("after a line ended by silence: got %q, want the next card alone", g)
	}
}

func TestLineDecoderZeroes(t *testing.T) {
	d := mustLineDecoder(t, Options{})
	d.Feed([]byte("4111111111111111\n4111"))
	d.Feed([]byte("111\n"))
	if n := bytes.Count(d.buf[:cap(d.buf)], []byte("1")); n != 0 {
		t.Errorf("the buffer still holds %d digits of past lines", n)
	}
}

func TestLineDecoderAllocations(t *testing.T) {
	d := mustLineDecoder(t, Options{})
	noise := []byte(strings.Repeat("x", 1000))
	if n := testing.AllocsPerRun(100, func() { d.Feed(noise) }); n != 0 {
		t.Errorf("an endless line allocates %v times per Feed, want 0", n)
	}
}

// terminators counts the CRs and LFs in p: a Feed of p can end no more lines than that.
func terminators(p []byte) int { return bytes.Count(p, []byte("\r")) + bytes.Count(p, []byte("\n")) }

func FuzzLineDecoder(f *testing.F) {
	f.Add([]byte(visa+"\r\n"), uint8(0), false)
	f.Add([]byte(visa+"\r\n"+badLuhn+"\n"), uint8(3), true)
	f.Add([]byte("a\rb\nc\r\n\n\r"), uint8(1), false)
	f.Add([]byte(strings.Repeat("9", 300)+"\n"+library+"\r"), uint8(7), true)
	f.Add([]byte("\x00\xff\x1b[2J\r"), uint8(2), false)
	f.Add([]byte("  79927398713  \n"), uint8(5), true)
	f.Add([]byte("123456"), uint8(0), false)
	f.Add([]byte{}, uint8(0), false)
	card := regexp.MustCompile(`^(?:[0-9]{4,19})$`)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8, luhn bool) {
		d := mustLineDecoder(t, Options{Pattern: `[0-9]{4,19}`, Luhn: luhn})
		check := func(frames []frame, most int) {
			if len(frames) > most {
				t.Fatalf("%d frames, at most %d expected", len(frames), most)
			}
			for _, f := range frames {
				switch {
				case f.number != nil && (!card.Match(f.number) || luhn && !luhnValid(f.number) || f.detail != ""):
					t.Fatalf("card frame %q (detail %q) is not a card", f.number, f.detail)
				case f.number == nil && !strings.HasPrefix(f.detail, "line of "):
					t.Fatalf("unreadable frame with detail %q", f.detail)
				}
			}
			if cap(d.buf) != maxLine || len(d.buf) > maxLine {
				t.Fatalf("buffer len %d cap %d, want cap %d", len(d.buf), cap(d.buf), maxLine)
			}
		}
		size := int(chunk)%17 + 1
		for p := data; len(p) > 0; {
			n := min(size, len(p))
			check(d.Feed(p[:n]), terminators(p[:n]))
			p = p[n:]
		}
		for range lineIdleLimit {
			check(d.Idle(), 1)
		}
		if d.size != 0 || len(d.buf) != 0 {
			t.Fatalf("%v of silence left %d bytes pending", lineSilence, d.size)
		}
	})
}

func BenchmarkLineDecoder(b *testing.B) {
	for _, bc := range []struct{ name, line string }{
		{"card", visa + "\r\n"},
		{"noise", "hello kiosk, not a card\r\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := mustLineDecoder(b, Options{Luhn: true})
			chunk := []byte(strings.Repeat(bc.line, 32))
			b.SetBytes(int64(len(chunk)))
			b.ReportAllocs()
			for b.Loop() {
				d.Feed(chunk)
			}
		})
	}
}
