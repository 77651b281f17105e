package sip2

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"
)

// The patron messages a server may be asked (Options.Message).
const (
	PatronStatus      = "23" // Patron Status Request, answered by 24
	PatronInformation = "63" // Patron Information, answered by 64
)

// DefaultTimeout bounds each exchange when Options.Timeout is 0.
const DefaultTimeout = 5 * time.Second

// Options say which server to ask and how; Configure makes them from the config's [auth.sip2]
// table.
type Options struct {
	Address string      // host:port
	TLS     *tls.Config // nil: plain TCP
	// User and Password are the unit's SIP login (CN and CO of message 93).
	User, Password string
	Location       string // CP of the login: the terminal's location code; may be ""
	Institution    string // AO: the institution id
	Message        string // PatronStatus or PatronInformation ("": PatronStatus)
	// Checksums sends AY and AZ on each message and requires them, correct, on each answer.
	Checksums bool
	CRLF      bool          // end messages with CR LF rather than CR
	Timeout   time.Duration // bounds connecting, and each exchange; 0: DefaultTimeout
	Now       func() time.Time
}

// ErrLoginRefused is a server's answer 940 to the login: wrong user or password.
var ErrLoginRefused = errors.New("the server refused the login (answer 940): check the SIP user and password")

// ErrNoChecksum is an answer without the AY and AZ fields, from a server asked for them.
var ErrNoChecksum = errors.New("the answer has no checksum (AY, AZ): turn checksums off for this server")

// ErrOffline is an SC status answer that says the server is off line.
var ErrOffline = errors.New("the server says it is off line (answer 98, on-line status N)")

// Client asks one SIP2 server about cards, over one connection that it opens when first needed
// and keeps. It is safe for concurrent use; checks go one at a time.
type Client struct {
	o   Options
	mu  sync.Mutex
	c   net.Conn
	in  *lineReader
	seq byte // the sequence number of the last message sent
}

// New returns a client for o; it connects at the first Check or Probe.
func New(o Options) *Client {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Message == "" {
		o.Message = PatronStatus
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Client{o: o, seq: '9'}
}

// Close closes the connection, if one is open.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop()
	return nil
}

// Probe connects and logs in anew (SC status included), for doctor: nil means the server
// answers and takes the unit's login.
func (c *Client) Probe(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop()
	return c.connect(ctx)
}

// Check asks the server about the card number, with pin (nil: none) in AD. It lends number and
// pin for the exchange only: it zeroes its own copies, not the caller's. An error means the
// server could not be asked or answered something unusable; the kiosk then fails closed. It
// reconnects, and logs in again, once if the connection it had turns out to be broken.
func (c *Client) Check(ctx context.Context, number, pin []byte) (Patron, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	req := c.patronRequest(number, pin)
	defer clear(req)
	want, fixed := "24", 35
	if c.o.Message == PatronInformation {
		want, fixed = "64", 59
	}
	for retried := false; ; retried = true {
		fresh := c.c == nil
		if fresh {
			if err := c.connect(ctx); err != nil {
				return Patron{}, err
			}
		}
		m, err := c.exchange(ctx, req, want, fixed)
		if err == nil {
			p := Patron{Valid: m.Flag("BL"), Status: parseStatus(m.Fixed[:numFlags]), PINSent: pin != nil, PINOK: m.Flag("CQ")}
			c.in.wipe()
			return p, nil
		}
		c.drop()
		if fresh || retried || !broken(err) {
			return Patron{}, fmt.Errorf("sip2 %s: patron %s: %w", c.o.Address, c.o.Message, err)
		}
	}
}

// patronRequest is message 23 or 63 about number, with pin in AD when not nil.
func (c *Client) patronRequest(number, pin []byte) []byte {
	b := make([]byte, 0, 128+len(number)+len(pin))
	b = append(b, c.o.Message...)
	b = append(b, "000"...) // language: unknown
	b = append(b, Date(c.o.Now())...)
	if c.o.Message == PatronInformation {
		b = append(b, "          "...) // summary: no item lists
	}
	b = append(b, "AO"...)
	b = append(b, c.o.Institution...)
	b = append(b, "|AA"...)
	b = append(b, number...)
	b = append(b, "|AC|"...)
	if pin != nil || c.o.Message == PatronStatus { // AD is required in 23, optional in 63
		b = append(b, "AD"...)
		b = append(b, pin...)
		b = append(b, '|')
	}
	return b
}

// connect dials the server, logs in (93/94) and asks its status (99/98).
func (c *Client) connect(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	d := &net.Dialer{}
	var conn net.Conn
	var err error
	if c.o.TLS != nil {
		conn, err = (&tls.Dialer{NetDialer: d, Config: c.o.TLS}).DialContext(ctx, "tcp", c.o.Address)
	} else {
		conn, err = d.DialContext(ctx, "tcp", c.o.Address)
	}
	if err != nil {
		return fmt.Errorf("sip2 %s: connecting: %w", c.o.Address, err)
	}
	c.c, c.in = conn, &lineReader{r: conn}
	login := []byte("9300CN" + c.o.User + "|CO" + c.o.Password + "|")
	if c.o.Location != "" {
		login = append(login, "CP"+c.o.Location+"|"...)
	}
	m, err := c.exchange(ctx, login, "94", 1)
	clear(login)
	if err == nil && m.Fixed[0] != '1' {
		err = ErrLoginRefused
	}
	if err != nil {
		c.drop()
		return fmt.Errorf("sip2 %s: login: %w", c.o.Address, err)
	}
	m, err = c.exchange(ctx, []byte("9900402.00"), "98", 34)
	if err == nil && m.Fixed[0] != 'Y' {
		err = ErrOffline
	}
	if err != nil {
		c.drop()
		return fmt.Errorf("sip2 %s: status: %w", c.o.Address, err)
	}
	c.in.wipe()
	return nil
}

// exchange sends req and reads the answer, which must be want with a fixed part of fixed bytes.
// A "96" (the server asks for a resend: it found the checksum wrong) gets one resend. The
// exchange has Options.Timeout, or less if ctx ends sooner.
func (c *Client) exchange(ctx context.Context, req []byte, want string, fixed int) (Message, error) {
	deadline := c.o.Now().Add(c.o.Timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := c.c.SetDeadline(deadline); err != nil {
		return Message{}, err
	}
	stop := context.AfterFunc(ctx, func() { c.c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c.seq = '0' + (c.seq-'0'+1)%10
	out := make([]byte, 0, len(req)+trailerLen+2)
	out = append(out, req...)
	if c.o.Checksums {
		out = AppendTrailer(out, c.seq)
	}
	out = append(out, '\r')
	if c.o.CRLF {
		out = append(out, '\n')
	}
	defer clear(out)
	for resent := false; ; resent = true {
		if _, err := c.c.Write(out); err != nil {
			return Message{}, err
		}
		line, err := c.in.line()
		if err != nil {
			return Message{}, err
		}
		if bytes.HasPrefix(line, []byte("96")) {
			if resent {
				return Message{}, errors.New("the server asked twice for the message again (answer 96)")
			}
			continue
		}
		body, seq := line, byte(0)
		if c.o.Checksums {
			if body, seq, err = SplitTrailer(line); err != nil {
				return Message{}, err
			}
			switch {
			case seq == 0:
				return Message{}, ErrNoChecksum
			case seq != c.seq:
				return Message{}, errors.New("the answer's sequence number (AY) is not the request's")
			}
		} else if b, _, err := SplitTrailer(line); err == nil {
			body = b // a trailer we did not ask for: not checked, not part of the message
		}
		return Parse(body, want, fixed)
	}
}

// drop closes the connection and forgets what was read from it.
func (c *Client) drop() {
	if c.c != nil {
		c.c.Close()
		c.c = nil
	}
	if c.in != nil {
		c.in.wipe()
		c.in = nil
	}
}

// broken reports whether err says the connection is gone (the server closed it, or reset it),
// rather than slow or confused: such a connection is worth one reconnect.
func broken(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed)
}
