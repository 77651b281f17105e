package main

import (
	"os"

	"github.com/carekiosk/carekiosk/kiosk"
)

// runShell is the browser of one session, started by the supervisor with the socketpair as fd 3.
// It is not for people to run.
func runShell() error {
	return kiosk.Run(os.NewFile(3, "supervisor"))
}
