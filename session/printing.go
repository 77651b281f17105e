package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// Purger removes what a session printed. Options.PrintJobs is nil when printing is off.
type Purger interface {
	// Purge cancels every print job of the kiosk's user, removes their spooled data, and then
	// proves that none is left. A non-nil error counts as a failed wipe.
	Purge(ctx context.Context) error
}

// wipeSession wipes a session's shell and then, with printing on, purges what it printed: the
// shell is gone by then, so nothing can queue a job behind the purge.
func (g *Manager) wipeSession(sh *shell) error {
	err := sh.Wipe()
	if g.o.PrintJobs == nil {
		return err
	}
	if perr := g.o.PrintJobs.Purge(context.Background()); perr != nil {
		return errors.Join(err, fmt.Errorf("print jobs: %w", perr))
	}
	return err
}

// onPrint: a page printed. A job that could not be sent (no printer) is explained to the
// patient in plain words, never with a print dialog.
func (g *Manager) onPrint(ev wire.Event) {
	g.o.Log.Info("print", "result", ev.Detail)
	if ev.Detail == "failed" { // "limited": the page's own loop, nothing for the patient to do
		g.promptOver(ui.PromptPrint, ui.PromptHelp, ui.PromptPassword)
	}
}
