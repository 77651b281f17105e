package hardware

import (
	"bytes"
	"fmt"
	"time"
)

// DefaultRemovalGap is Options.RemovalGap when it is 0: how long an EM4100 card may send no valid
// frame before it counts as removed. RDM6300-class modules repeat a frame every 50–100ms or so
// while a card lies on them.
const DefaultRemovalGap = 500 * time.Millisecond

const (
	em4100Frame = 14 // 0x02, 10 hex ID, 2 hex checksum, 0x03
	emSTX       = 0x02
	emETX       = 0x03
)

// em4100Decoder decodes the "em4100" protocol of RDM6300-class 125 kHz modules: 14-byte frames
// of 0x02, the 5-byte card ID as 10 ASCII hex digits, their XOR as 2 hex digits, 0x03. The card
// number is the ID as 10 upper-case hex digits.
//
// A module repeats the frame while the card lies on it. Only the first valid frame of a presence
// gives a Card; after RemovalGap without a valid frame of it (checked on every Feed and Idle,
// against the injected clock) the decoder gives a removal, and a different card arriving
// first gives the removal of the old one, then the new Card. A frame whose checksum fails is
// counted; it gives an Unreadable ("checksum failure (n since the reader connected)") only when no card is present, and at
// most once per RemovalGap, so that a card at the edge of the antenna does not flood the
// supervisor. Anything else — bytes between frames, a frame cut short by a new 0x02, by
// silence or by a byte that is not hex, a frame without its 0x03 — is noise, dropped without a
// word. Memory is fixed: one 12-byte buffer, zeroed after every frame.
type em4100Decoder struct {
	gap time.Duration
	now func() time.Time

	buf [em4100Frame - 2]byte // hex digits of the frame being read
	n   int                   // bytes of buf used; -1 between frames (waiting for 0x02)

	present  bool
	id       [10]byte  // the present card's number
	seen     time.Time // when the present card's last valid frame ended
	failAt   time.Time // when the last checksum failure was reported
	failures int       // checksum failures since the decoder began

	out []frame
}

func newEM4100Decoder(o Options) (decoder, error) {
	gap := o.RemovalGap
	if gap <= 0 {
		gap = DefaultRemovalGap
	}
	return &em4100Decoder{gap: gap, now: time.Now, n: -1}, nil
}

func (d *em4100Decoder) Feed(p []byte) []frame {
	d.reset()
	now := d.now()
	d.expire(now)
	for _, c := range p {
		d.byte(c, now)
	}
	return d.out
}

// Idle drops a frame cut short by silence and ends a presence whose gap has passed.
func (d *em4100Decoder) Idle() []frame {
	d.reset()
	d.drop()
	d.expire(d.now())
	return d.out
}

func (d *em4100Decoder) reset() {
	clear(d.out)
	d.out = d.out[:0]
}

func (d *em4100Decoder) byte(c byte, now time.Time) {
	switch {
	case c == emSTX: // a frame begins, cutting short any frame being read
		d.drop()
		d.n = 0
	case d.n < 0: // noise between frames
	case d.n < len(d.buf):
		if unhex(c) < 0 {
			d.drop()
			return
		}
		d.buf[d.n] = c
		d.n++
	case c == emETX:
		d.frame(now)
	default:
		d.drop()
	}
}

// drop forgets the frame being read.
func (d *em4100Decoder) drop() {
	clear(d.buf[:])
	d.n = -1
}

// frame decodes the complete frame in buf.
func (d *em4100Decoder) frame(now time.Time) {
	var sum byte
	for i := 0; i < 10; i += 2 {
		sum ^= byte(unhex(d.buf[i])<<4 | unhex(d.buf[i+1]))
	}
	ok := sum == byte(unhex(d.buf[10])<<4|unhex(d.buf[11]))
	var id [10]byte
	for i, c := range d.buf[:10] {
		if c >= 'a' {
			c -= 'a' - 'A'
		}
		id[i] = c
	}
	d.drop()
	switch {
	case !ok:
		d.failures++
		if !d.present && (d.failAt.IsZero() || now.Sub(d.failAt) >= d.gap) {
			d.failAt = now
			d.out = append(d.out, frame{size: em4100Frame, detail: fmt.Sprintf("checksum failure (%d since the reader connected)", d.failures)})
		}
	case d.present && id == d.id:
		d.seen = now
	default:
		if d.present {
			d.remove()
		}
		d.present, d.id, d.seen = true, id, now
		d.out = append(d.out, frame{number: bytes.Clone(id[:]), size: em4100Frame})
	}
	clear(id[:])
}

// expire removes the present card if its last frame is RemovalGap old.
func (d *em4100Decoder) expire(now time.Time) {
	if d.present && now.Sub(d.seen) >= d.gap {
		d.remove()
	}
}

func (d *em4100Decoder) remove() {
	d.out = append(d.out, frame{number: bytes.Clone(d.id[:]), removed: true})
	clear(d.id[:])
	d.present = false
}

// unhex returns the value of the hex digit c (either case), or -1.
func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c - 'A' + 10)
	case c >= 'a' && c <= 'f':
		return int(c - 'a' + 10)
	}
	return -1
}
