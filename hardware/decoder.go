package hardware

import (
	"maps"
	"slices"
)

// A decoder turns the bytes a card reader sends into frames. Each protocol is one file with one
// decoder, listed in protocols. A decoder serves one connection and is not safe for concurrent use.
type decoder interface {
	// Feed consumes bytes as they arrive and returns the frames they complete. The slice is the
	// decoder's own and is valid until the next call.
	Feed(p []byte) []frame
	// Idle is called after every read that timed out with no bytes (every readTimeout of
	// silence), so that a frame without a terminator can end by silence.
	Idle() []frame
}

// frame is one decoded read: a card number, a read that is not a card, or (protocols that see a
// card lying on the reader) the removal of the card that was there.
type frame struct {
	number  []byte // the card number, a copy the receiver zeroes after use; nil if unreadable
	size    int    // bytes the read took on the wire, for content-free messages
	detail  string // unreadable only: why, without content ("line of 9 bytes fails the Luhn check")
	removed bool   // the card whose number this is has left the reader
}

// protocols maps Options.Protocol to its decoder's constructor, which also validates the options.
var protocols = map[string]func(Options) (decoder, error){
	"line":      newLineDecoder,
	"magstripe": newMagstripeDecoder,
	"em4100":    newEM4100Decoder,
}

// typed are the protocols whose frames are text, which a keyboard-wedge reader can type; an
// em4100 frame's STX and ETX cannot be typed.
var typed = []string{"line", "magstripe"}

// Protocols returns the names of the protocols a reader of kind can use, sorted: every protocol
// for KindSerial, "line" and "magstripe" for KindKeyboard, none for any other kind. It is the
// one list of them: config validates [reader] protocol against it.
func Protocols(kind string) []string {
	switch kind {
	case KindSerial:
		return slices.Sorted(maps.Keys(protocols))
	case KindKeyboard:
		return slices.Clone(typed)
	}
	return nil
}
