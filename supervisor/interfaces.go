package supervisor

import (
	"context"
	"time"

	"github.com/carekiosk/carekiosk/session"
)

// Reporter receives what the kiosk counts, for the metrics endpoint (*metrics.Metrics
// implements it). Calls come from the manager's loop and must not block.
type Reporter interface {
	// SessionEnded: a session ended for reason after lasted; its wipe took wipe and was
	// verified or not.
	SessionEnded(reason string, lasted, wipe time.Duration, verified bool)
	// WipeFailed: the wipe of a browser that served no session failed.
	WipeFailed()
	// CardRead: a card was read: "accepted" (a session started), "ignored" (not on the welcome
	// screen) or "closed" (outside opening hours).
	CardRead(result string)
	ShellStarted()
	ShellCrashed()
	NavigationRefused()
}

// noReport is the Reporter of a manager without metrics.
type noReport struct{}

func (noReport) SessionEnded(string, time.Duration, time.Duration, bool) {}
func (noReport) WipeFailed()                                             {}
func (noReport) CardRead(string)                                         {}
func (noReport) ShellStarted()                                           {}
func (noReport) ShellCrashed()                                           {}
func (noReport) NavigationRefused()                                      {}

// count passes a count of the Core's to the Reporter.
func (g *Manager) count(c session.Count) {
	switch c.Metric {
	case session.CardRead:
		g.o.Metrics.CardRead(c.Label)
	case session.ShellCrash:
		g.o.Metrics.ShellCrashed()
	case session.NavigationRefused:
		g.o.Metrics.NavigationRefused()
	case session.WipeFailure:
		g.o.Metrics.WipeFailed()
	case session.ShellStart:
		g.o.Metrics.ShellStarted()
	}
}

// Purger removes what a session printed. Options.PrintJobs is nil when printing is off.
type Purger interface {
	// Purge cancels every print job of the kiosk's user, removes their spooled data, and then
	// proves that none is left. A non-nil error counts as a failed wipe.
	Purge(ctx context.Context) error
}

// PINPad is what the patient did on the PIN pad (AskPIN), sent on Options.PINPad: the PIN
// typed, which the receiver owns and zeroes once checked, then calls CardID, CardRefused,
// CardCheckDown or AskPIN; or Cancelled, when the pad closed without a PIN (Cancel, its
// timeout, or another screen came over it).
type PINPad struct {
	PIN       []byte
	Cancelled bool
}
