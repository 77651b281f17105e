package supervisor

import (
	"fmt"
	"time"
)

// The heartbeat is how the supervisor tells systemd the kiosk is alive (Options.Heartbeat):
// it is called from the manager's own loop, so a loop that hangs stops calling it and the
// watchdog restarts the kiosk.

// beatsEvery is the heartbeat interval when Options.HeartbeatEvery is not set.
const beatsEvery = 10 * time.Second

// heartbeatTicks returns the channel of heartbeat ticks, nil (never) without a Heartbeat.
func (g *Manager) heartbeatTicks() (<-chan time.Time, func()) {
	if g.o.Heartbeat == nil {
		return nil, func() {}
	}
	every := g.o.HeartbeatEvery
	if every <= 0 {
		every = beatsEvery
	}
	t := time.NewTicker(every)
	return t.C, t.Stop
}

// beat calls Heartbeat with the status: always when tick, otherwise only when what a status
// line shows has changed since the last call.
func (g *Manager) beat(tick bool) {
	if g.o.Heartbeat == nil {
		return
	}
	s := g.snapshot(g.o.Now())
	key := fmt.Sprint(s.State, s.Screen, s.Reader, s.SessionsTotal, s.Closed, s.Problem)
	if !tick && key == g.lastBeat {
		return
	}
	g.lastBeat = key
	g.o.Heartbeat(s)
}
