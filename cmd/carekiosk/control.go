package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/control"
	"github.com/carekiosk/carekiosk/session"
)

// checkConfig validates a config file: exit 0 if valid; otherwise every problem as FILE:LINE.
func checkConfig(args []string) error {
	fs := flag.NewFlagSet("check-config", flag.ExitOnError)
	path := fs.String("config", config.DefaultPath, "config file")
	fs.Parse(args)
	if fs.NArg() > 1 {
		return errors.New("usage: carekiosk check-config [FILE]")
	}
	if fs.NArg() == 1 {
		*path = fs.Arg(0)
	}
	if _, err := config.Load(*path); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: valid\n", *path)
	return nil
}

// ask sends cmd to the running kiosk found through the -config flag of fs.
func ask(fs *flag.FlagSet, args []string, cmd string) (control.Reply, error) {
	path := fs.String("config", config.DefaultPath, "config file (to find the control socket)")
	fs.Parse(args)
	return control.Call(controlSocket(*path), control.Request{Cmd: cmd})
}

// status prints the running kiosk's state.
func status(args []string) error {
	fs := flag.NewFlagSet("status", flag.ExitOnError)
	asJSON := fs.Bool("json", false, "print one JSON object")
	r, err := ask(fs, args, "status")
	if err != nil {
		return err
	}
	if *asJSON {
		fmt.Println(string(r.Status))
		return nil
	}
	var s session.Status
	if err := json.Unmarshal(r.Status, &s); err != nil {
		return err
	}
	fmt.Printf("state:          %s\n", s.State)
	if s.Closed {
		fmt.Printf("hours:          closed now (no session starts until opening time)\n")
	}
	if s.SessionID != "" {
		fmt.Printf("session:        %s (%d s left)\n", s.SessionID, s.SecondsLeft)
		fmt.Printf("page:           %s\n", s.URL)
	}
	fmt.Printf("reader:         %s (%s)\n", s.Reader.Device, map[bool]string{true: "connected", false: "NOT CONNECTED"}[s.Reader.Connected])
	fmt.Printf("sessions:       %d since start\n", s.SessionsTotal)
	if s.LastEndReason != "" {
		fmt.Printf("last end:       %s, wipe verified: %t\n", s.LastEndReason, s.LastWipeVerified)
	}
	if s.Problem != "" {
		fmt.Printf("problem:        %s\n", s.Problem)
	}
	return nil
}

// endSession ends the current session as "technician".
func endSession(args []string) error {
	r, err := ask(flag.NewFlagSet("end-session", flag.ExitOnError), args, "end-session")
	if err != nil {
		return err
	}
	if !r.Ended {
		fmt.Println("no session was under way")
		return nil
	}
	fmt.Println("session ended")
	return nil
}

// reload asks the running kiosk to read its config file again (the unit's ExecReload). A file
// with problems is refused — the kiosk keeps the config it has — and the problems are printed,
// one FILE:LINE each, with exit status 1.
func reload(args []string) error {
	if _, err := ask(flag.NewFlagSet("reload", flag.ExitOnError), args, "reload"); err != nil {
		return err
	}
	fmt.Println("config reloaded; it applies from the next session")
	return nil
}

// stopKiosk asks the running kiosk to stop (the unit's ExecStop): the session under way ends as
// at shutdown — logged out, wiped, verified, audited — and the supervisor exits. Under systemd it
// then waits for the unit's main process, cage, which ends when its one client has: a cage still
// there would get SIGTERM, on which cage 0.1.4 (Debian 12) aborts. A kiosk not running is
// stopped already.
func stopKiosk(args []string) error {
	fs := flag.NewFlagSet("stop", flag.ExitOnError)
	path := fs.String("config", config.DefaultPath, "config file (to find the control socket)")
	wait := fs.Duration("wait", 15*time.Second, "how long the supervisor may take to end the session and exit")
	fs.Parse(args)
	if err := control.Stop(controlSocket(*path), *wait); err != nil {
		return err
	}
	if pid, err := strconv.Atoi(os.Getenv("MAINPID")); err == nil && pid > 0 && pid != os.Getpid() {
		waitExit(pid, 3*time.Second)
	}
	return nil
}

// waitExit waits up to d for process pid to end.
func waitExit(pid int, d time.Duration) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return // gone already (ESRCH), or no pidfd: systemd takes over from here
	}
	defer unix.Close(fd)
	_, _ = unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, int(d.Milliseconds()))
}
