package hardware

import (
	"io"
	"time"

	evdev "github.com/holoplot/go-evdev"
)

// keySource is where a keyboard reader's input events come from: an evdev device, opened and
// grabbed (openEvdev), or in tests a stream of the kernel's input_event records.
type keySource interface {
	// ReadOne blocks until the next event, and fails once the source is closed or gone.
	ReadOne() (*evdev.InputEvent, error)
	Close() error
}

// keyBuffer is how many events may wait for a Read: several swipes' worth of key presses.
const keyBuffer = 1024

// keyPort is the port of a keyboard-wedge reader: a Read returns the characters that its key
// presses type (typist, keys.go), as a serial port returns the bytes a reader sends, and keeps
// the serial ports' contract: it returns what was typed as soon as anything was, or (0, io.EOF)
// after readTimeout with nothing typed. Once the source fails, every Read returns its error
// (io.EOF at once for a stream that ended: watch.go sees the hang-up), ENODEV for an unplugged
// device. A goroutine reads the source, since a device has no read deadline; Close stops it.
// The events and characters it holds are zeroed once passed on; go-evdev's ReadOne decodes each
// event through a 24-byte buffer of its own, which this package cannot reach to zero.
type keyPort struct {
	src    keySource
	keys   *typist
	events chan evdev.InputEvent // from pump; a received slot is cleared by the runtime
	quit   chan struct{}         // closed by Close
	done   chan struct{}         // closed when pump has returned
	err    error                 // why the source ended; set before events is closed
}

// openKeyPort opens dev with open (openEvdev, or a test's) and reads it.
func openKeyPort(dev string, open func(string) (keySource, error)) (port, error) {
	src, err := open(dev)
	if err != nil {
		return nil, err
	}
	return newKeyPort(src), nil
}

func newKeyPort(src keySource) *keyPort {
	k := &keyPort{src: src, keys: newTypist(), events: make(chan evdev.InputEvent, keyBuffer),
		quit: make(chan struct{}), done: make(chan struct{})}
	go k.pump()
	return k
}

// pump passes the source's events to Read until the source fails or Close is called.
func (k *keyPort) pump() {
	defer close(k.done)
	defer close(k.events)
	for {
		ev, err := k.src.ReadOne()
		if err != nil {
			k.err = err
			return
		}
		select {
		case k.events <- *ev:
			*ev = evdev.InputEvent{} // a key is a character of the card
		case <-k.quit:
			return
		}
	}
}

// Read waits up to readTimeout for a key that types, then takes every event already waiting.
// Events that type nothing (releases, Shift, EV_SYN) do not end the wait.
func (k *keyPort) Read(p []byte) (int, error) {
	timeout := time.NewTimer(readTimeout)
	defer timeout.Stop()
	n := 0
	for n < len(p) {
		var ev evdev.InputEvent
		var ok bool
		if n == 0 {
			select {
			case ev, ok = <-k.events:
			case <-timeout.C:
				return 0, io.EOF
			}
		} else {
			select {
			case ev, ok = <-k.events:
			default:
				return n, nil
			}
		}
		if !ok {
			return n, k.err
		}
		if c, typed := k.keys.key(&ev); typed {
			p[n] = c
			n++
		}
	}
	return n, nil
}

// Close stops the goroutine and closes the source (for a device, that releases the grab), and
// returns once both are done.
func (k *keyPort) Close() error {
	close(k.quit)
	err := k.src.Close()
	<-k.done
	return err
}
