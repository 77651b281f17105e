package hardware

import (
	"bytes"
	"fmt"
	"regexp"
	"time"
)

// DefaultLinePattern is the card pattern of the line protocol when Options.Pattern is empty:
// 6 to 19 digits, which covers UK library barcodes (14) and ISO/IEC 7812 card numbers (8–19).
const DefaultLinePattern = `[0-9]{6,19}`

const (
	// maxLine is the longest line the line decoder keeps; a longer one is discarded.
	maxLine = 256
	// lineSilence is how long a line without terminator may wait for the rest of it.
	lineSilence = 2 * time.Second
	// lineIdleLimit is lineSilence in Idle calls.
	lineIdleLimit = int(lineSilence / readTimeout)
)

// lineDecoder decodes the "line" protocol: one code per line, ended by CR, LF or CR LF; empty
// lines are ignored. A line longer than maxLine is discarded up to its terminator and reported
// once; a line still without terminator after lineSilence is discarded and reported. Its buffer
// is allocated once, maxLine long, never grows, and is zeroed after every line.
type lineDecoder struct {
	pattern *regexp.Regexp
	luhn    bool

	buf    []byte // the line so far (its first maxLine bytes)
	size   int    // bytes of the line so far, kept or not
	binary bool   // the line so far has a byte outside printable ASCII
	idle   int    // Idle calls since the last byte, while a line is pending
	out    []frame
}

func newLineDecoder(o Options) (decoder, error) {
	p := o.Pattern
	if p == "" {
		p = DefaultLinePattern
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		return nil, fmt.Errorf("line pattern: %w", err)
	}
	return &lineDecoder{pattern: re, luhn: o.Luhn, buf: make([]byte, 0, maxLine)}, nil
}

func (d *lineDecoder) Feed(p []byte) []frame {
	d.reset()
	if len(p) > 0 {
		d.idle = 0
	}
	for _, c := range p {
		if c == '\r' || c == '\n' {
			d.end(false)
			continue
		}
		d.size++
		if c < ' ' || c > '~' {
			d.binary = true
		}
		if len(d.buf) < maxLine {
			d.buf = append(d.buf, c)
		}
	}
	return d.out
}

func (d *lineDecoder) Idle() []frame {
	d.reset()
	if d.size == 0 {
		return nil
	}
	if d.idle++; d.idle >= lineIdleLimit {
		d.end(true)
	}
	return d.out
}

// reset empties out for the next call.
func (d *lineDecoder) reset() {
	clear(d.out)
	d.out = d.out[:0]
}

// end ends the pending line (an empty one is ignored: that is how CR LF and blank lines go),
// appends its frame, and zeroes the buffer. silent says it ended by silence, not by a terminator:
// then it is not a card whatever it holds.
func (d *lineDecoder) end(silent bool) {
	if d.size == 0 {
		return
	}
	f := frame{size: d.size}
	line := bytes.Trim(d.buf, " ")
	switch {
	case silent:
		f.detail = fmt.Sprintf("line of %d bytes has no terminator (the reader must end lines with CR or LF)", d.size)
	case d.size > maxLine:
		f.detail = fmt.Sprintf("line of %d bytes is longer than %d", d.size, maxLine)
	case d.binary:
		f.detail = fmt.Sprintf("line of %d bytes has non-printable bytes", d.size)
	case len(line) == 0:
		f.detail = fmt.Sprintf("line of %d bytes is blank", d.size)
	case !d.pattern.Match(line):
		f.detail = fmt.Sprintf("line of %d bytes does not match the card pattern", d.size)
	case d.luhn && !luhnValid(line):
		f.detail = fmt.Sprintf("line of %d bytes fails the Luhn check", d.size)
	default:
		f.number = bytes.Clone(line)
	}
	d.out = append(d.out, f)
	clear(d.buf)
	d.buf = d.buf[:0]
	d.size, d.binary, d.idle = 0, false, 0
}
