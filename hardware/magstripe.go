package hardware

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

// Track limits of ISO/IEC 7811-2 and 7813, in characters with both sentinels.
const (
	maxPAN    = 19 // digits of a primary account number (ISO/IEC 7812-1)
	maxTrack1 = 79
	maxTrack2 = 40
	maxTrack3 = 107
)

// magstripeDecoder decodes the "magstripe" protocol: the ASCII tracks of one swipe, ISO/IEC 7813
// track 1 (%…?), track 2 (;…?) and track 3 (;…? or +…?), each optionally followed by its LRC
// character, the whole swipe ended by CR, LF or CR LF, or by silence (one Idle). Readers that
// send only some tracks, and the error tracks %E?, ;E?, +E?, are allowed.
//
// The card number is the primary account number of track 2 (the digits before "="; all of them
// if there is no "="), else of track 1 (between the format code and the first "^"); it must
// match the pattern and, if asked, the Luhn check. The tracks are parsed as they arrive: only
// account number digits are ever kept (in a fixed buffer zeroed after every swipe); the name on
// track 1 and everything after it are checked for their character set and dropped.
//
// Tracks come in the order 1, 2, 3: within a swipe, the first ";" track is track 2 and the
// second is track 3, and a "%" after any track begins a new swipe. A Card that repeats the
// previous Card's number with no silence between them (a reader that ends every track, not just
// the swipe, with CR) is dropped. Bytes outside a track are noise: a swipe of noise alone is
// reported once. Memory is fixed: nothing grows, however long the stream.
type magstripeDecoder struct {
	pattern *regexp.Regexp
	luhn    bool

	// the swipe so far
	size   int    // its bytes, terminators not included
	tracks uint8  // bit n: track n began and was not cut short
	began  bool   // a track began
	errTrk bool   // an error track (…E?) came
	bad    flaw   // why the last malformed track was malformed
	pan1   panBuf // track 1's account number, when track 1 was well formed
	pan2   panBuf // track 2's account number, when track 2 was well formed

	// the track being read; track 0 means between tracks
	trk       track
	lrcWant   byte // the LRC character that may follow the end sentinel just read
	lrcExpect bool

	prev panBuf // the last Card's number until the next silence, to drop repeats

	out []frame
}

// panBuf is an account number of at most maxPAN digits.
type panBuf struct {
	d  [maxPAN]byte
	n  int
	ok bool // complete and well formed
}

func (p *panBuf) reset() { *p = panBuf{} }

func (p *panBuf) equal(q *panBuf) bool { return p.ok && q.ok && bytes.Equal(p.d[:p.n], q.d[:q.n]) }

// track is the parse state of one track.
type track struct {
	num    int  // 1, 2 or 3; 0 between tracks
	ss     byte // its start sentinel
	n      int  // characters so far, sentinels included
	field  int  // track 1: 0 format code, 1 account number, 2 name, 3 the rest; tracks 2/3: 1, 3
	first  byte // the first character after the start sentinel
	bad    flaw
	lrc    byte // XOR of the characters' data bits so far
	pan    panBuf
	sawSep bool // the account number ended with its separator
}

// flaw is why a track is malformed, content-free: "track N " + what. Details are formatted only
// when a swipe is reported, so that reading noise allocates nothing.
type flaw struct {
	track int
	what  string
}

func (f flaw) String() string { return "track " + strconv.Itoa(f.track) + " " + f.what }

// tooLong is the flaw of an over-long track, by the limit it broke.
var tooLong = map[int]string{
	maxTrack1: "is longer than 79 characters",
	maxTrack2: "is longer than 40 characters",
	maxTrack3: "is longer than 107 characters",
}

func newMagstripeDecoder(o Options) (decoder, error) {
	p := o.Pattern
	if p == "" {
		p = DefaultLinePattern
	}
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		return nil, fmt.Errorf("card pattern: %w", err)
	}
	return &magstripeDecoder{pattern: re, luhn: o.Luhn}, nil
}

func (d *magstripeDecoder) Feed(p []byte) []frame {
	d.reset()
	for _, c := range p {
		d.byte(c)
	}
	return d.out
}

// Idle ends a swipe without terminator, and forgets the last Card.
func (d *magstripeDecoder) Idle() []frame {
	d.reset()
	if d.size > 0 {
		d.finish()
	}
	d.prev.reset()
	d.lrcExpect = false
	return d.out
}

func (d *magstripeDecoder) reset() {
	clear(d.out)
	d.out = d.out[:0]
}

func (d *magstripeDecoder) byte(c byte) {
	if d.lrcExpect {
		d.lrcExpect = false
		if c == d.lrcWant && d.size > 0 {
			d.size++
			return
		}
	}
	if c == '\r' || c == '\n' {
		if d.trk.num != 0 {
			d.abort("has no end sentinel")
		}
		if d.size > 0 {
			d.finish()
		}
		return
	}
	if d.trk.num != 0 && d.inTrack(c) {
		return
	}
	// Between tracks, or c is a start sentinel that ended the track being read.
	switch c {
	case '%':
		if d.tracks != 0 {
			d.finish()
		}
		d.begin(1, c)
	case ';':
		switch {
		case d.tracks&(1<<2) == 0:
			d.begin(2, c)
		case d.tracks&(1<<3) == 0:
			d.begin(3, c)
		default:
			d.finish()
			d.begin(2, c)
		}
	case '+':
		if d.tracks&(1<<3) != 0 {
			d.finish()
		}
		d.begin(3, c)
	default:
		d.size++ // noise
	}
}

func (d *magstripeDecoder) begin(num int, ss byte) {
	d.size++
	d.tracks |= 1 << num
	d.began = true
	d.trk = track{num: num, ss: ss, n: 1, field: 1}
	if num == 1 {
		d.trk.field = 0
	}
	d.trk.lrc = d.data(ss)
}

// data returns the data bits of c in the track's character set: 6 bits on track 1 (and on a
// track begun by "+"), 4 bits on tracks 2 and 3.
func (d *magstripeDecoder) data(c byte) byte {
	if d.trk.num == 1 || d.trk.ss == '+' {
		return (c - 0x20) & 0x3f
	}
	return (c - 0x30) & 0x0f
}

// inTrack takes c as part of the current track; it returns false if c is a start sentinel that
// ends the track (malformed) and must begin another.
func (d *magstripeDecoder) inTrack(c byte) bool {
	t := &d.trk
	if c == '%' || c == ';' || (c == '+' && t.num != 1) {
		d.abort("has no end sentinel")
		return false
	}
	d.size++
	t.n++
	if c == '?' {
		t.lrc ^= d.data(c)
		d.end()
		return true
	}
	limit := [4]int{0, maxTrack1, maxTrack2, maxTrack3}[t.num]
	if t.ss == '+' {
		limit = maxTrack3
	}
	if t.n >= limit { // no room left for the end sentinel
		d.abort(tooLong[limit])
		return true
	}
	t.lrc ^= d.data(c)
	if t.n == 2 {
		t.first = c
	}
	if t.bad.what != "" {
		return true
	}
	if c < 0x20 || c > 0x7e {
		t.bad = flaw{t.num, "has non-printable bytes"}
		return true
	}
	if c == 'E' && t.n == 2 {
		return true // an error track if "?" follows
	}
	if t.num == 1 && t.ss == '%' {
		d.track1(c)
	} else {
		d.track23(c)
	}
	return true
}

// track1 takes a data character of track 1: format code, account number, "^", name, "^", rest.
func (d *magstripeDecoder) track1(c byte) {
	t := &d.trk
	if c > 0x5f {
		t.bad = flaw{1, "has characters outside its set"}
		return
	}
	switch t.field {
	case 0:
		if c < 'A' || c > 'Z' {
			t.bad = flaw{1, "has no format code"}
			return
		}
		t.field = 1
	case 1:
		switch {
		case c == '^':
			t.sawSep = true
			t.field = 2
		case c == ' ': // some issuers space the number
		default:
			d.digit(c)
		}
	case 2: // the name: never kept
		if c == '^' {
			t.field = 3
		}
	}
}

// track23 takes a data character of track 2 or 3: account number, "=", rest.
func (d *magstripeDecoder) track23(c byte) {
	t := &d.trk
	if c < '0' || c > '>' {
		t.bad = flaw{t.num, "has characters outside its set"}
		return
	}
	if t.field == 1 {
		if c == '=' {
			t.sawSep = true
			t.field = 3
			return
		}
		d.digit(c)
	}
}

// digit adds c to the account number of the current track.
func (d *magstripeDecoder) digit(c byte) {
	t := &d.trk
	switch {
	case c < '0' || c > '9':
		t.bad = flaw{t.num, "has an account number that is not digits"}
	case t.pan.n == maxPAN:
		t.bad = flaw{t.num, "has an account number longer than 19 digits"}
	default:
		t.pan.d[t.pan.n] = c
		t.pan.n++
	}
}

// end ends the current track at its end sentinel.
func (d *magstripeDecoder) end() {
	t := &d.trk
	d.lrcWant, d.lrcExpect = t.lrc+0x30, true
	if t.num == 1 || t.ss == '+' {
		d.lrcWant = t.lrc + 0x20
	}
	switch {
	case t.n == 3 && t.first == 'E':
		d.errTrk = true
	case t.bad.what != "":
		d.bad = t.bad
	case t.n == 2:
		d.bad = flaw{t.num, "is empty"}
	case t.first == 'E':
		d.bad = flaw{t.num, "has characters outside its set"}
	case t.pan.n == 0:
		d.bad = flaw{t.num, "has no account number"}
	case t.num == 1 && (!t.sawSep || t.field < 3):
		d.bad = flaw{1, "lacks its separators"}
	case t.num == 1:
		d.pan1, d.pan1.ok = t.pan, true
	case t.num == 2:
		d.pan2, d.pan2.ok = t.pan, true
	}
	d.clearTrack()
}

// abort ends the current track as malformed. Its number is free again: a start sentinel that
// cut it short begins the same track anew (resynchronisation after noise).
func (d *magstripeDecoder) abort(what string) {
	d.bad = flaw{d.trk.num, what}
	d.tracks &^= 1 << d.trk.num
	d.clearTrack()
}

func (d *magstripeDecoder) clearTrack() {
	d.trk.pan.reset()
	d.trk = track{}
}

// finish ends the swipe: a Card, an Unreadable, or nothing (a repeated Card).
func (d *magstripeDecoder) finish() {
	if d.trk.num != 0 {
		d.abort("has no end sentinel")
	}
	f := frame{size: d.size}
	pan := &d.pan2
	if !pan.ok {
		pan = &d.pan1
	}
	num := pan.d[:pan.n]
	switch {
	case pan.ok && !d.pattern.Match(num):
		f.detail = fmt.Sprintf("swipe of %d bytes: account number of %d digits does not match the card pattern", d.size, pan.n)
	case pan.ok && d.luhn && !luhnValid(num):
		f.detail = fmt.Sprintf("swipe of %d bytes: account number of %d digits fails the Luhn check", d.size, pan.n)
	case pan.ok && pan.equal(&d.prev):
		f.size = 0 // the same card again, track by track: not a new swipe
	case pan.ok:
		f.number = bytes.Clone(num)
		d.prev = *pan
	case d.errTrk:
		f.detail = fmt.Sprintf("swipe of %d bytes: the reader could not read the card; please swipe again", d.size)
	case !d.began:
		f.detail = fmt.Sprintf("%d bytes without a track (a track begins with %%, ; or +); please swipe again", d.size)
	case d.bad.what == "":
		f.detail = fmt.Sprintf("swipe of %d bytes has neither track 1 nor track 2; please swipe again", d.size)
	default:
		f.detail = fmt.Sprintf("swipe of %d bytes: %s; please swipe again", d.size, d.bad)
	}
	if f.size > 0 {
		d.out = append(d.out, f)
	}
	d.pan1.reset()
	d.pan2.reset()
	d.size, d.tracks, d.began, d.errTrk, d.bad = 0, 0, false, false, flaw{}
}
