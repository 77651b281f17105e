package hardware

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// DefaultSensorBaud is the HLK-LD2450's factory rate. It is not a termios constant; openPort
// sets it with termios2 (baud_linux.go).
const DefaultSensorBaud = 256000

// sensorRates are the rates an LD2450 can be configured to.
var sensorRates = []int{9600, 19200, 38400, 57600, 115200, 230400, 256000, 460800}

// SensorRates returns the rates an HLK-LD2450 can be configured to, and so the only ones a
// Sensor opens at, in increasing order (DefaultSensorBaud among them). The slice is a copy.
func SensorRates() []int { return slices.Clone(sensorRates) }

// sensorSilence is how long an open sensor may send no valid report before Sensor says so: the
// LD2450 reports about 10 times a second, so silence means a wrong rate or a broken wire.
const sensorSilence = 3 * time.Second

// SensorOptions say which presence sensor to open.
type SensorOptions struct {
	Device string
	Baud   int           // 0: DefaultSensorBaud
	Retry  time.Duration // how often to retry a missing device; 0: 1s
}

// Sensor reads an HLK-LD2450 radar for as long as its Run's context lives, reopening the device
// whenever it comes back. It is optional hardware: a missing sensor is logged once and retried
// quietly, and never stops anything.
type Sensor struct {
	o   SensorOptions
	log *slog.Logger

	mu    sync.Mutex
	state string // in words, for the technician screen
}

// NewSensor returns a Sensor for o, logging to log (nil: nowhere). It fails only for bad
// options: no device, or a rate the LD2450 does not support.
func NewSensor(o SensorOptions, log *slog.Logger) (*Sensor, error) {
	if o.Baud == 0 {
		o.Baud = DefaultSensorBaud
	}
	if o.Retry <= 0 {
		o.Retry = time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	switch {
	case o.Device == "":
		return nil, errors.New("presence sensor: no device")
	case !slices.Contains(sensorRates, o.Baud):
		return nil, fmt.Errorf("presence sensor %s: baud %d is not a rate the LD2450 supports", o.Device, o.Baud)
	}
	return &Sensor{o: o, log: log.With("sensor", o.Device), state: o.Device + " — not yet opened"}, nil
}

// State says in words how the sensor is: its device, and whether it is reporting, silent or gone.
func (s *Sensor) State() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *Sensor) setState(st string) {
	s.mu.Lock()
	s.state = s.o.Device + " — " + st
	s.mu.Unlock()
}

// Run reads the sensor until ctx is done, calling report (from Run's goroutine) for every
// report frame, and gone whenever the device goes or falls silent (a presence alert cannot
// stand on a sensor that no longer sees). report and gone must not block for long.
func (s *Sensor) Run(ctx context.Context, report func(Report), gone func()) {
	down := ""
	for ctx.Err() == nil {
		p, err := openPort(s.o.Device, s.o.Baud)
		var w *watch
		if err == nil {
			if w, err = newWatch(s.o.Device); err != nil {
				p.Close()
			}
		}
		if err == nil {
			down = ""
			s.setState(fmt.Sprintf("open at %d baud, waiting for reports", s.o.Baud))
			s.log.Info("presence sensor: open", "baud", s.o.Baud)
			err = s.serve(ctx, p, w, report, gone)
			p.Close()
			gone()
			if ctx.Err() != nil {
				return
			}
		}
		if err.Error() != down {
			s.log.Warn("presence sensor: not working; the kiosk goes on without it", "reason", err.Error())
			down = err.Error()
		}
		s.setState("not working: " + err.Error())
		select {
		case <-ctx.Done():
		case <-time.After(s.o.Retry):
		}
	}
}

func (s *Sensor) serve(ctx context.Context, p port, w *watch, report func(Report), gone func()) error {
	var dec LD2450Decoder
	buf := make([]byte, 512)
	last, silent, reporting := time.Now(), false, false
	for ctx.Err() == nil {
		start := time.Now()
		n, err := p.Read(buf)
		if n > 0 {
			w.data()
			for _, r := range dec.Feed(buf[:n]) {
				if !reporting {
					s.log.Info("presence sensor: reporting")
				}
				last, silent, reporting = time.Now(), false, true
				s.setState("reporting")
				report(r)
			}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("device %s gone: %w", s.o.Device, bare(err))
		}
		if n == 0 {
			if err := w.empty(time.Since(start)); err != nil {
				return err
			}
		}
		if !silent && time.Since(last) >= sensorSilence {
			silent, reporting = true, false
			why := "no bytes"
			if dec.Bad() > 0 {
				why = fmt.Sprintf("%d damaged frames", dec.Bad())
			}
			msg := fmt.Sprintf("open at %d baud but no reports for %s (%s): check the wiring and the sensor's baud rate", s.o.Baud, sensorSilence, why)
			s.log.Warn("presence sensor: " + msg)
			s.setState(msg)
			gone()
		}
	}
	return nil
}
