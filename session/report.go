package session

import "time"

// Reporter receives what the manager counts, for the metrics endpoint (*metrics.Metrics
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
