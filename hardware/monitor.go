package hardware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// MonitorOptions tune Monitor.
type MonitorOptions struct {
	// QuietAfter is how long without a byte before Monitor says nothing is arriving; 0: 10s.
	QuietAfter time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// garbledShare is the share of bytes that are neither text nor the protocol's framing above
// which a burst of bytes looks like a wrong baud rate (at a wrong rate a UART delivers mostly
// high-bit and control bytes), checked over at least garbledMin bytes.
const (
	garbledShare = 0.25
	garbledMin   = 16
)

// Monitor is the technician's live view of a card reader (`carekiosk reader`): it opens the
// device of r and says, one line at a time through say, each read as the Reader would decode
// it — a card by a masked identity (Identity.Short), never its number; a card lifted; a read
// that is not a card, with why — and, in words, what looks wrong: the device missing or gone,
// nothing arriving for QuietAfter, bytes that look like a wrong baud rate (a keyboard reader:
// keys that type no text on a US layout), checksum failures. A keyboard reader is grabbed while
// Monitor has it open, as Run grabs it. It runs until ctx ends and returns nil then.
func (r *Reader) Monitor(ctx context.Context, o MonitorOptions, say func(string)) error {
	if o.QuietAfter <= 0 {
		o.QuietAfter = 10 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	how := fmt.Sprintf("%d baud", r.opts.Baud)
	if r.opts.Kind == KindKeyboard {
		how = "keyboard reader, grabbed while this runs so that its keys type nowhere else"
	}
	say(fmt.Sprintf("reading %s: protocol %s, %s; present a card (Ctrl-C to stop)", r.opts.Device, r.opts.Protocol, how))
	why := ""
	for ctx.Err() == nil {
		p, w, err := r.open()
		if err == nil {
			why = ""
			say("device " + r.HowOpen())
			err = r.monitor(ctx, p, w, o, say)
			p.Close()
			if ctx.Err() != nil {
				return nil
			}
		}
		if err.Error() != why {
			say(err.Error() + " — is it plugged in, and is this the right device? waiting for it")
			why = err.Error()
		}
		select {
		case <-ctx.Done():
		case <-time.After(r.opts.Retry):
		}
	}
	return nil
}

func (r *Reader) monitor(ctx context.Context, p port, w *watch, o MonitorOptions, say func(string)) error {
	dec, _ := r.decoder(r.opts)
	buf := make([]byte, 1024)
	last := o.Now()
	quiet := false
	var total, garbled int // since the last decoded frame
	for ctx.Err() == nil {
		start := time.Now()
		n, err := p.Read(buf)
		var frames []frame
		if n > 0 {
			w.data()
			last, quiet = o.Now(), false
			for _, c := range buf[:n] {
				total++
				if !textual(c) {
					garbled++
				}
			}
			frames = dec.Feed(buf[:n])
			clear(buf[:n])
		} else {
			frames = dec.Idle()
		}
		for _, f := range frames {
			total, garbled = 0, 0
			say(r.describe(f))
			clear(f.number)
		}
		if total >= garbledMin && float64(garbled) >= garbledShare*float64(total) {
			say(r.garbled(total, garbled))
			total, garbled = 0, 0
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("device %s gone: %w", r.opts.Device, bare(err))
		}
		if n == 0 {
			if err := w.empty(time.Since(start)); err != nil {
				return err
			}
		}
		if !quiet && o.Now().Sub(last) >= o.QuietAfter {
			quiet = true
			say(fmt.Sprintf("nothing has arrived for %s: is the reader powered and cabled to this device? present a card to test", o.QuietAfter))
		}
	}
	return nil
}

// garbled says what a burst of bytes that are mostly not text means: a wrong baud rate, or (a
// keyboard reader) keys that type no text on a US layout.
func (r *Reader) garbled(total, garbled int) string {
	if r.opts.Kind == KindKeyboard {
		return fmt.Sprintf("%d key presses arrived that type no card reader's text on a US keyboard (%d of them function keys, keys pressed with Ctrl or Alt, or unknown keys): set the reader to a US keyboard layout and plain characters — check its manual", total, garbled)
	}
	return fmt.Sprintf("%d bytes arrived that do not look like a card reader's text (%d of them garbled): the reader probably does not send at %d baud — check its manual and [reader] baud (common: 9600, 19200, 38400, 115200)", total, garbled, r.opts.Baud)
}

// describe says what a frame is, without any of its content but a masked identity.
func (r *Reader) describe(f frame) string {
	switch {
	case f.removed:
		return "card lifted off the reader: " + r.keyer.identify(f.number).Short() + "…"
	case f.number != nil:
		return "card read: " + r.keyer.identify(f.number).Short() + "… (" + fmt.Sprint(f.size) + " bytes)"
	case r.opts.Protocol == "em4100" && len(f.detail) > 8 && f.detail[:8] == "checksum":
		return "checksum failure: " + f.detail + " — a card at the edge of the antenna, interference, or a damaged card"
	}
	return "not a card: " + f.detail
}

// textual reports whether c can belong to a card reader's output: printable ASCII, CR, LF, tab,
// or EM4100 framing (STX, ETX).
func textual(c byte) bool {
	return c >= 0x20 && c < 0x7f || c == '\r' || c == '\n' || c == '\t' || c == emSTX || c == emETX
}
