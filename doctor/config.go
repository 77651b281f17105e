package doctor

import (
	"errors"
	"io/fs"

	"github.com/carekiosk/carekiosk/config"
)

// checkConfig loads the config file; the other checks use it, or the defaults when it is
// broken (so that they still say something useful).
func checkConfig(e *Env, st *state) Result {
	r := Result{Check: "config"}
	c, err := config.Load(e.ConfigPath)
	if err == nil {
		st.cfg = c
		r.Level, r.Msg = OK, e.ConfigPath+" is valid"
		return r
	}
	d := config.Default()
	st.cfg = &d
	var ps config.Problems
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.Level, r.Msg = Fail, e.ConfigPath+" does not exist, so the kiosk would run its demo"
		r.Fix = "write it (see docs/config.md), then carekiosk check-config " + e.ConfigPath
	case errors.As(err, &ps):
		r.Level, r.Msg = Fail, ps[0].Error()
		if len(ps) > 1 {
			r.Msg += " (and more)"
		}
		r.Fix = "carekiosk check-config " + e.ConfigPath + " lists every problem"
	default:
		r.Level, r.Msg = Fail, err.Error()
	}
	return r
}

// checkRunning says whether a kiosk answers on the control socket; other checks adapt (the
// reader is in use, the session directory holds the browsers' directories). Not a failure
// either way: doctor is also run before the kiosk is first started.
func checkRunning(e *Env, st *state) Result {
	s, err := e.Running(st.cfg)
	if err != nil {
		return Result{Check: "kiosk", Level: OK, Msg: "not running (no answer on " + st.cfg.ControlSocket + "); checking the hardware directly"}
	}
	st.running = &s
	return Result{Check: "kiosk", Level: OK, Msg: "running: " + string(s.State)}
}
