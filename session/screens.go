package session

import (
	"time"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// What the manager puts on the screen: the welcome screen, the UI over a session, out of service.

// ui is the renderer in the patient's language.
func (g *Manager) ui() *ui.Renderer { return g.o.UI.In(g.lang) }

func (g *Manager) showWelcome() {
	g.closePIN(true)
	g.endedUntil = time.Time{}
	v := ui.Welcome{Dev: g.o.Dev, ReaderOK: g.readerOK, ReaderPaused: g.readerPaused}
	g.hoursView(&v)
	g.render(g.ui().Screen(v, ""))
}

// showSession draws the kiosk's UI over the site: the bar, a notice screen if one is up, and
// the warning on top of both.
func (g *Manager) showSession() {
	g.render(g.ui().Session(g.m.TimeLimit(), g.m.WarningText(), g.m.Ends(), g.prompt))
}

func (g *Manager) render(u *wire.UI, err error) {
	if err != nil {
		g.o.Log.Error("rendering a kiosk screen", "err", err)
		return
	}
	if g.cur != nil {
		g.cur.Send(wire.Command{Cmd: wire.CmdUI, UI: u})
	}
}

// outOfService stops new sessions for good (until restarted); the screen says so when a shell
// can show it, and status gives the technician the reason.
func (g *Manager) outOfService(why string) {
	g.o.Log.Error("out of service", "problem", why)
	g.stats.Problem = why
	g.closePIN(true)
	g.m.OutOfService()
	if g.cur == nil && g.next != nil {
		g.cur, g.next = g.next, nil
		g.cur.Send(wire.Command{Cmd: wire.CmdShow})
	}
	g.render(g.ui().Screen(ui.OutOfService{}, ""))
}
