package session

import (
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/ui"
)

// closingAt returns a machine in a session begun at t0 whose kiosk closes at t0+d.
func closingAt(d time.Duration) func() *Machine {
	return func() *Machine {
		m := NewMachine(testTimeouts)
		m.Ready()
		m.Card(t0)
		m.SetClosing(at(d))
		m.Accept(at(time.Second))
		return m
	}
}

func TestMachineClosingTime(t *testing.T) {
	runMachineCases(t, closingAt(10*time.Minute), []machineCase{
		{"before the warning", func(m *Machine) { busy(m, 7*time.Minute+50*time.Second) }, Active, "", NoWarning},
		{"time-limit warning max_warning before closing", func(m *Machine) { busy(m, 8*time.Minute) }, Warning, "", TimeWarning},
		{"ends at closing time", func(m *Machine) { busy(m, 10*time.Minute) }, Ending, ClosingTime, NoWarning},
		{"idle still ends first", func(m *Machine) { m.Tick(at(3 * time.Minute)) }, Ending, IdleTimeout, NoWarning},
	})
	// Closing after max_duration: the time limit comes first and is called that.
	runMachineCases(t, closingAt(time.Hour), []machineCase{
		{"time limit before closing", func(m *Machine) { busy(m, 20*time.Minute) }, Ending, TimeLimit, NoWarning},
	})
	// Closing exactly at max_duration: the kiosk closes; say so.
	runMachineCases(t, closingAt(20*time.Minute), []machineCase{
		{"both at once", func(m *Machine) { busy(m, 20*time.Minute) }, Ending, ClosingTime, NoWarning},
	})
	// Closing during the privacy check.
	runMachineCases(t, func() *Machine {
		m := NewMachine(testTimeouts)
		m.Ready()
		m.Card(t0)
		m.SetClosing(at(30 * time.Second))
		return m
	}, []machineCase{
		{"privacy check waits", func(m *Machine) { m.Tick(at(29 * time.Second)) }, Privacy, "", NoWarning},
		{"privacy check ends at closing", func(m *Machine) { m.Tick(at(30 * time.Second)) }, Ending, ClosingTime, NoWarning},
	})
	// The next card clears the closing time of the last session.
	runMachineCases(t, closingAt(10*time.Minute), []machineCase{
		{"cleared by the next card", func(m *Machine) {
			m.End(UserEnded)
			m.Ended(true)
			m.Ready()
			m.Card(at(time.Hour))
			m.Accept(at(time.Hour))
			m.Input(at(time.Hour + 10*time.Minute))
			m.Tick(at(time.Hour + 10*time.Minute + time.Second))
		}, Active, UserEnded, NoWarning},
	})
}

func TestMachineClosingDeadline(t *testing.T) {
	m := closingAt(10 * time.Minute)()
	m.Tick(at(8 * time.Minute))
	if got, want := m.TimeLimit(), at(10*time.Minute); !got.Equal(want) {
		t.Errorf("TimeLimit = %v, want closing time %v", got, want)
	}
	m = NewMachine(testTimeouts)
	m.Ready()
	m.Card(t0)
	m.SetClosing(at(30 * time.Second))
	if got, want := m.Deadline(), at(30*time.Second); !got.Equal(want) {
		t.Errorf("privacy deadline = %v, want closing time %v", got, want)
	}
}

// TestWarningTextSaysWhy: the time-limit warning says the kiosk is closing when that is why.
func TestWarningTextSaysWhy(t *testing.T) {
	for _, tc := range []struct {
		name   string
		closes time.Duration
		want   ui.Warning
	}{
		{"closing", 10 * time.Minute, "closing"},
		{"time limit", time.Hour, "time"},
	} {
		m := closingAt(tc.closes)()
		busy(m, min(tc.closes, 20*time.Minute)-time.Minute)
		if got := m.WarningText(); got != tc.want {
			t.Errorf("%s: WarningText = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := active().WarningText(); got != "" {
		t.Errorf("no warning: WarningText = %q, want empty", got)
	}
}
