// Package access decides what a card read at the kiosk may do — start a session, open the
// technician screen, or nothing — from the card's identity (an HMAC, never its number), and
// pauses the card reader after too many refused cards, so that nobody can stand at the kiosk
// trying card after card.
package access

import (
	"encoding/json"
	"sync"
	"time"
)

// Verdict is what a card may do.
type Verdict int

// The verdicts of Gate.Decide.
const (
	Session    Verdict = iota // start a session
	Technician                // open the technician screen
	Refused                   // not allowed here: tell the patient, and count it
	Paused                    // the reader is paused after too many refusals: ignore the card
)

// String returns "session", "technician", "refused" or "paused".
func (v Verdict) String() string {
	return [...]string{"session", "technician", "refused", "paused"}[v]
}

// Policy is who may do what; it comes from the config's [auth] table.
type Policy struct {
	Allowlist   map[string]bool // the identities that may start a session; nil: any card
	Technicians map[string]bool // identities that open the technician screen
	MaxRefusals int             // this many refusals within Window pause the reader (0: 5)
	Window      time.Duration   // 0: 1m
	Cooldown    time.Duration   // how long the reader stays paused (0: 2m)
}

// Gate applies a Policy to the cards read, one after another. It is safe for concurrent use.
type Gate struct {
	mu       sync.Mutex
	p        Policy
	refusals []time.Time          // within the window, oldest first
	until    time.Time            // the reader is paused until then
	blocked  map[string]time.Time // cards refused until then (Block)
}

// NewGate returns a Gate for p.
func NewGate(p Policy) *Gate {
	g := &Gate{}
	g.SetPolicy(p)
	return g
}

// SetPolicy replaces the policy (a config reload); the refusals counted so far and a pause under
// way stay.
func (g *Gate) SetPolicy(p Policy) {
	if p.MaxRefusals <= 0 {
		p.MaxRefusals = 5
	}
	if p.Window <= 0 {
		p.Window = time.Minute
	}
	if p.Cooldown <= 0 {
		p.Cooldown = 2 * time.Minute
	}
	g.mu.Lock()
	g.p = p
	g.mu.Unlock()
}

// Decide says what the card id read at now may do. A technician card opens the technician
// screen even while the reader is paused (a member of staff has come to help). Otherwise, while
// paused, every card is Paused and is not counted. A card not on the allowlist is Refused and
// counted; the refusal that reaches MaxRefusals within Window pauses the reader from now for
// Cooldown, and Decide then returns paused = true, once, with the time the pause ends.
func (g *Gate) Decide(id string, now time.Time) (v Verdict, pausedUntil time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.p.Technicians[id]:
		return Technician, time.Time{}
	case now.Before(g.until):
		return Paused, time.Time{}
	case now.Before(g.blocked[id]):
	case g.p.Allowlist == nil || g.p.Allowlist[id]:
		return Session, time.Time{}
	}
	return Refused, g.refuse(now)
}

// Refuse counts a card refused at now by someone else's decision (a library's server, or three
// wrong PINs), as Decide counts its own refusals; it returns when the pause it began ends (zero:
// none began).
func (g *Gate) Refuse(now time.Time) (pausedUntil time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.refuse(now)
}

// Block refuses the card id from now for the policy's Cooldown, whatever the policy says (three
// wrong PINs): Decide counts it Refused each time it comes meanwhile. It returns when the block
// ends.
func (g *Gate) Block(id string, now time.Time) (until time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.blocked == nil {
		g.blocked = map[string]time.Time{}
	}
	for k, t := range g.blocked { // forget the blocks that are over
		if !now.Before(t) {
			delete(g.blocked, k)
		}
	}
	g.blocked[id] = now.Add(g.p.Cooldown)
	return g.blocked[id]
}

// refuse counts a refusal at now; see Refuse.
func (g *Gate) refuse(now time.Time) time.Time {
	i := 0
	for i < len(g.refusals) && now.Sub(g.refusals[i]) >= g.p.Window {
		i++
	}
	g.refusals = append(g.refusals[i:], now)
	if len(g.refusals) >= g.p.MaxRefusals {
		g.refusals = g.refusals[:0]
		g.until = now.Add(g.p.Cooldown)
		return g.until
	}
	return time.Time{}
}

// PausedUntil is when the pause under way ends (zero or past: no pause).
func (g *Gate) PausedUntil() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until
}

// auditLine is one refused card in the audit log. Like the session lines, nothing in it
// identifies the card or the patient: no number, no hash.
type auditLine struct {
	Event       string `json:"event"`
	Time        string `json:"time"`
	Reason      string `json:"reason"`                 // one of the Refusal reasons
	PausedUntil string `json:"paused_until,omitempty"` // this refusal paused the reader until then
}

// The reasons of a refusal in the audit log.
const (
	NotEnrolled = "not-enrolled" // not on the allowlist
	SIP2Refused = "sip2-refused" // the library's server refused the card
	WrongPIN    = "wrong-pin"    // three wrong PINs: the card is blocked for the cooldown
)

// AuditRefusal returns the audit line (with its newline) of a card refused at now for reason;
// pausedUntil is Decide's or Refuse's (zero: no pause began).
func AuditRefusal(now, pausedUntil time.Time, reason string) []byte {
	a := auditLine{Event: "card-refused", Time: now.UTC().Format(time.RFC3339), Reason: reason}
	if !pausedUntil.IsZero() {
		a.PausedUntil = pausedUntil.UTC().Format(time.RFC3339)
	}
	b, _ := json.Marshal(a)
	return append(b, '\n')
}
