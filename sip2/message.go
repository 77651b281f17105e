package sip2

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// A SIP2 message is two digits naming it, a fixed-length part, then variable-length fields, each
// a two-letter identifier, a value and "|". With error detection on, it ends in the sequence
// number field AY (one digit) and the checksum field AZ (four hex digits), and every message ends
// in a carriage return.

// Errors an answer can have. They never quote the answer.
var (
	ErrChecksum = errors.New("the answer's checksum is wrong")
	ErrGarbled  = errors.New("the answer is not a SIP2 message of the kind asked for")
	ErrTooLong  = fmt.Errorf("an answer is longer than %d bytes", maxAnswer)
)

// maxAnswer bounds an answer: a patron information answer without item lists is a few hundred
// bytes; an unbounded one would let a confused server fill the kiosk's memory.
const maxAnswer = 8192

// trailerLen is the length of "AY" d "AZ" hhhh.
const trailerLen = 9

// Checksum is the SIP2 checksum of msg, which ends in "AZ": the 16-bit two's complement of the
// sum of its bytes.
func Checksum(msg []byte) uint16 {
	var sum uint16
	for _, c := range msg {
		sum += uint16(c)
	}
	return -sum
}

// AppendTrailer appends the sequence number field AY with seq (a digit) and the checksum field
// AZ to msg.
func AppendTrailer(msg []byte, seq byte) []byte {
	msg = append(msg, 'A', 'Y', seq, 'A', 'Z')
	return fmt.Appendf(msg, "%04X", Checksum(msg))
}

// SplitTrailer checks the trailer of msg, a message without its line ending, and returns the
// message without it and its sequence number. A message without a trailer is returned whole
// with seq 0; one with a wrong checksum gives ErrChecksum.
func SplitTrailer(msg []byte) (body []byte, seq byte, err error) {
	n := len(msg)
	if n < trailerLen || !bytes.Equal(msg[n-9:n-7], []byte("AY")) || !bytes.Equal(msg[n-6:n-4], []byte("AZ")) {
		return msg, 0, nil
	}
	var sum uint16
	for _, c := range msg[n-4:] {
		d, ok := hexDigit(c)
		if !ok {
			return nil, 0, ErrChecksum
		}
		sum = sum<<4 | d
	}
	if Checksum(msg[:n-4]) != sum {
		return nil, 0, ErrChecksum
	}
	return msg[:n-trailerLen], msg[n-7], nil
}

func hexDigit(c byte) (uint16, bool) {
	switch {
	case c >= '0' && c <= '9':
		return uint16(c - '0'), true
	case c >= 'A' && c <= 'F':
		return uint16(c-'A') + 10, true
	case c >= 'a' && c <= 'f':
		return uint16(c-'a') + 10, true
	}
	return 0, false
}

// Message is a message read, without trailer or line ending: a view into the reader's buffer,
// valid until its next read.
type Message struct {
	Code  string // the two digits that name it ("94"); never anything else
	Fixed []byte // the fixed-length part
	vars  []byte // the variable-length fields
}

// Parse splits body (a message without trailer) into a Message whose fixed part is fixed bytes
// long, if its code is want.
func Parse(body []byte, want string, fixed int) (Message, error) {
	if len(body) < 2+fixed || string(body[:2]) != want {
		return Message{}, ErrGarbled
	}
	return Message{Code: want, Fixed: body[2 : 2+fixed], vars: body[2+fixed:]}, nil
}

// Field returns the value of the first field with identifier id ("BL"), and whether there is
// one.
func (m Message) Field(id string) ([]byte, bool) {
	for rest := m.vars; len(rest) >= 2; {
		f, after, _ := bytes.Cut(rest, []byte("|"))
		if len(f) >= 2 && string(f[:2]) == id {
			return f[2:], true
		}
		rest = after
	}
	return nil, false
}

// Flag reads a one-character Y/N field: true only for a field present and "Y".
func (m Message) Flag(id string) bool {
	v, ok := m.Field(id)
	return ok && len(v) == 1 && (v[0] == 'Y' || v[0] == 'y')
}

// Date is a SIP2 date and time: YYYYMMDD, four spaces for local time, HHMMSS.
func Date(t time.Time) string { return t.Format("20060102    150405") }

// lineReader reads the messages of one connection: lines ended by CR, LF or CR LF, into one
// fixed buffer that is never reallocated, so that wipe leaves no copy of an answer behind.
type lineReader struct {
	r          io.Reader
	buf        [maxAnswer]byte
	start, end int // the bytes read but not yet returned
}

// line returns the next non-empty line without its line ending; it is valid until the next
// call. A connection that ends inside a line gives io.ErrUnexpectedEOF.
func (l *lineReader) line() ([]byte, error) {
	for {
		if i := bytes.IndexAny(l.buf[l.start:l.end], "\r\n"); i >= 0 {
			line := l.buf[l.start : l.start+i]
			l.start += i + 1
			if len(line) > 0 {
				return line, nil
			}
			continue
		}
		if l.start > 0 { // move what is left to the front, and zero where it was
			n := copy(l.buf[:], l.buf[l.start:l.end])
			clear(l.buf[n:l.end])
			l.start, l.end = 0, n
		}
		if l.end == len(l.buf) {
			return nil, ErrTooLong
		}
		n, err := l.r.Read(l.buf[l.end:])
		l.end += n
		if n == 0 && err != nil {
			if errors.Is(err, io.EOF) && l.end > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

// wipe zeroes the buffer and forgets what it held.
func (l *lineReader) wipe() {
	clear(l.buf[:])
	l.start, l.end = 0, 0
}
