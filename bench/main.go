// Command bench measures the kiosk the way a patient feels it, on this machine, beside a
// baseline: `make bench` and `make soak` run it under Xvfb, `make bench STACK=cage` under headless
// cage in the Debian 13 test root (scripts/with-display).
//
//	bench -bin bin/carekiosk -bare bin/bench-bare [-runs 20] [-idle 30s]   the figures and targets
//	bench -bin bin/carekiosk -soak N                                        N whole sessions, checked
//
// "Visible" is the page's own word: the kiosk's overlay reports a screen two animation frames
// after drawing it (status screen_at); the baselines' page fetches /shown the same way.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/carekiosk/carekiosk/internal/display"
)

// screen is the display the bench runs on, with the keyboard that presses the privacy check's
// button.
var screen display.Display

func main() {
	bin := flag.String("bin", "bin/carekiosk", "the carekiosk binary")
	bare := flag.String("bare", "bin/bench-bare", "the bare webview_go baseline")
	runs := flag.Int("runs", 20, "runs of each timed figure")
	idle := flag.Duration("idle", 30*time.Second, "how long CPU is measured at the welcome screen")
	soakN := flag.Int("soak", 0, "run this many whole sessions and check each, instead of the bench")
	flag.Parse()
	var err error
	if screen, err = display.FromEnv(); err != nil {
		fail(fmt.Errorf("%w: run it through scripts/with-display (make bench, make soak)", err))
	}
	if *soakN > 0 {
		err = soak(*bin, *soakN)
	} else {
		err = bench(*bin, *bare, *runs, *idle)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

// progress is for the person waiting: to stderr, so stdout is the report alone.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
