package sip2

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// chunks reads data in pieces of the sizes given, in turn (0 stands for 1).
type chunks struct {
	data  []byte
	sizes []byte
	i     int
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.sizes) > 0 {
		n = max(int(c.sizes[c.i%len(c.sizes)]), 1)
		c.i++
	}
	n = copy(p[:min(n, len(p))], c.data)
	c.data = c.data[n:]
	return n, nil
}

// FuzzLineReader: however an answer is split into reads, the lines come out whole, without
// line endings, none empty, and never longer than maxAnswer; wipe leaves nothing.
func FuzzLineReader(f *testing.F) {
	f.Add([]byte("941\r98YYYYNN\r\n24 AY1AZ0000\n"), []byte{1, 2, 3})
	f.Add(bytes.Repeat([]byte("x"), maxAnswer+10), []byte{255})
	f.Fuzz(func(t *testing.T, data, sizes []byte) {
		l := &lineReader{r: &chunks{data: data, sizes: sizes}}
		var got [][]byte
		for {
			line, err := l.line()
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrTooLong) {
					t.Fatalf("error %v", err)
				}
				break
			}
			if len(line) == 0 || len(line) > maxAnswer || bytes.ContainsAny(line, "\r\n") {
				t.Fatalf("line %q", line)
			}
			got = append(got, bytes.Clone(line))
		}
		if want := bytes.FieldsFunc(data, func(r rune) bool { return r == '\r' || r == '\n' }); len(got) > len(want) {
			t.Fatalf("%d lines from %d", len(got), len(want))
		} else {
			for i := range got {
				if !bytes.Equal(got[i], want[i]) {
					t.Fatalf("line %d: %q, want %q", i, got[i], want[i])
				}
			}
		}
		l.wipe()
		if !bytes.Equal(l.buf[:], make([]byte, maxAnswer)) {
			t.Fatal("wipe left bytes")
		}
	})
}
