package kiosktest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/carekiosk/carekiosk/control"
	"github.com/carekiosk/carekiosk/session"
)

// Status asks the running kiosk through its control socket.
func (k *Kiosk) Status() (session.Status, error) {
	r, err := control.Call(k.socket(), control.Request{Cmd: "status"})
	if err != nil {
		return session.Status{}, err
	}
	var s session.Status
	return s, json.Unmarshal(r.Status, &s)
}

// WaitFor polls status every Poll until ok holds (the kiosk has no event stream to await), and
// returns the status that satisfied it; it fails after within or when the kiosk exits.
func (k *Kiosk) WaitFor(what string, within time.Duration, ok func(session.Status) bool) (session.Status, error) {
	deadline := time.Now().Add(within)
	var last session.Status
	var err error
	for time.Now().Before(deadline) {
		select {
		case <-k.Exited:
			return last, fmt.Errorf("waiting for %s: the kiosk exited", what)
		default:
		}
		if last, err = k.Status(); err == nil && ok(last) {
			return last, nil
		}
		time.Sleep(k.Poll)
	}
	return last, fmt.Errorf("waiting for %s: not within %v; last status %+v (err %v)", what, within, last, err)
}

// WaitScreen waits until the kiosk is in state with screen painted.
func (k *Kiosk) WaitScreen(state session.State, screen string, within time.Duration) (session.Status, error) {
	return k.WaitFor(fmt.Sprintf("%s with the %s screen", state, screen), within, func(s session.Status) bool {
		return s.State == state && s.Screen == screen
	})
}

// EndSession asks the kiosk to end the session, as `carekiosk end-session` does, and returns
// when it asked.
func (k *Kiosk) EndSession() (time.Time, error) {
	t := time.Now()
	r, err := control.Call(k.socket(), control.Request{Cmd: "end-session"})
	if err == nil && !r.Ended {
		err = fmt.Errorf("end-session: no session under way")
	}
	return t, err
}
