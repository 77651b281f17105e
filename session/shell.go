package session

import (
	"github.com/carekiosk/carekiosk/shellproc"
	"github.com/carekiosk/carekiosk/wire"
)

// shell is a browser shell as the manager sees it: its process (shellproc does the starting,
// killing and wiping) and where it stands.
type shell struct {
	*shellproc.Proc
	ready   bool // sent EvReady
	gen     int  // the manager's settings generation it was started under
	missed  int  // pings in a row without a pong (the manager's loop only)
	warm    bool // a standby that was sent its screens to draw off the screen
	painted bool // … and painted them
	// offscreen: a standby that paints mapped off the screen (X11). One that can't (Wayland) is
	// lifted: mapped over the privacy check showing the same screen (lifting), then left beneath
	// the session's window once that is mapped again on top (under), where it paints.
	offscreen, lifting, under bool
}

// shellEvent is a message from a shell, delivered into the manager's loop.
type shellEvent struct {
	sh *shell
	ev wire.Event
}
