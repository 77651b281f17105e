package hardware

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/tarm/serial"
)

// readTimeout bounds every read from a port. Without it, tarm/serial's Close can deadlock against
// a blocked Read; with it, a read that times out returns (0, io.EOF) on Linux, which is why end of
// file alone never means "unplugged" here (see watch.go).
const readTimeout = 100 * time.Millisecond

// port is an open reader device: a serial device (openPort), or a keyboard-wedge reader whose
// key presses read as the characters they type (keyport.go). Either way a Read returns the
// bytes that arrived, or (0, io.EOF) after readTimeout without any. This file is the only one
// that knows tarm/serial: replacing the library means replacing openPort.
type port interface {
	io.Reader
	io.Closer
}

// rates are the Linux termios rates, the only ones tarm/serial can set (256000 is not one).
var rates = []int{50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400,
	57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000,
	2500000, 3000000, 3500000, 4000000}

// BaudRates returns the rates a serial card reader can be opened at, the Linux termios rates
// (50 … 4000000; not 256000), in increasing order. The slice is a copy.
func BaudRates() []int { return slices.Clone(rates) }

// ValidBaud reports whether a serial card reader can be opened at baud: whether it is one of
// BaudRates.
func ValidBaud(baud int) bool { return slices.Contains(rates, baud) }

// openPort opens dev raw, 8N1, at baud, with readTimeout set. A baud rate that is not a termios
// constant (256000) is set after opening, with setCustomBaud (baud_linux.go).
func openPort(dev string, baud int) (port, error) {
	if err := charDevice(dev); err != nil {
		return nil, err
	}
	open := baud
	if !ValidBaud(baud) {
		open = DefaultBaud
	}
	p, err := serial.OpenPort(&serial.Config{Name: dev, Baud: open, ReadTimeout: readTimeout})
	if err != nil {
		return nil, fmt.Errorf("device %s cannot be opened: %w", dev, bare(err))
	}
	if open != baud {
		if err := setCustomBaud(dev, baud); err != nil {
			p.Close()
			return nil, fmt.Errorf("device %s: %w", dev, err)
		}
	}
	return p, nil
}

// charDevice checks that dev exists and is a character device, before it is opened.
func charDevice(dev string) error {
	fi, err := os.Stat(dev)
	if err != nil {
		return fmt.Errorf("device %s cannot be opened: %w", dev, bare(err))
	}
	if fi.Mode()&fs.ModeCharDevice == 0 {
		return fmt.Errorf("device %s cannot be opened: not a character device (mode %v)", dev, fi.Mode())
	}
	return nil
}

// bare strips the path from an *fs.PathError (the messages here name the device themselves) and
// keeps the errno, so errors.Is still works.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
