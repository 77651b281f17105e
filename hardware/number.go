package hardware

import (
	"fmt"
	"io"
	"log/slog"
)

// CardNumber is a card's raw number, sealed: the one way it leaves this package, for a library
// kiosk's SIP2 check (Options.KeepNumber), the only place a number may go. Nothing prints it:
// String, Format (every verb, %#v too), MarshalJSON, MarshalText and LogValue all give
// "[card number]" or null, so that a log line or an error that holds one by mistake shows
// nothing of it. Its bytes are lent to a callback (Lend), and Wipe zeroes them. The zero
// CardNumber holds no number. Copies share the bytes: a Wipe through one wipes all.
type CardNumber struct {
	s *sealed
}

type sealed struct {
	b []byte
}

// NewCardNumber seals a copy of number, as a Reader does with KeepNumber (and as the tests of
// code that takes Events do); the caller still zeroes its own copy.
func NewCardNumber(number []byte) CardNumber {
	return CardNumber{&sealed{append(make([]byte, 0, len(number)), number...)}}
}

// Empty reports whether n holds no number (none kept, or wiped).
func (n CardNumber) Empty() bool { return n.s == nil || len(n.s.b) == 0 }

// Lend calls f with the number's bytes, which f must neither keep nor change nor show. An empty
// CardNumber lends nil.
func (n CardNumber) Lend(f func(number []byte)) {
	if n.s == nil {
		f(nil)
		return
	}
	f(n.s.b)
}

// Wipe zeroes the number and forgets it. It is safe to call more than once.
func (n CardNumber) Wipe() {
	if n.s != nil {
		clear(n.s.b)
		n.s.b = nil
	}
}

const shown = "[card number]"

// String returns "[card number]", never the number.
func (n CardNumber) String() string { return shown }

// Format writes "[card number]" for every verb.
func (n CardNumber) Format(f fmt.State, _ rune) { io.WriteString(f, shown) }

// MarshalJSON returns null.
func (n CardNumber) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// MarshalText returns "[card number]".
func (n CardNumber) MarshalText() ([]byte, error) { return []byte(shown), nil }

// LogValue returns "[card number]".
func (n CardNumber) LogValue() slog.Value { return slog.StringValue(shown) }
