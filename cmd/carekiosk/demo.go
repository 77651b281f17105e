package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/demo"
)

// demoCardNumber is the demo card: a library-card-like number, fine for the default pattern.
const demoCardNumber = "29990012345678"

// demoKit is what -dev adds to a kiosk: the demo record portal and a demo card reader.
type demoKit struct {
	portal *demo.Portal
	master *os.File // the pty master; the reader reads the slave
	slave  *os.File
	dir    string
}

// startDemo starts the demo portal and the demo card reader and points cfg at them. The reader
// is a pseudo-terminal: whatever anyone writes into its path is fed back in as if a reader had
// sent it, so `echo NUMBER > PATH` swipes a card, and the "Use demo card" button does the same.
func startDemo(cfg *config.Config, log *slog.Logger) (*demoKit, error) {
	d := &demoKit{}
	var err error
	if d.dir, err = os.MkdirTemp("", "carekiosk-demo-"); err != nil {
		return nil, err
	}
	if d.portal, err = demo.Start("127.0.0.1:0", log.With("component", "demo-portal")); err != nil {
		return nil, err
	}
	certFile := filepath.Join(d.dir, "demo-portal.pem")
	if err := os.WriteFile(certFile, d.portal.CertificatePEM(), 0o600); err != nil {
		return nil, err
	}
	if d.master, d.slave, err = pty.Open(); err != nil {
		return nil, fmt.Errorf("demo card reader: %w", err)
	}
	// Raw, without echo: what is fed back must not be echoed back again.
	if err := makeRaw(d.slave); err != nil {
		return nil, fmt.Errorf("demo card reader: %w", err)
	}
	go d.loopBack()

	cfg.StartURL = d.portal.URL()
	cfg.AllowedHosts = []string{d.portal.Host()}
	cfg.TrustedCertificates = []string{certFile}
	cfg.Session.LogoutURL = d.portal.LogoutURL()
	cfg.Reader.Device = d.slave.Name()
	cfg.Reader.Protocol = "line"
	cfg.Reader.Pattern = config.DefaultPattern
	return d, nil
}

// loopBack feeds what is written into the reader's path back in as reader input.
func (d *demoKit) loopBack() {
	buf := make([]byte, 256)
	for {
		n, err := d.master.Read(buf)
		if err != nil {
			return
		}
		d.master.Write(buf[:n])
	}
}

func makeRaw(f *os.File) error {
	t, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		return err
	}
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Oflag &^= unix.OPOST
	return unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, t)
}

// swipe sends the demo card, as the "Use demo card" button does.
func (d *demoKit) swipe() { io.WriteString(d.master, demoCardNumber+"\r\n") }

// printDemoHelp tells whoever started the demo how to see it and drive it.
func printDemoHelp(cfg *config.Config) {
	fmt.Fprintf(os.Stderr, `
carekiosk demo
  record portal:  %s  (any username and password)
  swipe a card:   echo %s > %s   (or press "Use demo card")
  status:         %s status
`, cfg.StartURL, demoCardNumber, cfg.Reader.Device, os.Args[0])
	if d := displayFromEnv(); d.Wayland != "" {
		fmt.Fprintf(os.Stderr, `  the display:    export WAYLAND_DISPLAY=%s
  see the screen: grim kiosk.png
  press Enter:    wtype -k Shift_L -k Return   (a fresh virtual keyboard can lose its first key)
`, d.Wayland)
	} else if d.X11 != "" {
		fmt.Fprintf(os.Stderr, `  see the screen: DISPLAY=%s import -window root kiosk.png
  touch it:       DISPLAY=%s xdotool mousemove 640 608 click 1   ("Use demo card")
  press Enter:    DISPLAY=%s xdotool key Return
`, d.X11, d.X11, d.X11)
	}
	fmt.Fprintln(os.Stderr)
}

func (d *demoKit) close() {
	d.portal.Close()
	d.master.Close()
	d.slave.Close()
	os.RemoveAll(d.dir)
}
