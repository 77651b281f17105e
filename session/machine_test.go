package session

import (
	"testing"
	"time"
)

var testTimeouts = Timeouts{
	Idle: 120 * time.Second, IdleWarning: 30 * time.Second,
	Max: 20 * time.Minute, MaxWarning: 2 * time.Minute,
	Privacy: 60 * time.Second,
}

// t0 is when the card is read in every case below.
var t0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// active returns a machine whose session became active one second after the card.
func active() *Machine {
	m := NewMachine(testTimeouts)
	m.Ready()
	m.Card(t0)
	m.Accept(at(time.Second))
	return m
}

// machineCase is a sequence of events and the state, end reason and warning it must lead to.
type machineCase struct {
	name        string
	run         func(m *Machine)
	wantState   State
	wantReason  Reason
	wantWarning WarningKind
}

// runMachineCases runs each case on a machine made by start.
func runMachineCases(t *testing.T, start func() *Machine, cases []machineCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := start()
			tc.run(m)
			if m.State() != tc.wantState || m.Reason() != tc.wantReason || m.Warning() != tc.wantWarning {
				t.Errorf("got %s/%q/%q, want %s/%q/%q", m.State(), m.Reason(), m.Warning(), tc.wantState, tc.wantReason, tc.wantWarning)
			}
		})
	}
}

func TestMachineTransitions(t *testing.T) {
	runMachineCases(t, func() *Machine { return NewMachine(testTimeouts) }, []machineCase{
		{"starts in starting", func(m *Machine) {}, Starting, "", NoWarning},
		{"ready shows welcome", func(m *Machine) { m.Ready() }, Welcome, "", NoWarning},
		{"card before ready is ignored", func(m *Machine) { m.Card(t0) }, Starting, "", NoWarning},
		{"card opens privacy check", func(m *Machine) { m.Ready(); m.Card(t0) }, Privacy, "", NoWarning},
		{"accept makes active", func(m *Machine) { m.Ready(); m.Card(t0); m.Accept(at(time.Second)) }, Active, "", NoWarning},
		{"cancel declines", func(m *Machine) { m.Ready(); m.Card(t0); m.End(PrivacyDeclined) }, Ending, PrivacyDeclined, NoWarning},
		{"privacy check unanswered declines", func(m *Machine) { m.Ready(); m.Card(t0); m.Tick(at(60 * time.Second)) }, Ending, PrivacyDeclined, NoWarning},
		{"privacy check still waiting", func(m *Machine) { m.Ready(); m.Card(t0); m.Tick(at(59 * time.Second)) }, Privacy, "", NoWarning},
		{"second card during a session is ignored", func(m *Machine) { m.Ready(); m.Card(t0); m.Card(at(time.Second)) }, Privacy, "", NoWarning},
	})
}

func TestMachineTimeouts(t *testing.T) {
	runMachineCases(t, active, []machineCase{
		{"quiet before the idle warning", func(m *Machine) { m.Tick(at(90 * time.Second)) }, Active, "", NoWarning},
		{"idle warning 30s before idle end", func(m *Machine) { m.Tick(at(91 * time.Second)) }, Warning, "", IdleWarning},
		{"idle timeout", func(m *Machine) { m.Tick(at(91 * time.Second)); m.Tick(at(121 * time.Second)) }, Ending, IdleTimeout, NoWarning},
		{"input dismisses idle warning", func(m *Machine) { m.Tick(at(91 * time.Second)); m.Input(at(100 * time.Second)) }, Active, "", NoWarning},
		{"input resets the idle timer", func(m *Machine) { m.Input(at(60 * time.Second)); m.Tick(at(121 * time.Second)) }, Active, "", NoWarning},
		{"idle end even if tick was late", func(m *Machine) { m.Tick(at(5 * time.Minute)) }, Ending, IdleTimeout, NoWarning},
		{"time-limit warning", func(m *Machine) { busy(m, 18*time.Minute) }, Warning, "", TimeWarning},
		{"input does not dismiss time-limit warning", func(m *Machine) { busy(m, 18*time.Minute); m.Input(at(18*time.Minute + time.Second)) }, Warning, "", TimeWarning},
		{"time limit", func(m *Machine) { busy(m, 20*time.Minute) }, Ending, TimeLimit, NoWarning},
		{"user ends", func(m *Machine) { m.End(UserEnded) }, Ending, UserEnded, NoWarning},
		{"quick exit from a warning", func(m *Machine) { m.Tick(at(91 * time.Second)); m.End(QuickExit) }, Ending, QuickExit, NoWarning},
		{"browser crash", func(m *Machine) { m.End(BrowserCrashed) }, Ending, BrowserCrashed, NoWarning},
		{"card removed", func(m *Machine) { m.End(CardRemoved) }, Ending, CardRemoved, NoWarning},
		{"closing time", func(m *Machine) { m.End(ClosingTime) }, Ending, ClosingTime, NoWarning},
		{"technician", func(m *Machine) { m.End(Technician) }, Ending, Technician, NoWarning},
		{"shutdown", func(m *Machine) { m.End(Shutdown) }, Ending, Shutdown, NoWarning},
		{"first end reason wins", func(m *Machine) { m.End(UserEnded); m.End(Technician) }, Ending, UserEnded, NoWarning},
		{"verified wipe returns to starting", func(m *Machine) { m.End(UserEnded); m.Ended(true) }, Starting, UserEnded, NoWarning},
		{"failed wipe is out of service", func(m *Machine) { m.End(UserEnded); m.Ended(false) }, OutOfService, UserEnded, NoWarning},
		{"out of service stays", func(m *Machine) { m.OutOfService(); m.Ready() }, OutOfService, "", NoWarning},
		{"next session after a verified wipe", func(m *Machine) { m.End(UserEnded); m.Ended(true); m.Ready(); m.Card(at(time.Hour)) }, Privacy, UserEnded, NoWarning},
	})
}

// busy keeps the patient typing every 10 s until d after the card, ticking as the supervisor would.
func busy(m *Machine, d time.Duration) {
	for s := 10 * time.Second; s <= d; s += 10 * time.Second {
		m.Input(at(s))
		m.Tick(at(s))
	}
}

func TestMachineDeadline(t *testing.T) {
	m := NewMachine(testTimeouts)
	if !m.Deadline().IsZero() {
		t.Errorf("deadline before a session = %v, want zero", m.Deadline())
	}
	m.Ready()
	m.Card(t0)
	if got, want := m.Deadline(), at(60*time.Second); !got.Equal(want) {
		t.Errorf("privacy deadline = %v, want %v", got, want)
	}
	m.Accept(at(time.Second))
	if got, want := m.Deadline(), at(91*time.Second); !got.Equal(want) {
		t.Errorf("active deadline = %v, want %v (idle warning)", got, want)
	}
	if got, want := m.Ends(), at(121*time.Second); !got.Equal(want) {
		t.Errorf("Ends = %v, want %v", got, want)
	}
	m.Tick(at(91 * time.Second))
	if got, want := m.Deadline(), at(121*time.Second); !got.Equal(want) {
		t.Errorf("idle warning deadline = %v, want %v (idle end)", got, want)
	}
	m.End(UserEnded)
	if !m.Deadline().IsZero() || !m.Ends().IsZero() {
		t.Errorf("deadline while ending = %v, want zero", m.Deadline())
	}
}
