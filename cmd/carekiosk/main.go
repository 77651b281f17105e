// Command carekiosk is the kiosk: `carekiosk run` is the appliance's supervisor (it starts
// carekiosk-shell, the browser, for each session), and the other subcommands are for technicians.
package main

import (
	"fmt"
	"os"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

const usage = `usage: carekiosk <command> [flags]

commands:
  run [-config FILE] [-dev]     the kiosk; -dev: windowed, embedded demo portal, demo card
  check-config [FILE]           exit 0 if FILE is valid; else exit 1, one "FILE:LINE: problem" per line
  status [-config FILE] [-json] the running kiosk's state
  end-session [-config FILE]    end the current session (reason: technician)
  reload [-config FILE]         re-read the config file (systemctl reload); a broken one is refused
  stop [-config FILE]           end any session, wiped, and stop the kiosk (the unit's ExecStop)
  doctor [-config FILE]         check the installation, one line per check; exit 1 if any fails
  reader [-config FILE]         live view of the card reader: each read (masked) and what is wrong
  card-hash [-config FILE]      read one card and print its hash, for [auth] allowlist and technician_cards
  version                       print the version
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "run":
		err = runKiosk(args)
	case "check-config":
		err = checkConfig(args)
	case "status":
		err = status(args)
	case "end-session":
		err = endSession(args)
	case "reload":
		err = reload(args)
	case "stop":
		err = stopKiosk(args)
	case "doctor":
		err = runDoctor(args)
	case "reader":
		err = readerView(args)
	case "card-hash":
		err = cardHash(args)
	case "version", "-version", "--version":
		fmt.Println("carekiosk", version)
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "carekiosk: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "carekiosk:", err)
		os.Exit(1)
	}
}
