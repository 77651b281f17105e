package presence

import (
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/hardware"
)

func report(ts ...hardware.Target) hardware.Report {
	var r hardware.Report
	r.N = copy(r.Targets[:], ts)
	return r
}

func TestWatcher(t *testing.T) {
	user := Zone{XMin: -400, XMax: 400, YMin: 0, YMax: 1000}
	overlook := Zone{XMin: -1500, XMax: 1500, YMin: 0, YMax: 3000}
	patient := hardware.Target{X: 50, Y: 600}
	behind := hardware.Target{X: 300, Y: 1800}
	far := hardware.Target{X: 0, Y: 5000}
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		at      time.Duration
		r       hardware.Report
		on, chg bool
	}{
		{0, report(patient), false, false},
		{100 * time.Millisecond, report(patient, far), false, false},    // outside the overlook zone
		{200 * time.Millisecond, report(patient, behind), false, false}, // a second person: the clock starts
		{1 * time.Second, report(behind, patient), false, false},        // order does not matter
		{2200 * time.Millisecond, report(patient, behind), true, true},  // 2s: alert
		{2300 * time.Millisecond, report(patient), true, false},         // gone for one report: still on
		{2400 * time.Millisecond, report(patient, behind), true, false}, // back
		{2500 * time.Millisecond, report(patient), true, false},         // gone …
		{3600 * time.Millisecond, report(patient), false, true},         // … for ClearAfter: cleared
		{4000 * time.Millisecond, report(behind), false, false},         // alone, stepped back: the patient
		{7000 * time.Millisecond, report(behind, behind), false, false}, // two: clock starts
		{9000 * time.Millisecond, report(behind, hardware.Target{X: -900, Y: 900}), true, true},
	}
	w := NewWatcher(user, overlook, 2*time.Second)
	for i, s := range steps {
		on, chg := w.Update(s.r, t0.Add(s.at))
		if on != s.on || chg != s.chg {
			t.Errorf("step %d at %v: got on %t changed %t, want %t %t", i, s.at, on, chg, s.on, s.chg)
		}
	}
	if !w.Lost() || w.Lost() {
		t.Error("Lost: want changed once")
	}
}
