// Package wire is the line protocol between the supervisor (carekiosk run) and a session's browser
// shell (carekiosk-shell): one JSON object per line over a socketpair the shell inherits as fd 3.
//
// The supervisor sends an Init first, then Commands; the shell sends Events. Neither side ever puts
// a card number, a URL query or page content on the wire: URLs are reduced with Redact first.
package wire

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sync"
)

// Init is the first message a shell receives: everything it needs to lock itself down.
type Init struct {
	AllowedHosts []string  `json:"allowed_hosts"`
	Trusted      []Trusted `json:"trusted"`
	Windowed     bool      `json:"windowed"` // dev: a normal window instead of full screen
	Width        int       `json:"width"`    // windowed size
	Height       int       `json:"height"`
	Hidden       bool      `json:"hidden"`             // start as a pre-warmed standby, off the screen; a Show command brings it on
	Script       string    `json:"script"`             // the kiosk's overlay script, run in an isolated world
	BlankPage    string    `json:"blank_page"`         // HTML of the page under the kiosk's own screens
	Printing     bool      `json:"printing,omitempty"` // window.print() goes to the default printer, no dialog; else refused
	Keyboard     bool      `json:"keyboard,omitempty"` // draw the on-screen keyboard under the page while a field has the focus
	// Accelerated: GPU compositing (CAREKIOSK_ACCELERATED in the supervisor's environment); else
	// WebKit renders in software (kiosk/hooks.c says why).
	Accelerated bool `json:"accelerated,omitempty"`
	// StandbyUnmapped: a Hidden standby waits unmapped, unpainted until shown, instead of off the
	// screen where it paints (X11); CAREKIOSK_STANDBY=hidden in the supervisor's environment.
	StandbyUnmapped bool `json:"standby_unmapped,omitempty"`
}

// Trusted is a provider's private certificate, accepted for exactly the hosts it names.
type Trusted struct {
	PEM   string   `json:"pem"`
	Hosts []string `json:"hosts"`
}

// Command kinds, supervisor → shell.
const (
	CmdUI       = "ui"       // render UI on top of the current page
	CmdNavigate = "navigate" // load URL in the session
	CmdShow     = "show"     // make a hidden standby window visible
	CmdReadUI   = "read-ui"  // report the text of the kiosk's own UI (EvUIText); for tests
	CmdHide     = "hide"     // take the window off the screen at once (a session that is ending)
	CmdRaise    = "raise"    // bring the window back on top of a standby mapped beneath it (Wayland)
	CmdPing     = "ping"     // answer with EvPong from the GTK thread (the supervisor's heartbeat)
)

// Command is one instruction from the supervisor.
type Command struct {
	Cmd string `json:"cmd"`
	URL string `json:"url,omitempty"`
	UI  *UI    `json:"ui,omitempty"`
}

// UI is everything the kiosk draws itself, as HTML fragments the supervisor rendered from the
// translated templates in assets. Empty fragments are not drawn. Countdowns are elements with a
// data-until attribute (Unix milliseconds) that the overlay script keeps up to date.
type UI struct {
	Screen  string `json:"screen,omitempty"`  // name of a full-screen kiosk screen ("welcome", "privacy", …), "" over a provider page
	HTML    string `json:"html,omitempty"`    // that screen's content
	Bar     string `json:"bar,omitempty"`     // the kiosk bar over provider pages
	Warning string `json:"warning,omitempty"` // a warning dialog; the page under it is blurred
	Focus   string `json:"focus,omitempty"`   // data-action of the button that takes keyboard focus
	Prompt  string `json:"prompt,omitempty"`  // name of the dialog in Warning ("warning", "password", "presence", …)
	Lang    string `json:"lang,omitempty"`    // language of the text ("en", "cy")
}

// ReadyOffscreen is EvReady's Detail from a standby that is mapped off the screen and paints there
// (X11). A standby without it stays unmapped until the supervisor shows it (Wayland: cage shows
// every mapped window).
const ReadyOffscreen = "offscreen"

// Event kinds, shell → supervisor.
const (
	EvReady    = "ready"      // the shell is up and its first page can draw the kiosk's screens (Detail: ReadyOffscreen or "")
	EvShown    = "shown"      // a screen was rendered and painted (Screen names it)
	EvButton   = "button"     // the patient pressed one of the kiosk's buttons (Name is its data-action)
	EvActivity = "activity"   // input from the patient (GTK events; throttled by the shell)
	EvLoad     = "load"       // a page became the view's document (URL, redacted)
	EvBlocked  = "blocked"    // a navigation was refused (URL, redacted)
	EvFailed   = "failed"     // a page failed to load (URL redacted, Detail the reason)
	EvPassword = "password"   // a password field took focus (the kiosk's script saw it)
	EvAuth     = "auth"       // a site asks for HTTP authentication; Detail "ask" (show the sign-in prompt) or "done" (answered or withdrawn)
	EvQuick    = "quick-exit" // the patient pressed the quick-exit key chord (Esc three times)
	EvPrint    = "print"      // a page printed (Printing on): Detail "sent", "failed" (no printer, job refused) or "limited" (more than 3 a minute: not printed)
	EvUIText   = "ui-text"    // answer to CmdReadUI: Detail is the visible text of the kiosk's own UI, never the page's
	EvPong     = "pong"       // answer to CmdPing: the shell's GTK main loop is turning
	EvKeyboard = "keyboard"   // the on-screen keyboard came up for a field (Detail "text" or "password") or went ("hidden")
)

// Event is one report from a shell.
type Event struct {
	Ev     string `json:"ev"`
	Screen string `json:"screen,omitempty"`
	Name   string `json:"name,omitempty"`
	URL    string `json:"url,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Redact reduces a URL to what may be shown and logged: scheme, host, port and path; never the
// query, fragment or user information. A string that is not a URL becomes "".
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return ""
	}
	if u.Opaque != "" {
		return u.Scheme + ":"
	}
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return r.String()
}

// Conn carries messages of one type each way over a stream. Send is safe from many goroutines.
type Conn struct {
	mu sync.Mutex
	w  io.Writer
	sc *bufio.Scanner
}

// maxLine bounds one message; screens with QR codes are the largest.
const maxLine = 4 << 20

// NewConn wraps a stream (usually one end of a socketpair).
func NewConn(rw io.ReadWriter) *Conn {
	sc := bufio.NewScanner(rw)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	return &Conn{w: rw, sc: sc}
}

// Send writes v as one line of JSON.
func (c *Conn) Send(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err = c.w.Write(append(b, '\n'))
	return err
}

// Receive reads the next line into v. It returns io.EOF when the other side closed cleanly.
func (c *Conn) Receive(v any) error {
	if !c.sc.Scan() {
		if err := c.sc.Err(); err != nil {
			return err
		}
		return io.EOF
	}
	if err := json.Unmarshal(c.sc.Bytes(), v); err != nil {
		return fmt.Errorf("malformed message: %w", err)
	}
	return nil
}
