package hardware

import "strconv"

// EventKind says what an Event reports.
type EventKind int

// The kinds of Event.
const (
	Card         EventKind = iota // a card was read; Event.Card is its identity
	Unreadable                    // something was read that is not a card: ask to try again
	Connected                     // the device is open and being read
	Disconnected                  // the device is absent or gone; the Reader keeps trying
	Removed                       // the card lying on the reader left it; Event.Card is its identity
)

// String returns "card", "unreadable", "connected", "disconnected" or "removed" (or
// "EventKind(n)").
func (k EventKind) String() string {
	switch k {
	case Card:
		return "card"
	case Unreadable:
		return "unreadable"
	case Connected:
		return "connected"
	case Disconnected:
		return "disconnected"
	case Removed:
		return "removed"
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is what a Reader tells its supervisor. It holds no card number or byte of what the
// reader sent, but for Number, sealed, when the supervisor asked for it.
type Event struct {
	Kind   EventKind
	Card   Identity // Kind == Card or Removed only
	Detail string   // human-readable and content-free, e.g. "line of 23 bytes does not match the card pattern"
	// Number is the card's number, sealed, for Kind == Card with Options.KeepNumber only
	// (otherwise empty). Whoever takes the event wipes it once done.
	Number CardNumber
}
