// Package sip2test is a SIP2 server on loopback for tests: the library's catalogue, as the
// kiosk sees it. It is written from the 3M/Bibliotheca SIP2 2.00 specification, like package
// sip2, because no open-source SIP2 server can be installed from the package registries this
// project builds with: Debian packages none (Koha's and Evergreen's SIPServer come with their
// whole library systems), and PyPI, not reachable from the build, lists SIP2 libraries (pysip2,
// a codec and server framework; invenio-sip2, a module of the Invenio library system) rather
// than a server to run. So that a misreading of the specification shared by both sides can't
// pass, the client's tests also check it against answers recorded from a real server (Replay)
// and the checksum example other implementations test with.
//
// It answers Login (93), SC Status (99), Patron Status (23) and Patron Information (63), and it
// can misbehave on demand: wrong checksums, answers without them, answers split over many
// writes, garbage, slowness beyond a client's timeout, and connections closed on a request (a
// dead server); it serves TLS with a self-signed certificate for 127.0.0.1 made at start
// (demo.NewCertificate).
package sip2test

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/demo"
	"github.com/carekiosk/carekiosk/sip2"
)

// Patron is a card the server knows.
type Patron struct {
	Invalid bool        // BL N: not a valid patron
	Flags   []sip2.Flag // the patron status flags set
	PIN     string      // the PIN that CQ confirms
}

// Behaviour is how the server answers; the zero value is a well-behaved server.
type Behaviour struct {
	BadChecksum bool          // every answer's checksum is off by one
	NoChecksum  bool          // answers carry no AY or AZ
	Split       bool          // each answer goes out one byte per write
	LF          bool          // answers end in CR LF, not CR
	Garbage     bool          // answers to patron requests are garbage
	Delay       time.Duration // wait this long before answering a patron request
	Hangup      string        // close the connection when a message with this code ("23") comes
	HangupOnce  bool          // … the first time only
	Offline     bool          // the SC status answer says off line
	// Replay answers every patron request with this message, as it is (its own trailer, if
	// any, included): an answer recorded from a real server.
	Replay string
}

// Server is a running SIP2 test server. Its methods are safe from any goroutine.
type Server struct {
	Addr   string // host:port it listens on
	CAPEM  []byte // with TLS, the certificate to trust (PEM)
	User   string // the login it accepts
	Pass   string
	ln     net.Listener
	closed chan struct{}

	mu       sync.Mutex
	b        Behaviour
	patrons  map[string]Patron
	logins   int
	requests []string // the codes of the messages received, in order
	conns    map[net.Conn]bool
	lastReq  []byte // the last patron request, for checking what the client sent
}

// Start starts a server on 127.0.0.1 that accepts the login user/pass, serving TLS if useTLS;
// it stops when the test ends.
func Start(t testing.TB, user, pass string, useTLS bool) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), User: user, Pass: pass, closed: make(chan struct{}),
		patrons: map[string]Patron{}, conns: map[net.Conn]bool{}}
	if useTLS {
		pair, pem, err := demo.NewCertificate(time.Now())
		if err != nil {
			t.Fatal(err)
		}
		s.CAPEM = pem
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12})
	}
	s.ln = ln
	go s.accept()
	t.Cleanup(s.Close)
	return s
}

// Add makes number a card the server knows.
func (s *Server) Add(number string, p Patron) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.patrons[number] = p
}

// Behave sets how the server answers from now on.
func (s *Server) Behave(b Behaviour) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b = b
}

// Logins is how many logins the server accepted.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Requests lists the codes of the messages received so far ("93", "99", "23", …).
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// LastRequest is the last patron request (23 or 63) received, as sent but its line ending.
func (s *Server) LastRequest() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.lastReq)
}

// DropConnections closes every open connection, as a server that times out idle clients.
func (s *Server) DropConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
	}
}

// Close stops the server: no more connections are taken, and those open are closed.
func (s *Server) Close() {
	select {
	case <-s.closed:
		return
	default:
	}
	close(s.closed)
	s.ln.Close()
	s.DropConnections()
}

func (s *Server) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
		go s.serve(c)
	}
}

// serve answers one connection's messages until it closes.
func (s *Server) serve(c net.Conn) {
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	buf := make([]byte, 0, 4096)
	chunk := make([]byte, 1024)
	loggedIn := false
	for {
		i := bytes.IndexAny(buf, "\r\n")
		if i < 0 {
			n, err := c.Read(chunk)
			if err != nil {
				return
			}
			buf = append(buf, chunk[:n]...)
			continue
		}
		line := string(buf[:i])
		buf = buf[i+1:]
		if line == "" {
			continue
		}
		answer, ok := s.answer(line, &loggedIn)
		if !ok {
			return
		}
		if !s.write(c, answer) {
			return
		}
	}
}

// answer is the answer to one message (without trailer or line ending), or false to hang up.
func (s *Server) answer(line string, loggedIn *bool) (string, bool) {
	body, seq, err := sip2.SplitTrailer([]byte(line))
	if err != nil {
		return "96", true // the client's checksum is wrong: ask again
	}
	msg := string(body)
	if len(msg) < 2 {
		return "", false
	}
	code := msg[:2]
	s.mu.Lock()
	b := s.b
	s.requests = append(s.requests, code)
	if b.Hangup == code {
		if b.HangupOnce {
			s.b.Hangup = ""
		}
		s.mu.Unlock()
		return "", false
	}
	s.mu.Unlock()
	var a string
	switch code {
	case "93":
		a = "940"
		if field(msg[4:], "CN") == s.User && field(msg[4:], "CO") == s.Pass {
			a = "941"
			*loggedIn = true
			s.mu.Lock()
			s.logins++
			s.mu.Unlock()
		}
	case "99":
		if !*loggedIn {
			return "", false
		}
		online := "Y"
		if b.Offline {
			online = "N"
		}
		a = "98" + online + "YYYNN" + "005" + "003" + sip2.Date(time.Now()) + "2.00" + "AOtest|BXYYYYYYYYYYYYYYYY|"
	case "23", "63":
		if !*loggedIn {
			return "", false
		}
		a = s.patron(code, msg, b)
	default:
		a = "96"
	}
	if seq != 0 && !b.NoChecksum && (b.Replay == "" || code == "93" || code == "99") {
		t := sip2.AppendTrailer([]byte(a), seq)
		if b.BadChecksum {
			t[len(t)-1] ^= 1
		}
		a = string(t)
	}
	return a, true
}

// patron answers message 23 or 63.
func (s *Server) patron(code, msg string, b Behaviour) string {
	s.mu.Lock()
	s.lastReq = []byte(msg)
	s.mu.Unlock()
	if b.Delay > 0 {
		select {
		case <-time.After(b.Delay):
		case <-s.closed:
		}
	}
	if b.Garbage {
		return "24\x00\xffnot a patron at all"
	}
	if b.Replay != "" {
		return b.Replay
	}
	fixed := 21 // 23: language (3), date (18)
	if code == "63" {
		fixed = 31 // … summary (10)
	}
	if len(msg) < 2+fixed {
		return "96"
	}
	number, pin := field(msg[2+fixed:], "AA"), field(msg[2+fixed:], "AD")
	s.mu.Lock()
	p, known := s.patrons[number]
	s.mu.Unlock()
	status := []byte(strings.Repeat(" ", 14))
	for _, f := range p.Flags {
		status[f] = 'Y'
	}
	yn := func(v bool) string {
		if v {
			return "Y"
		}
		return "N"
	}
	a := "24" + string(status) + "000" + sip2.Date(time.Now())
	if code == "63" {
		a = "64" + string(status) + "000" + sip2.Date(time.Now()) + strings.Repeat("0000", 6)
	}
	a += "AOtest|AA" + number + "|AEA Patron|BL" + yn(known && !p.Invalid) + "|"
	if pin != "" {
		a += "CQ" + yn(known && pin == p.PIN) + "|"
	}
	return a + "AFHello|"
}

// write sends an answer, whole or a byte at a time; false if the connection is gone.
func (s *Server) write(c net.Conn, a string) bool {
	s.mu.Lock()
	b := s.b
	s.mu.Unlock()
	a += "\r"
	if b.LF {
		a += "\n"
	}
	if !b.Split {
		_, err := c.Write([]byte(a))
		return err == nil
	}
	for i := range len(a) {
		if _, err := c.Write([]byte{a[i]}); err != nil {
			return false
		}
	}
	return true
}

// field is the value of the first field id in the variable part vars, or "".
func field(vars, id string) string {
	for _, f := range strings.Split(vars, "|") {
		if strings.HasPrefix(f, id) {
			return f[len(id):]
		}
	}
	return ""
}

// String describes the server for test logs.
func (s *Server) String() string { return fmt.Sprintf("sip2test server at %s", s.Addr) }
