package hardware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultBaud is the rate used when Options.Baud is 0.
const DefaultBaud = 9600

// The kinds of reader (Options.Kind): how a reader is attached.
const (
	// KindSerial is a reader on a serial line: RS-232, or a USB serial adapter (/dev/ttyUSB0).
	KindSerial = "serial"
	// KindKeyboard is a USB HID "keyboard wedge" reader, which types each card as key presses:
	// an evdev input device, grabbed so that its keys reach nothing else (keyport.go).
	KindKeyboard = "keyboard"
)

// Kinds returns the kinds of reader, KindSerial (the default) first.
func Kinds() []string { return []string{KindSerial, KindKeyboard} }

// Options says which reader to open and how to decode it. config.Reader.Options makes it from
// the [reader] table of the config; this package does not import config.
type Options struct {
	// Kind is how the reader is attached: KindSerial ("" means it too) or KindKeyboard.
	Kind string
	// Device is e.g. /dev/carekiosk-reader or a pty slave's path (serial), or
	// /dev/input/by-id/…-event-kbd (keyboard).
	Device   string
	Baud     int    // serial only: a Linux termios rate (9600, 19200, …; not 256000); 0 means DefaultBaud
	Protocol string // one of Protocols(Kind): "line", "magstripe" or (serial only) "em4100"

	// Pattern is the RE2 expression a card number must match whole; "" means
	// DefaultLinePattern. With "line" it is matched against the line trimmed of CR, LF and
	// surrounding spaces; with "magstripe", against the primary account number; "em4100"
	// ignores it.
	Pattern string
	// Luhn ("line", "magstripe") also requires the number to end with a valid Luhn check digit.
	Luhn bool
	// RemovalGap ("em4100") is how long without a valid frame before the card lying on the
	// reader counts as removed; 0 (or less) means DefaultRemovalGap. It is measured in read
	// timeouts, so it is rounded up to about the next 100ms.
	RemovalGap time.Duration

	Retry time.Duration // how often to retry opening a missing or failed device; 0 (or less) means 1s

	// KeepNumber puts each card's number, sealed, on its Card event (Event.Number), for a
	// library's SIP2 check: the one place a number may go. Off, no number leaves the Reader.
	KeepNumber bool
}

// Reader reads cards from one device for as long as its Run's context lives, reopening
// the device whenever it comes back.
type Reader struct {
	opts      Options
	keyer     *Keyer
	log       *slog.Logger
	decoder   func(Options) (decoder, error) // a fresh one for each connection
	connected atomic.Bool

	openKeys   func(dev string) (keySource, error) // opens a keyboard reader: openEvdev, or a test's stream
	openFailed func()                              // test hook: called after each failed open
}

// NewReader returns a Reader for opts that names cards with keyer and logs to log (nil: no
// logging). It fails only for bad options: no device, an unknown kind, a serial baud rate Linux
// cannot set (a keyboard reader's is ignored), an unknown protocol or one the kind cannot use, a
// bad pattern, or no keyer. It does not open the device: Run does.
func NewReader(opts Options, keyer *Keyer, log *slog.Logger) (*Reader, error) {
	if opts.Kind == "" {
		opts.Kind = KindSerial
	}
	if opts.Baud == 0 {
		opts.Baud = DefaultBaud
	}
	if opts.Retry <= 0 {
		opts.Retry = time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	newDecoder, ok := protocols[opts.Protocol]
	switch {
	case opts.Device == "":
		return nil, errors.New("card reader: no device")
	case keyer == nil:
		return nil, fmt.Errorf("card reader %s: no keyer", opts.Device)
	case !slices.Contains(Kinds(), opts.Kind):
		return nil, fmt.Errorf("card reader %s: unknown kind %q (want %s)", opts.Device, opts.Kind, quoted(Kinds()))
	case opts.Kind == KindSerial && !ValidBaud(opts.Baud):
		return nil, fmt.Errorf("card reader %s: baud %d is not a rate Linux can set", opts.Device, opts.Baud)
	case !ok:
		return nil, fmt.Errorf("card reader %s: unknown protocol %q (want %s)", opts.Device, opts.Protocol, quoted(Protocols(KindSerial)))
	case !slices.Contains(Protocols(opts.Kind), opts.Protocol):
		return nil, fmt.Errorf("card reader %s: a %s reader cannot send protocol %q (want %s)", opts.Device, opts.Kind, opts.Protocol, quoted(Protocols(opts.Kind)))
	}
	if _, err := newDecoder(opts); err != nil {
		return nil, fmt.Errorf("card reader %s: %w", opts.Device, err)
	}
	return &Reader{opts: opts, keyer: keyer, log: log.With("device", opts.Device), decoder: newDecoder, openKeys: openEvdev}, nil
}

// quoted lists names for a message: "a" or "b" or "c".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, " or ")
}

// HowOpen says how the Reader has its device open, for messages: "open at 9600 baud", or (a
// keyboard reader) "open and grabbed".
func (r *Reader) HowOpen() string {
	if r.opts.Kind == KindKeyboard {
		return "open and grabbed"
	}
	return fmt.Sprintf("open at %d baud", r.opts.Baud)
}

// Device returns the device path the Reader opens.
func (r *Reader) Device() string { return r.opts.Device }

// Connected reports whether the device is open now. It is safe to call from any goroutine.
func (r *Reader) Connected() bool { return r.connected.Load() }

// Run reads the device until ctx is done, then closes it and returns (within about 100ms). It
// sends Connected each time the device opens and Disconnected each time it goes, or once at
// start if it cannot be opened; while the device is missing it retries every Options.Retry
// without sending or logging anything more (it logs again only if the reason changes). Each
// line (or frame) read gives a Card or an Unreadable event; with "em4100", a card lifted off
// the reader gives a Removed event (none when the device goes: Disconnected says so). Run
// waits for the supervisor to take each event, so events should be buffered; it never closes
// events. A keyboard reader is grabbed for as long as it is open: its keys reach nothing else.
// Call Run once at a time.
func (r *Reader) Run(ctx context.Context, events chan<- Event) {
	defer r.connected.Store(false)
	down, why := false, ""
	for ctx.Err() == nil {
		p, w, err := r.open()
		if err == nil {
			down, why = false, ""
			r.connected.Store(true)
			r.log.Info("reader: connected", "kind", r.opts.Kind, "state", r.HowOpen())
			detail := fmt.Sprintf("device %s %s", r.opts.Device, r.HowOpen())
			if send(ctx, events, Event{Kind: Connected, Detail: detail}) {
				err = r.serve(ctx, p, w, events)
			}
			p.Close()
			r.connected.Store(false)
			if ctx.Err() != nil {
				return
			}
		} else if r.openFailed != nil {
			r.openFailed()
		}
		switch {
		case !down:
			r.log.Warn("reader: disconnected", "reason", err.Error())
			if !send(ctx, events, Event{Kind: Disconnected, Detail: err.Error()}) {
				return
			}
		case err.Error() != why:
			r.log.Warn("reader: still disconnected", "reason", err.Error())
		}
		down, why = true, err.Error()
		select {
		case <-ctx.Done():
		case <-time.After(r.opts.Retry):
		}
	}
}

func (r *Reader) open() (port, *watch, error) {
	var p port
	var err error
	if r.opts.Kind == KindKeyboard {
		p, err = openKeyPort(r.opts.Device, r.openKeys)
	} else {
		p, err = openPort(r.opts.Device, r.opts.Baud)
	}
	if err != nil {
		return nil, nil, err
	}
	w, err := newWatch(r.opts.Device)
	if err != nil {
		p.Close()
		return nil, nil, err
	}
	return p, w, nil
}

// serve reads p until ctx is done (then it returns nil) or the device goes (then it says why).
func (r *Reader) serve(ctx context.Context, p port, w *watch, events chan<- Event) error {
	dec, _ := r.decoder(r.opts) // the options were checked by NewReader
	buf := make([]byte, 1024)
	for ctx.Err() == nil {
		start := time.Now()
		n, err := p.Read(buf)
		if n > 0 {
			w.data()
			ok := r.deliver(ctx, dec.Feed(buf[:n]), events)
			clear(buf[:n])
			if !ok {
				return nil
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("device %s gone: %w", r.opts.Device, bare(err))
		}
		if n == 0 { // a timeout, or a device that hung up: check
			if !r.deliver(ctx, dec.Idle(), events) {
				return nil
			}
			if err := w.empty(time.Since(start)); err != nil {
				return err
			}
		}
	}
	return nil
}

// deliver sends the events of frames, zeroing every card number once it is hashed (or not
// needed). It returns false if ctx ended first.
func (r *Reader) deliver(ctx context.Context, frames []frame, events chan<- Event) bool {
	defer func() {
		for i := range frames {
			clear(frames[i].number)
		}
	}()
	for _, f := range frames {
		ev := Event{Kind: Unreadable, Detail: f.detail}
		switch {
		case f.removed:
			ev = Event{Kind: Removed, Card: r.keyer.identify(f.number)}
			clear(f.number)
			r.log.Debug("reader: card removed")
		case f.number != nil:
			ev = Event{Kind: Card, Card: r.keyer.identify(f.number)}
			if r.opts.KeepNumber {
				ev.Number = NewCardNumber(f.number)
			}
			clear(f.number)
			r.log.Debug("reader: card read", "bytes", f.size)
		default:
			r.log.Debug("reader: read is not a card", "bytes", f.size, "detail", f.detail)
		}
		if !send(ctx, events, ev) {
			ev.Number.Wipe()
			return false
		}
	}
	return true
}

func send(ctx context.Context, events chan<- Event, ev Event) bool {
	select {
	case events <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}
