package hardware

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	evdev "github.com/holoplot/go-evdev"
)

// openEvdev opens the input device dev (/dev/input/eventN, or a link to it such as
// /dev/input/by-id/…-event-kbd) read-only and grabs it (EVIOCGRAB, input(7)
// https://www.kernel.org/doc/html/latest/input/input.html): from then on its events come to
// this descriptor only — not to the compositor, not to a page — until it is closed, which
// releases the grab. The descriptor is made non-blocking after the grab (go-evdev's NonBlock:
// its Grab, like every call that takes the descriptor from *os.File, makes it blocking again),
// so that Close wakes a ReadOne blocked on it.
//
// No input device could be made where this was written (the kernel has no uinput), so this
// function was not run against a real device; everything after it — the key events, their
// characters, unplug and replug — is tested on streams of input_event records (keyport_test.go).
func openEvdev(dev string) (keySource, error) {
	if err := charDevice(dev); err != nil {
		return nil, err
	}
	d, err := evdev.OpenWithFlags(dev, os.O_RDONLY)
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return nil, fmt.Errorf("device %s cannot be opened: %w", dev, pe.Err)
		}
		return nil, fmt.Errorf("device %s is not an input device (/dev/input/event*): %v", dev, err)
	}
	if err := d.Grab(); err != nil {
		d.Close()
		if err.Error() == syscall.EBUSY.Error() { // go-evdev returns the errno's text only
			return nil, fmt.Errorf("device %s is grabbed by another program (another carekiosk?)", dev)
		}
		return nil, fmt.Errorf("device %s cannot be grabbed: %v", dev, err)
	}
	if err := d.NonBlock(); err != nil {
		d.Close()
		return nil, fmt.Errorf("device %s: %w", dev, err)
	}
	return d, nil
}
