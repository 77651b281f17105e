package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/hardware"
	"github.com/carekiosk/carekiosk/internal/syncbuf"
	"github.com/carekiosk/carekiosk/sip2"
	"github.com/carekiosk/carekiosk/sip2/sip2test"
	"github.com/carekiosk/carekiosk/ui"
)

const (
	libCard  = "29990012345678"
	libPIN   = "2468"
	techCard = "9999000011112222"
)

// fakeManager records what the desk asks of the session manager, one word each.
type fakeManager struct {
	calls chan string
	takes bool
}

func (m *fakeManager) CardID(id string)        { m.calls <- "session " + id }
func (m *fakeManager) CardRemoved(string) bool { return false }
func (m *fakeManager) CardRefused()            { m.calls <- "refused" }
func (m *fakeManager) CardCheckDown()          { m.calls <- "down" }
func (m *fakeManager) AskPIN(triesLeft int) bool {
	m.calls <- fmt.Sprint("pin ", triesLeft)
	return true
}
func (m *fakeManager) TakesCards() bool             { return m.takes }
func (m *fakeManager) Technician(ui.TechnicianInfo) { m.calls <- "technician" }
func (m *fakeManager) ReaderPaused(on bool)         { m.calls <- fmt.Sprint("paused ", on) }
func (m *fakeManager) SIP2Check(result string)      { m.calls <- "metric " + result }
func (m *fakeManager) next(t *testing.T) string {
	t.Helper()
	select {
	case c := <-m.calls:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("the desk did nothing")
		return ""
	}
}

// expect takes the next calls and checks them.
func (m *fakeManager) expect(t *testing.T, want ...string) {
	t.Helper()
	var got []string
	for range want {
		got = append(got, m.next(t))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("the desk did %q, want %q", got, want)
	}
}

// libraryRig is a card desk in mode sip2 against a test server.
type libraryRig struct {
	d     *cardDesk
	m     *fakeManager
	s     *sip2test.Server
	keyer *hardware.Keyer
	audit *syncbuf.Buffer
	logs  *syncbuf.Buffer
}

func newLibraryRig(t *testing.T, requirePIN bool) *libraryRig {
	dir := t.TempDir()
	creds := filepath.Join(dir, "sip2.credentials")
	if err := os.WriteFile(creds, []byte("user = kiosk\npassword = pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &libraryRig{m: &fakeManager{calls: make(chan string, 16), takes: true}, s: sip2test.Start(t, "kiosk", "pw", false),
		keyer: hardware.NewKeyer(make([]byte, 32)), audit: &syncbuf.Buffer{}, logs: &syncbuf.Buffer{}}
	cfg := config.Default()
	cfg.Auth.Mode = config.AuthSIP2
	cfg.Auth.MaxRefusals = 10
	cfg.Auth.TechnicianCards = []string{string(r.id(techCard))}
	cfg.Auth.SIP2 = config.SIP2{Address: r.s.Addr, Credentials: creds, Institution: "lib", Message: "23",
		RequirePIN: requirePIN, Timeout: config.Duration(time.Second), LineEnding: "cr", Checksums: true}
	d, err := newCardDesk(&cfg, r.m, unitAbout{"test-unit", func() string { return "" }}, r.audit, slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})), r.m)
	if err != nil {
		t.Fatal(err)
	}
	r.d = d
	t.Cleanup(func() {
		for _, out := range []string{r.audit.String(), r.logs.String()} {
			if strings.Contains(out, libCard) || strings.Contains(out, libPIN) {
				t.Errorf("the audit or log holds the card number or PIN:\n%s", out)
			}
		}
	})
	return r
}

func (r *libraryRig) id(number string) hardware.Identity {
	return hardware.Identity(fmt.Sprintf("%x", number)) // any stable stand-in for the HMAC
}

// read is the reader's event for number, with the number sealed; it returns the number so that
// the test can see it wiped.
func (r *libraryRig) read(number string) hardware.CardNumber {
	n := hardware.NewCardNumber([]byte(number))
	r.d.card(hardware.Event{Kind: hardware.Card, Card: r.id(number), Number: n})
	return n
}

// TestLibraryCards: what the desk does with each answer of the library's server, without a PIN.
func TestLibraryCards(t *testing.T) {
	for _, tc := range []struct {
		name   string
		patron *sip2test.Patron
		b      sip2test.Behaviour
		want   []string
		audit  string
	}{
		{"valid patron", &sip2test.Patron{}, sip2test.Behaviour{}, []string{"metric allowed", "session " + string((&libraryRig{}).id(libCard))}, ""},
		{"card reported lost", &sip2test.Patron{Flags: []sip2.Flag{sip2.CardLost}}, sip2test.Behaviour{}, []string{"metric refused", "refused"}, `"reason":"sip2-refused"`},
		{"charge privileges denied", &sip2test.Patron{Flags: []sip2.Flag{sip2.ChargeDenied}}, sip2test.Behaviour{}, []string{"metric refused", "refused"}, `"reason":"sip2-refused"`},
		{"fines are not a reason", &sip2test.Patron{Flags: []sip2.Flag{sip2.ExcessiveFines}}, sip2test.Behaviour{}, []string{"metric allowed", "session " + string((&libraryRig{}).id(libCard))}, ""},
		{"unknown card", nil, sip2test.Behaviour{}, []string{"metric refused", "refused"}, `"reason":"sip2-refused"`},
		{"garbage", &sip2test.Patron{}, sip2test.Behaviour{Garbage: true}, []string{"metric error", "down"}, ""},
		{"dead", &sip2test.Patron{}, sip2test.Behaviour{Hangup: "23"}, []string{"metric error", "down"}, ""},
		{"slow", &sip2test.Patron{}, sip2test.Behaviour{Delay: time.Minute}, []string{"metric error", "down"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newLibraryRig(t, false)
			if tc.patron != nil {
				r.s.Add(libCard, *tc.patron)
			}
			r.s.Behave(tc.b)
			n := r.read(libCard)
			r.m.expect(t, tc.want...)
			if !n.Empty() {
				t.Error("the card number was not wiped after the check")
			}
			if a := r.audit.String(); tc.audit == "" && a != "" || !strings.Contains(a, tc.audit) {
				t.Errorf("audit %q, want %q", a, tc.audit)
			}
		})
	}
}

// TestLibraryDown: a server that isn't there fails closed, and the log says so for the
// technician without the card.
func TestLibraryDown(t *testing.T) {
	r := newLibraryRig(t, false)
	r.s.Close()
	r.read(libCard)
	r.m.expect(t, "metric error", "down")
	if !strings.Contains(r.logs.String(), "could not be checked") {
		t.Errorf("log %q: want the failure", r.logs.String())
	}
}

// TestLibraryTechnicianFirst: a technician card opens the technician screen without asking the
// server; a card read when the kiosk takes none goes nowhere.
func TestLibraryTechnicianFirst(t *testing.T) {
	r := newLibraryRig(t, false)
	r.read(techCard)
	r.m.expect(t, "technician")
	r.m.takes = false
	if n := r.read(libCard); !n.Empty() {
		t.Error("an ignored card's number was not wiped")
	}
	if got := r.s.Requests(); len(got) != 0 {
		t.Errorf("the server was asked %v", got)
	}
	select {
	case c := <-r.m.calls:
		t.Errorf("an ignored card did %q", c)
	default:
	}
}

// TestLibraryPIN: the PIN pad first; a right PIN starts a session; three wrong PINs refuse the
// card and block it, and the blocked card is refused without asking the server again.
func TestLibraryPIN(t *testing.T) {
	r := newLibraryRig(t, true)
	r.s.Add(libCard, sip2test.Patron{PIN: libPIN})
	id := string(r.id(libCard))

	n := r.read(libCard)
	r.m.expect(t, "pin 0")
	if n.Empty() {
		t.Fatal("the number was wiped before the PIN came")
	}
	r.d.PINEntered([]byte(libPIN))
	r.m.expect(t, "metric allowed", "session "+id)
	if !n.Empty() {
		t.Error("the number was not wiped after the check")
	}
	if !strings.Contains(r.s.LastRequest(), "|AD"+libPIN+"|") {
		t.Error("the PIN did not go in AD")
	}

	n = r.read(libCard)
	r.m.expect(t, "pin 0")
	r.d.PINCancelled()
	if !n.Empty() {
		t.Error("Cancel did not wipe the number")
	}

	r.read(libCard)
	r.m.expect(t, "pin 0")
	for _, want := range []string{"pin 2", "pin 1"} {
		pin := []byte("0000")
		r.d.PINEntered(pin)
		r.m.expect(t, "metric wrong-pin", want)
	}
	r.d.PINEntered([]byte("1111"))
	r.m.expect(t, "metric wrong-pin", "refused")
	if !strings.Contains(r.audit.String(), `"reason":"wrong-pin"`) {
		t.Errorf("audit %q: want a wrong-pin refusal", r.audit.String())
	}
	asked := len(r.s.Requests())
	r.read(libCard)
	r.m.expect(t, "refused")
	if len(r.s.Requests()) != asked {
		t.Error("a blocked card was sent to the server")
	}
	if c := bytes.Count([]byte(r.audit.String()), []byte("card-refused")); c != 2 {
		t.Errorf("%d refusals audited, want 2", c)
	}
}
