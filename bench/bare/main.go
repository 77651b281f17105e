// Command bare is the bench's baseline: a bare webview_go window, full screen size, on one URL,
// with none of the kiosk's lockdown, overlay or supervisor. It is how other kiosks run a browser;
// the bench kills and restarts it to measure how they reset.
package main

import (
	"fmt"
	"os"

	webview "github.com/webview/webview_go"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bare URL")
		os.Exit(2)
	}
	w := webview.New(false)
	if w == nil {
		fmt.Fprintln(os.Stderr, "bare: cannot open a window")
		os.Exit(1)
	}
	defer w.Destroy()
	w.SetTitle("bare")
	w.SetSize(1280, 1024, webview.HintFixed)
	w.Navigate(os.Args[1])
	w.Run()
}
