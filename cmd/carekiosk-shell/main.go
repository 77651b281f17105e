// Command carekiosk-shell is the browser of one kiosk session, started by `carekiosk run` with
// a private, empty HOME and the supervisor's end of a socketpair as fd 3. It is the only program
// with WebKit in it, so that the supervisor stays small and a browser crash can't take the card
// reader down. It is not for people to run.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/carekiosk/carekiosk/kiosk"
)

func main() {
	// The watchdog's SIGABRT goes to every process of the unit. The shell ends through its
	// supervisor (the parent-death signal), without the stack dump Go prints on SIGABRT;
	// abort() from C code still ends it at once (it restores the default action first).
	signal.Ignore(syscall.SIGABRT)
	if err := kiosk.Run(os.NewFile(3, "supervisor")); err != nil {
		fmt.Fprintln(os.Stderr, "carekiosk-shell:", err)
		os.Exit(1)
	}
}
