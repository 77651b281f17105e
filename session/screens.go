package session

import (
	"time"

	"github.com/carekiosk/carekiosk/ui"
)

// What the Core puts on the screen: the welcome screen, the UI over a session, passing screens.

// show shows v in the patient's language on the shell on screen, if there is one.
func (c *Core) show(v ui.View, focus string) {
	if c.cur != nil {
		c.emit(Show{Shell: c.cur.id, Lang: c.lang, View: v, Focus: focus})
	}
}

func (c *Core) showWelcome(now time.Time) {
	c.closePIN(true)
	c.endedUntil = time.Time{}
	v := ui.Welcome{Dev: c.cfg.Dev, ReaderOK: c.readerOK, ReaderPaused: c.readerPaused}
	c.hoursView(now, &v)
	c.show(v, "")
}

// showSession draws the kiosk's UI over the site: the bar, a notice screen if one is up, and
// the warning on top of both.
func (c *Core) showSession() {
	if c.cur != nil {
		c.emit(ShowSession{Shell: c.cur.id, Lang: c.lang, Limit: c.m.TimeLimit(), Warning: c.m.WarningText(),
			Ends: c.m.Ends(), Prompt: c.prompt})
	}
}

// passing shows v, which says why a card starts no session, over the welcome screen for
// EndedFor (then the welcome screen is back).
func (c *Core) passing(now time.Time, v ui.View) {
	if c.m.State() == Welcome && c.cur != nil {
		c.closePIN(true)
		c.show(v, ui.ActionOK)
		c.endedUntil = now.Add(c.cfg.EndedFor)
	}
}
