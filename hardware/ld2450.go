package hardware

import "encoding/binary"

// The HLK-LD2450 24 GHz radar's report frame (about 10 a second, unprompted): header AA FF 03 00,
// three 8-byte target slots, tail 55 CC. A slot is x, y (mm), speed (cm/s) — each a 16-bit
// little-endian sign–magnitude value: top bit set means positive — and a distance resolution
// (uint16 LE). An all-zero slot is no target. (HLK-LD2450 serial communication protocol,
// Hi-Link, V1.03.)
const (
	ld2450Frame = 30
	ld2450Slots = 3
)

var (
	ld2450Head = [4]byte{0xAA, 0xFF, 0x03, 0x00}
	ld2450Tail = [2]byte{0x55, 0xCC}
)

// Target is one person the radar sees, in its own frame: X across (negative to the sensor's
// left), Y straight out from it, both in mm; Speed in cm/s (negative: coming closer).
type Target struct {
	X, Y, Speed int
	Resolution  int // distance resolution, mm
}

// Report is one report frame: up to three targets.
type Report struct {
	Targets [ld2450Slots]Target
	N       int // targets in use: Targets[:N]
}

// Present returns the targets of r.
func (r *Report) Present() []Target { return r.Targets[:r.N] }

// LD2450Decoder finds report frames in the radar's byte stream: frames split across reads,
// noise between them, and resynchronisation after a frame whose tail is wrong (it looks for the
// next header inside the rejected bytes). Memory is fixed: one 30-byte buffer. Configuration
// acknowledgements (FD FC FB FA … 04 03 02 01) are skipped as noise. The zero value is ready to
// use; it is not safe for concurrent use.
type LD2450Decoder struct {
	buf [ld2450Frame]byte
	n   int
	out []Report
	bad int // frames with a wrong tail since the decoder began
}

// Feed consumes bytes and returns the reports they complete; the slice is the decoder's own
// and is valid until the next call.
func (d *LD2450Decoder) Feed(p []byte) []Report {
	d.out = d.out[:0]
	for _, c := range p {
		d.byte(c)
	}
	return d.out
}

// Bad returns how many frames had the header but a wrong tail (noise, or a wrong baud rate).
func (d *LD2450Decoder) Bad() int { return d.bad }

func (d *LD2450Decoder) byte(c byte) {
	switch {
	case d.n < len(ld2450Head):
		switch {
		case c == ld2450Head[d.n]:
			d.buf[d.n] = c
			d.n++
		case c == ld2450Head[0]:
			d.buf[0], d.n = c, 1
		default:
			d.n = 0
		}
	default:
		d.buf[d.n] = c
		d.n++
		if d.n < ld2450Frame {
			return
		}
		if d.buf[28] == ld2450Tail[0] && d.buf[29] == ld2450Tail[1] {
			d.out = append(d.out, decodeReport(d.buf[4:28]))
			d.n = 0
			return
		}
		// Not a frame: look for a header in what followed the false one. Fewer than 30 bytes
		// are fed again, so this cannot complete (or reject) another frame.
		d.bad++
		var rest [ld2450Frame - 1]byte
		copy(rest[:], d.buf[1:])
		d.n = 0
		for _, c := range rest {
			d.byte(c)
		}
	}
}

// decodeReport decodes the three slots of a report frame.
func decodeReport(b []byte) Report {
	var r Report
	for i := range ld2450Slots {
		s := b[i*8 : i*8+8]
		if binary.LittleEndian.Uint64(s) == 0 {
			continue
		}
		r.Targets[r.N] = Target{
			X: signMag(s[0:]), Y: signMag(s[2:]), Speed: signMag(s[4:]),
			Resolution: int(binary.LittleEndian.Uint16(s[6:])),
		}
		r.N++
	}
	return r
}

// signMag reads the LD2450's 16-bit sign–magnitude value: top bit set is positive (the value
// is the other 15 bits), top bit clear is negative (the value is minus the raw number).
func signMag(b []byte) int {
	v := binary.LittleEndian.Uint16(b)
	if v&0x8000 != 0 {
		return int(v & 0x7FFF)
	}
	return -int(v)
}

// LD2450Frame encodes r as a report frame (for tests, benchmarks and simulators). Values are
// clamped to ±32767.
func LD2450Frame(r Report) []byte {
	b := make([]byte, 0, ld2450Frame)
	b = append(b, ld2450Head[:]...)
	for i := range ld2450Slots {
		if i >= r.N {
			b = append(b, make([]byte, 8)...)
			continue
		}
		t := r.Targets[i]
		b = binary.LittleEndian.AppendUint16(b, toSignMag(t.X))
		b = binary.LittleEndian.AppendUint16(b, toSignMag(t.Y))
		b = binary.LittleEndian.AppendUint16(b, toSignMag(t.Speed))
		b = binary.LittleEndian.AppendUint16(b, uint16(t.Resolution))
	}
	return append(b, ld2450Tail[:]...)
}

func toSignMag(v int) uint16 {
	v = max(min(v, 0x7FFF), -0x7FFF)
	if v >= 0 {
		return uint16(v) | 0x8000
	}
	return uint16(-v)
}
