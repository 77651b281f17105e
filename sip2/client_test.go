package sip2_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/sip2"
	"github.com/carekiosk/carekiosk/sip2/sip2test"
)

const (
	card  = "29990012345678"
	pin   = "4321"
	user  = "kiosk7"
	pass  = "s3cret"
	quick = 300 * time.Millisecond // the timeout of tests that wait for it
)

// Answers recorded from real servers, as published with other SIP2 implementations' tests.
const (
	// symphonyValid is a SirsiDynix Symphony server's answer 64 about a valid patron with the
	// right PIN, unedited: its checksum holds.
	symphonyValid = "64              00020130610    095814000000000000000000000000AO|AA21221015133926|AEBalzac, William (Dr)|AQEPLMNA|BZ0025|CA0041|CB0040|BLY|CQY|BV 0.00|BD11811 72 Ave. Edmonton, AB T6G 2B2|BEilsteam@epl.ca|BHUSD|PA20140514    235900|PD|PCEPL-ADULT|DB$0.00|DM$0.00|AFOK|AY0AZBA2C"
	// symphonyBlocked is the same server's answer about a blocked patron (charge, renewal,
	// recall and hold privileges denied; excessive fines), its test data edited (so its
	// checksum no longer holds).
	symphonyBlocked = "64YYYY      Y   00020130606    115820000000000000000100000000AO|AA21221012345678|AEBilly, Balzac|AQEPLMNA|BZ0025|CA0041|CB0040|BLY|CQY|BV 12.00|BD7 Sir Winston Churchill Square Edmonton, AB T5J 2V4 780-340-9998|BEilsteam@epl.ca|BHUSD|PA20140321    235900|PD20050303|PCEPL-THREE|PFM|DB$0.00|DM$0.00|AFUser BLOCKED|AY0AZACC6"
)

// TestChecksum: SC status "9900401.00AY1AZFCA5", the example other SIP2 implementations test
// with (FOLIO's edge-sip2 among them), and a real server's long answer.
func TestChecksum(t *testing.T) {
	if got := sip2.Checksum([]byte("9900401.00AY1AZ")); got != 0xFCA5 {
		t.Errorf("checksum = %04X, want FCA5", got)
	}
	if got := string(sip2.AppendTrailer([]byte("9900401.00"), '1')); got != "9900401.00AY1AZFCA5" {
		t.Errorf("with trailer: %q", got)
	}
	if body, seq, err := sip2.SplitTrailer([]byte(symphonyValid)); err != nil || seq != '0' || len(body) != len(symphonyValid)-9 {
		t.Errorf("a real server's answer: %v, seq %q", err, seq)
	}
	for _, tc := range []struct {
		msg     string
		body    string
		seq     byte
		wantErr bool
	}{
		{"9900401.00AY1AZFCA5", "9900401.00", '1', false},
		{"9900401.00AY1AZfca5", "9900401.00", '1', false},
		{"9900401.00AY1AZFCA6", "", 0, true},
		{"9900401.00AY2AZFCA5", "", 0, true},
		{"9900401.00AY1AZFCXX", "", 0, true},
		{"9900401.00", "9900401.00", 0, false},
		{"", "", 0, false},
	} {
		body, seq, err := sip2.SplitTrailer([]byte(tc.msg))
		if (err != nil) != tc.wantErr || err == nil && (string(body) != tc.body || seq != tc.seq) {
			t.Errorf("SplitTrailer(%q) = %q, %q, %v", tc.msg, body, seq, err)
		}
	}
}

// client is a client of s with the test's login, checksums on, and o's changes.
func client(t *testing.T, s *sip2test.Server, change func(*sip2.Options)) *sip2.Client {
	o := sip2.Options{Address: s.Addr, User: user, Password: pass, Institution: "test", Location: "desk1",
		Checksums: true, Timeout: 5 * time.Second}
	if change != nil {
		change(&o)
	}
	c := sip2.New(o)
	t.Cleanup(func() { c.Close() })
	return c
}

// TestCheck: the answers of a good server, each refusal, each fault, and what the client makes
// of them. No error holds the card number or PIN.
func TestCheck(t *testing.T) {
	type tc struct {
		name    string
		patron  *sip2test.Patron // nil: an unknown card
		pin     string
		b       sip2test.Behaviour
		change  func(*sip2.Options)
		want    sip2.Verdict
		wantErr error // errors.Is; or any error when errText is set
		errText string
	}
	valid := &sip2test.Patron{PIN: pin}
	cases := []tc{
		{name: "valid, 23", patron: valid, want: sip2.Allowed},
		{name: "valid, 63", patron: valid, change: func(o *sip2.Options) { o.Message = sip2.PatronInformation }, want: sip2.Allowed},
		{name: "no checksums either side", patron: valid, b: sip2test.Behaviour{NoChecksum: true},
			change: func(o *sip2.Options) { o.Checksums = false }, want: sip2.Allowed},
		{name: "checksums off, answered with them", patron: valid, change: func(o *sip2.Options) { o.Checksums = false }, want: sip2.Allowed},
		{name: "CR LF both ways", patron: valid, b: sip2test.Behaviour{LF: true}, change: func(o *sip2.Options) { o.CRLF = true }, want: sip2.Allowed},
		{name: "split answers", patron: valid, b: sip2test.Behaviour{Split: true, LF: true}, want: sip2.Allowed},
		{name: "split answers, 63", patron: valid, b: sip2test.Behaviour{Split: true},
			change: func(o *sip2.Options) { o.Message = sip2.PatronInformation }, want: sip2.Allowed},
		{name: "not valid", patron: &sip2test.Patron{Invalid: true}, want: sip2.Refused},
		{name: "unknown card", want: sip2.Refused},
		{name: "PIN right", patron: valid, pin: pin, want: sip2.Allowed},
		{name: "PIN right, 63", patron: valid, pin: pin, change: func(o *sip2.Options) { o.Message = sip2.PatronInformation }, want: sip2.Allowed},
		{name: "PIN wrong", patron: valid, pin: "0000", want: sip2.WrongPIN},
		{name: "PIN for an unknown card", pin: pin, want: sip2.WrongPIN},
		{name: "PIN right, card lost", patron: &sip2test.Patron{PIN: pin, Flags: []sip2.Flag{sip2.CardLost}}, pin: pin, want: sip2.Refused},
		{name: "bad checksum", patron: valid, b: sip2test.Behaviour{BadChecksum: true}, wantErr: sip2.ErrChecksum},
		{name: "no checksum when required", patron: valid, b: sip2test.Behaviour{NoChecksum: true}, wantErr: sip2.ErrNoChecksum},
		{name: "garbage", patron: valid, b: sip2test.Behaviour{Garbage: true}, wantErr: sip2.ErrGarbled},
		{name: "garbage, no checksums", patron: valid, b: sip2test.Behaviour{Garbage: true, NoChecksum: true},
			change: func(o *sip2.Options) { o.Checksums = false }, wantErr: sip2.ErrGarbled},
		{name: "slow", patron: valid, b: sip2test.Behaviour{Delay: 10 * quick},
			change: func(o *sip2.Options) { o.Timeout = quick }, wantErr: os.ErrDeadlineExceeded},
		{name: "dead on every request", patron: valid, b: sip2test.Behaviour{Hangup: "23"}, errText: "EOF"},
		{name: "dead at login", patron: valid, b: sip2test.Behaviour{Hangup: "93"}, errText: "login"},
		{name: "off line", patron: valid, b: sip2test.Behaviour{Offline: true}, wantErr: sip2.ErrOffline},
		{name: "wrong password", patron: valid, change: func(o *sip2.Options) { o.Password = "nope" }, wantErr: sip2.ErrLoginRefused},
		{name: "recorded: valid, right PIN", pin: pin, b: sip2test.Behaviour{Replay: symphonyValid},
			change: func(o *sip2.Options) { o.Message, o.Checksums = sip2.PatronInformation, false }, want: sip2.Allowed},
		{name: "recorded: blocked", pin: pin, b: sip2test.Behaviour{Replay: symphonyBlocked},
			change: func(o *sip2.Options) { o.Message, o.Checksums = sip2.PatronInformation, false }, want: sip2.Refused},
		{name: "recorded, with checksums: out of sequence", b: sip2test.Behaviour{Replay: symphonyValid},
			change: func(o *sip2.Options) { o.Message = sip2.PatronInformation }, errText: "sequence number"},
	}
	for f := range sip2.TooManyBilled + 1 {
		cases = append(cases, tc{name: "flag " + f.String(), patron: &sip2test.Patron{Flags: []sip2.Flag{f}},
			want: map[bool]sip2.Verdict{true: sip2.Refused, false: sip2.Allowed}[slices.Contains(sip2.Refusing, f)]})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := sip2test.Start(t, user, pass, false)
			if tc.patron != nil {
				s.Add(card, *tc.patron)
			}
			s.Behave(tc.b)
			c := client(t, s, tc.change)
			var p []byte
			if tc.pin != "" {
				p = []byte(tc.pin)
			}
			start := time.Now()
			got, err := c.Check(context.Background(), []byte(card), p)
			switch {
			case tc.wantErr == nil && tc.errText == "":
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				if v := got.Verdict(); v != tc.want {
					t.Errorf("verdict %v (%+v), want %v", v, got, tc.want)
				}
				if sip2.Buffered(c) {
					t.Error("the client still holds bytes of the answer")
				}
			case err == nil:
				t.Fatalf("Check = %+v, want an error", got)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr), !strings.Contains(err.Error(), tc.errText):
				t.Errorf("error %q, want %v %q", err, tc.wantErr, tc.errText)
			}
			if err != nil && (strings.Contains(err.Error(), card) || strings.Contains(err.Error(), pin)) {
				t.Errorf("error %q holds the card number or PIN", err)
			}
			if time.Since(start) > 3*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
		})
	}
}

// TestRequest: what goes to the server: AO, the number in AA, the PIN in AD, a checksum it
// accepts (it would ask for a resend), and the unit's login before the first request.
func TestRequest(t *testing.T) {
	s := sip2test.Start(t, user, pass, false)
	s.Add(card, sip2test.Patron{PIN: pin})
	c := client(t, s, nil)
	if _, err := c.Check(context.Background(), []byte(card), []byte(pin)); err != nil {
		t.Fatal(err)
	}
	req := s.LastRequest()
	for _, want := range []string{"AOtest|", "|AA" + card + "|", "|AD" + pin + "|"} {
		if !strings.Contains(req, want) {
			t.Errorf("request %q lacks %q", req, want)
		}
	}
	if got, want := s.Requests(), []string{"93", "99", "23"}; !slices.Equal(got, want) {
		t.Errorf("messages %v, want %v", got, want)
	}
}

// TestReconnect: a connection the server dropped is found broken at the next check, which logs
// in again and succeeds; a server that hangs up once on a request is asked again.
func TestReconnect(t *testing.T) {
	s := sip2test.Start(t, user, pass, false)
	s.Add(card, sip2test.Patron{})
	c := client(t, s, nil)
	check := func(when string) {
		t.Helper()
		p, err := c.Check(context.Background(), []byte(card), nil)
		if err != nil || p.Verdict() != sip2.Allowed {
			t.Fatalf("%s: %+v, %v", when, p, err)
		}
	}
	check("first")
	check("on the same connection")
	if n := s.Logins(); n != 1 {
		t.Fatalf("%d logins, want 1", n)
	}
	s.DropConnections()
	check("after the server dropped the connection")
	if n := s.Logins(); n != 2 {
		t.Errorf("%d logins after a reconnect, want 2", n)
	}
	s.Behave(sip2test.Behaviour{Hangup: "23", HangupOnce: true})
	check("after a hang-up on the request")
	if n := s.Logins(); n != 3 {
		t.Errorf("%d logins after a hang-up, want 3", n)
	}
	s.Behave(sip2test.Behaviour{Hangup: "23"}) // dead for good: one reconnect, no more
	if _, err := c.Check(context.Background(), []byte(card), nil); err == nil {
		t.Fatal("a server that always hangs up: no error")
	}
	if n := s.Logins(); n != 4 {
		t.Errorf("%d logins after a dead server, want 4: one reconnect", n)
	}
	if _, err := client(t, s, nil).Check(context.Background(), []byte(card), nil); err == nil {
		t.Fatal("a server that always hangs up, from a new client: no error")
	}
	if n := s.Logins(); n != 5 {
		t.Errorf("%d logins after a new client's check, want 5: a fresh connection that breaks is not retried", n)
	}
}

// TestDown: a server that isn't there fails at once, without hanging.
func TestDown(t *testing.T) {
	s := sip2test.Start(t, user, pass, false)
	s.Close()
	c := client(t, s, nil)
	if _, err := c.Check(context.Background(), []byte(card), nil); err == nil || !strings.Contains(err.Error(), "connecting") {
		t.Errorf("Check of a closed server: %v, want a connection error", err)
	}
	if err := c.Probe(context.Background()); err == nil {
		t.Error("Probe of a closed server: no error")
	}
}

// TestTLS: with the server's CA the check goes through; without it the connection fails.
func TestTLS(t *testing.T) {
	s := sip2test.Start(t, user, pass, true)
	s.Add(card, sip2test.Patron{})
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CAPEM) {
		t.Fatal("no CA")
	}
	c := client(t, s, func(o *sip2.Options) { o.TLS = &tls.Config{RootCAs: pool} })
	if p, err := c.Check(context.Background(), []byte(card), nil); err != nil || p.Verdict() != sip2.Allowed {
		t.Errorf("over TLS: %+v, %v", p, err)
	}
	c = client(t, s, func(o *sip2.Options) { o.TLS = &tls.Config{} })
	if _, err := c.Check(context.Background(), []byte(card), nil); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("over TLS without the CA: %v, want a certificate error", err)
	}
	c = client(t, s, nil)
	if _, err := c.Check(context.Background(), []byte(card), nil); err == nil {
		t.Error("plain TCP to a TLS server: no error")
	}
}

// TestContext: a context that ends cuts the exchange short.
func TestContext(t *testing.T) {
	s := sip2test.Start(t, user, pass, false)
	s.Add(card, sip2test.Patron{})
	s.Behave(sip2test.Behaviour{Delay: time.Minute})
	c := client(t, s, nil)
	ctx, cancel := context.WithTimeout(context.Background(), quick)
	defer cancel()
	start := time.Now()
	if _, err := c.Check(ctx, []byte(card), nil); err == nil {
		t.Error("no error")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}

// FuzzAnswer: no answer, however garbled, makes the parser panic.
func FuzzAnswer(f *testing.F) {
	f.Add([]byte("24              00020261127    101010AOtest|AA1|BLY|CQY|AY1AZF000"))
	f.Add([]byte("9900401.00AY1AZFCA5"))
	f.Add([]byte(symphonyValid))
	f.Add([]byte("24"))
	f.Fuzz(func(t *testing.T, b []byte) {
		body, _, err := sip2.SplitTrailer(b)
		if err != nil {
			return
		}
		m, err := sip2.Parse(body, "24", 35)
		if err != nil {
			return
		}
		m.Field("BL")
		m.Flag("CQ")
	})
}
