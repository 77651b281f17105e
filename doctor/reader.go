package doctor

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"syscall"
	"time"

	"github.com/carekiosk/carekiosk/hardware"
)

// checkReader opens the card reader and listens for Env.Listen: a card in the protocol's format
// is OK, anything else it sends FAILs (wrong protocol, speed or pattern), and silence is a WARN —
// nobody swiped a card. When the kiosk is running it holds the reader, so doctor reports the
// kiosk's view instead of stealing the bytes of a patient's card.
func checkReader(e *Env, st *state) Result {
	rc := st.cfg.Reader
	r := Result{Check: "reader"}
	if st.running != nil {
		if st.running.Reader.Connected {
			r.Level, r.Msg = OK, fmt.Sprintf("%s is open in the running kiosk (stop it to test a card here)", st.running.Reader.Device)
		} else {
			r.Level, r.Msg = Fail, fmt.Sprintf("the running kiosk cannot open %s", st.running.Reader.Device)
			r.Fix = "plug the reader in and check its udev rule (ls -l " + rc.Device + "; journalctl -u carekiosk)"
		}
		return r
	}
	secret := make([]byte, 32) // a throwaway key: doctor never shows an identity
	_, _ = rand.Read(secret)
	rd, err := hardware.NewReader(rc.Options(), hardware.NewKeyer(secret), slog.New(slog.DiscardHandler))
	if err != nil {
		r.Level, r.Msg, r.Fix = Fail, err.Error(), "fix [reader] in the config"
		return r
	}
	ctx, cancel := context.WithTimeout(context.Background(), e.Listen)
	defer cancel()
	events := make(chan hardware.Event, 16)
	done := make(chan struct{})
	go func() { rd.Run(ctx, events); close(done) }()
	defer func() { cancel(); <-done }()

	opened := false
	for {
		select {
		case ev := <-events:
			switch ev.Kind {
			case hardware.Connected:
				opened = true
			case hardware.Disconnected:
				r.Level, r.Msg = Fail, ev.Detail
				r.Fix = openFix(rc.Kind, rc.Device, ev.Detail)
				return r
			case hardware.Card:
				r.Level, r.Msg = OK, fmt.Sprintf("%s is %s and sent a card in the %q format", rc.Device, rd.HowOpen(), rc.Protocol)
				return r
			case hardware.Unreadable:
				r.Level, r.Msg = Fail, fmt.Sprintf("%s sent something that is not a card: %s", rc.Device, ev.Detail)
				r.Fix = fmt.Sprintf("check reader.protocol (%q), reader.baud (%d) and reader.pattern against the reader's manual; carekiosk reader shows what it sends", rc.Protocol, rc.Baud)
				if rc.Kind == hardware.KindKeyboard {
					r.Fix = fmt.Sprintf("check reader.protocol (%q) and reader.pattern against the reader's manual, and that it types on a US keyboard layout; carekiosk reader shows what it types", rc.Protocol)
				}
				return r
			}
		case <-ctx.Done():
			if !opened {
				r.Level, r.Msg, r.Fix = Fail, rc.Device+" did not open", "check the device and its permissions"
				return r
			}
			r.Level = Warn
			r.Msg = fmt.Sprintf("%s is %s, but no card arrived in %s", rc.Device, rd.HowOpen(), e.Listen.Round(time.Second))
			r.Fix = "swipe or touch a card while doctor runs to test the reader end to end"
			return r
		}
	}
}

// openFix is the fix for a reader of kind that does not open, from the reason.
func openFix(kind, dev, why string) string {
	byID, device := "/dev/serial/by-id/", "the reader's serial device, such as /dev/ttyUSB0"
	if kind == hardware.KindKeyboard {
		byID, device = "/dev/input/by-id/", "the reader's input device, such as /dev/input/by-id/usb-…-event-kbd"
	}
	switch {
	case strings.Contains(why, fs.ErrNotExist.Error()) || strings.Contains(why, syscall.ENOENT.Error()):
		return "plug the reader in; if it is, check the udev rule that names it " + dev + " (ls -l " + byID + ")"
	case strings.Contains(why, syscall.EACCES.Error()) || errors.Is(errors.New(why), fs.ErrPermission):
		return "give the kiosk's user access to " + dev + " (the udev rule sets its group; ls -l " + dev + ")"
	case strings.Contains(why, "not a character device") || strings.Contains(why, "not an input device"):
		return "reader.device must be " + device
	case strings.Contains(why, "grabbed by another program"):
		return "stop the program that holds it (fuser -v " + dev + ")"
	}
	return "check the reader's cable and reader.device"
}
