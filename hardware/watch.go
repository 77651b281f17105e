package hardware

import (
	"fmt"
	"os"
	"time"
)

// quickEOFs is how many reads in a row may return end of file at once before the device counts as
// hung up.
const quickEOFs = 3

// watch decides whether an open device is still there. The kernel does not say so reliably: a read
// blocked when a tty hangs up (USB unplug, pty master closed) fails with EIO, but a read started
// after the hangup returns (0, io.EOF) at once — the same value as a read timeout. So after every
// read that returned no bytes, the device path is checked: gone, or now a different device, or
// ending reads far sooner than the timeout, and the device is gone.
type watch struct {
	dev   string
	fi    os.FileInfo
	quick int // consecutive empty reads that returned well before readTimeout
}

// newWatch remembers which file dev names now.
func newWatch(dev string) (*watch, error) {
	fi, err := os.Stat(dev)
	if err != nil {
		return nil, fmt.Errorf("device %s gone: %w", dev, bare(err))
	}
	return &watch{dev: dev, fi: fi}, nil
}

// data notes that a read returned bytes: the device is alive.
func (w *watch) data() { w.quick = 0 }

// empty checks the device after a read that returned no bytes after elapsed; it returns why the
// device is gone, or nil.
func (w *watch) empty(elapsed time.Duration) error {
	fi, err := os.Stat(w.dev)
	if err != nil {
		return fmt.Errorf("device %s gone: %w", w.dev, bare(err))
	}
	if !os.SameFile(fi, w.fi) {
		return fmt.Errorf("device %s gone: replaced by another device", w.dev)
	}
	if elapsed >= readTimeout/2 {
		w.quick = 0
		return nil
	}
	w.quick++
	if w.quick >= quickEOFs {
		return fmt.Errorf("device %s gone: hung up", w.dev)
	}
	return nil
}
