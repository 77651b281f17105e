package doctor

import (
	"strings"

	"golang.org/x/sys/unix"
)

// checkUnit checks that the kiosk's unit starts at boot.
func checkUnit(e *Env, st *state) Result {
	r := Result{Check: "unit"}
	out, err := e.Command("systemctl", "is-enabled", e.Unit)
	if out == "enabled" && err == nil {
		r.Level, r.Msg = OK, e.Unit+" is enabled"
		return r
	}
	if out == "" && err != nil {
		out = err.Error()
	}
	r.Level, r.Msg = Fail, e.Unit+" is not enabled: "+out
	r.Fix = "systemctl enable " + e.Unit
	return r
}

// checkClock checks that the clock is synchronised: session limits, opening hours and the
// audit times depend on it.
func checkClock(e *Env, st *state) Result {
	r := Result{Check: "clock"}
	fix := "enable time synchronisation (timedatectl set-ntp true) and check the network (timedatectl timesync-status)"
	out, err := e.Command("timedatectl", "show", "-p", "NTPSynchronized", "--value")
	switch {
	case err == nil && out == "yes":
		r.Level, r.Msg = OK, "synchronised (timedatectl)"
		return r
	case err == nil && out == "no":
		r.Level, r.Msg, r.Fix = Fail, "not synchronised (timedatectl)", fix
		return r
	}
	ok, kerr := e.ClockSynced()
	switch {
	case kerr != nil:
		r.Level, r.Msg, r.Fix = Fail, "cannot tell: timedatectl: "+strings.TrimSpace(errText(out, err))+"; adjtimex: "+kerr.Error(), fix
	case ok:
		r.Level, r.Msg = OK, "synchronised (kernel clock, adjtimex)"
	default:
		r.Level, r.Msg, r.Fix = Fail, "not synchronised (kernel clock, adjtimex)", fix
	}
	return r
}

func errText(out string, err error) string {
	if out != "" {
		return out
	}
	if err != nil {
		return err.Error()
	}
	return "no answer"
}

// ClockSynced asks the kernel whether its clock is synchronised: adjtimex says TIME_ERROR when
// no one keeps it in step.
func ClockSynced() (bool, error) {
	var t unix.Timex
	state, err := unix.Adjtimex(&t)
	if err != nil {
		return false, err
	}
	return state != unix.TIME_ERROR, nil
}
