package sip2

// Flag is one of the 14 positions of the patron status field of answers 24 and 64: "Y" there
// means the flag is set (a space, or anything else, means not).
type Flag int

// The patron status flags, in their order in the field (SIP2 2.00).
const (
	ChargeDenied    Flag = iota // charge privileges denied: blocked, barred or expired
	RenewalDenied               // renewal privileges denied
	RecallDenied                // recall privileges denied
	HoldDenied                  // hold privileges denied
	CardLost                    // card reported lost
	TooManyCharged              // too many items charged
	TooManyOverdue              // too many items overdue
	TooManyRenewals             // too many renewals
	TooManyClaims               // too many claims of items returned
	TooManyLost                 // too many items lost
	ExcessiveFines              // excessive outstanding fines
	ExcessiveFees               // excessive outstanding fees
	RecallOverdue               // recall overdue
	TooManyBilled               // too many items billed
	numFlags
)

var flagNames = [numFlags]string{"charge privileges denied", "renewal privileges denied",
	"recall privileges denied", "hold privileges denied", "card reported lost", "too many items charged",
	"too many items overdue", "too many renewals", "too many claims of items returned", "too many items lost",
	"excessive outstanding fines", "excessive outstanding fees", "recall overdue", "too many items billed"}

// String names the flag as the specification does ("card reported lost").
func (f Flag) String() string {
	if f < 0 || f >= numFlags {
		return "unknown flag"
	}
	return flagNames[f]
}

// Refusing are the flags that refuse a card at the kiosk. SIP2 has no flag of its own for an
// expired or barred patron: servers (Koha, Evergreen, SirsiDynix, Alma) set "charge privileges
// denied" for them, so that flag refuses, as does "card reported lost" (someone else may hold
// the card). The others are about borrowing books — overdue items, fines — and say nothing
// about who holds the card: they do not keep a patron from their health records.
var Refusing = []Flag{ChargeDenied, CardLost}

// Status is the patron status field, one bool per Flag.
type Status [numFlags]bool

// parseStatus reads the 14 characters of the patron status field.
func parseStatus(b []byte) Status {
	var s Status
	for i := range s {
		s[i] = i < len(b) && (b[i] == 'Y' || b[i] == 'y')
	}
	return s
}

// Patron is the server's answer about one card.
type Patron struct {
	Valid   bool   // BL: the card is a patron's
	Status  Status // the patron status flags
	PINSent bool   // a PIN was sent in AD
	PINOK   bool   // CQ: the PIN sent is the patron's
}

// Verdict is what a patron's answer means at the kiosk.
type Verdict int

// The verdicts of Patron.Verdict.
const (
	Allowed  Verdict = iota // a valid patron: start a session
	WrongPIN                // the PIN is not the patron's (or the card is unknown: the kiosk doesn't say)
	Refused                 // not a valid patron, or a Refusing flag is set
)

// String returns "allowed", "wrong-pin" or "refused".
func (v Verdict) String() string {
	return [...]string{"allowed", "wrong-pin", "refused"}[v]
}

// Verdict decides: a PIN that was sent and not confirmed by CQ Y is WrongPIN, whatever else the
// answer says, so that the PIN pad tells an unknown card nothing a known one wouldn't; then a
// patron without BL Y, or with a Refusing flag, is Refused; anyone else is Allowed. An answer
// that leaves BL out refuses: the kiosk fails closed.
func (p Patron) Verdict() Verdict {
	if p.PINSent && !p.PINOK {
		return WrongPIN
	}
	if !p.Valid {
		return Refused
	}
	for _, f := range Refusing {
		if p.Status[f] {
			return Refused
		}
	}
	return Allowed
}
