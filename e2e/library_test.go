package e2e

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/sip2"
	"github.com/carekiosk/carekiosk/sip2/sip2test"
)

// libraryKiosk starts a kiosk in auth mode sip2 against a loopback SIP2 server; more is added
// to its [auth.sip2] table.
func libraryKiosk(t *testing.T, more string) (*kiosk, *sip2test.Server) {
	t.Helper()
	needDisplay(t)
	s := sip2test.Start(t, "kiosk7", "s3cret", false)
	creds := filepath.Join(t.TempDir(), "sip2.credentials")
	if err := os.WriteFile(creds, []byte("user = kiosk7\npassword = s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	st := quick
	st.top = fmt.Sprintf("[auth]\nmode = \"sip2\"\n[auth.sip2]\naddress = %q\ninstitution = \"test\"\ncredentials = %q\ntimeout = \"2s\"\n%s", s.Addr, creds, more)
	k := startKiosk(t, st)
	k.secrets = append(k.secrets, "s3cret")
	return k, s
}

// TestLibraryCardStartsASession: a card the library's SIP2 server knows as a valid patron
// starts a session; its number went to the server, and nowhere else (the log and audit).
func TestLibraryCardStartsASession(t *testing.T) {
	const card = "29990012345678"
	k, s := libraryKiosk(t, "")
	s.Add(card, sip2test.Patron{})
	k.beginSession(card)
	k.waitFor("the session", 30*time.Second, func(st session.Status) bool { return st.State == session.Active })
	if !strings.Contains(s.LastRequest(), "|AA"+card+"|") {
		t.Errorf("the server was not asked about the card: %q", s.LastRequest())
	}
	if n := s.Logins(); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

// TestLibraryCardRefused: a card the server flags (reported lost) gets the plain refused screen
// and an audit line without the number; with the server gone, a card gets "we can't check
// library cards right now".
func TestLibraryCardRefused(t *testing.T) {
	const lost = "29990087654321"
	k, s := libraryKiosk(t, "")
	s.Add(lost, sip2test.Patron{Flags: []sip2.Flag{sip2.CardLost}})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe(lost)
	k.waitScreen(session.Welcome, "refused", 30*time.Second)
	if a := k.nextAudit(10 * time.Second); a["event"] != "card-refused" || a["reason"] != "sip2-refused" {
		t.Errorf("audit = %v, want a sip2-refused card-refused line", a)
	}
	k.key("Return") // OK: back to the welcome screen
	k.waitScreen(session.Welcome, "welcome", 30*time.Second)
	s.Close()
	k.swipe(lost)
	k.waitScreen(session.Welcome, "card-check-down", 30*time.Second)
	if st, _ := k.Status(); st.SessionsTotal != 0 {
		t.Errorf("%d sessions, want none", st.SessionsTotal)
	}
	screenshot(t, ambient, "library-card-check-down")
}

// pinKeys are the centres of the PIN pad's keys on a 1280×1024 screen, on its first try (no
// "that PIN isn't right" above it): digit-1 … digit-9, then 0 and OK.
var pinKeys = map[rune][2]int{
	'1': {511, 447}, '2': {640, 447}, '3': {768, 447},
	'4': {511, 552}, '5': {640, 552}, '6': {768, 552},
	'7': {511, 656}, '8': {640, 656}, '9': {768, 656},
	'0': {640, 760}, 'K': {768, 760},
}

// TestLibraryPINPad: with require_pin the card brings up the PIN pad; the PIN touched on it goes
// to the server in AD, and the right one starts a session. Neither the number nor the PIN
// reaches the log. The keyboard works too: Tab to a key, Return to press it.
func TestLibraryPINPad(t *testing.T) {
	const card, pin = "29990033334444", "9753"
	k, s := libraryKiosk(t, "require_pin = true\n")
	k.secrets = append(k.secrets, pin)
	s.Add(card, sip2test.Patron{PIN: pin})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe(card)
	st := k.waitScreen(session.Welcome, "pin", 30*time.Second)
	screenshot(t, ambient, "library-pin-pad")
	redrawn := func(do func()) { // the pad is drawn afresh after each key, with nothing focused
		at := st.ScreenAt
		do()
		st = k.waitFor("the pad drawn again", 10*time.Second, func(s session.Status) bool { return s.ScreenAt != at })
	}
	for _, d := range pin[:2] {
		redrawn(func() { k.touch(pinKeys[d][0], pinKeys[d][1]) })
	}
	for _, d := range pin[2:] {
		redrawn(func() { k.key(append(slices.Repeat([]string{"Tab"}, int(d-'0')), "Return")...) }) // digit-1 … digit-9 come first
	}
	k.touch(pinKeys['K'][0], pinKeys['K'][1])
	k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	if !strings.Contains(s.LastRequest(), "|AD"+pin+"|") {
		t.Errorf("the PIN did not go to the server in AD")
	}
}

// TestLibraryPINPadShowsNoKey: a key of the PIN pad held down, and then let go, changes nothing
// on the pad (outside the pointer itself): no highlight, no focus ring, no animation tells
// someone watching which key was touched. Only the dots above the pad change.
func TestLibraryPINPadShowsNoKey(t *testing.T) {
	const card = "29990055556666"
	k, s := libraryKiosk(t, "require_pin = true\n")
	s.Add(card, sip2test.Patron{PIN: "1234"})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe(card)
	st := k.waitScreen(session.Welcome, "pin", 30*time.Second)
	before := shotPath(t, "library-pin-pad-before")
	if _, err := display.Settled(ambient, before, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	at := image.Pt(pinKeys['5'][0], pinKeys['5'][1])
	var shots []string
	err := ambient.Hold(k.shellPID(), at.X, at.Y, func() error {
		for i := range 3 {
			p := shotPath(t, fmt.Sprintf("library-pin-pad-down-%d", i))
			shots = append(shots, p)
			if err := ambient.Shot(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	k.waitFor("the pad drawn again", 10*time.Second, func(s session.Status) bool { return s.ScreenAt != st.ScreenAt })
	after := shotPath(t, "library-pin-pad-after")
	if _, err := display.Settled(ambient, after, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	pad := image.Rect(pinKeys['1'][0]-80, pinKeys['1'][1]-60, pinKeys['K'][0]+80, pinKeys['K'][1]+60)
	pointer := display.PointerArea(at)
	for _, shot := range append(shots, after) {
		if diff, err := display.Differ(before, shot, pad, pointer); err != nil || diff {
			t.Errorf("the pad in %s differs from before the touch (%v): it shows which key was touched", shot, err)
		}
	}
	if diff, _ := display.Differ(before, after, image.Rect(0, 0, 1280, pinKeys['1'][1]-60)); !diff {
		t.Error("the dots above the pad did not change: was the key touched?")
	}
}
