package main

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// ignoreHangups keeps SIGHUP, from now on, from ending the supervisor (Go's default) and logs it:
// the config is reloaded through the control socket (carekiosk reload), never on a signal, since
// a SIGHUP also comes from a terminal hang-up, which is no reason to re-read anything.
func ignoreHangups(log *slog.Logger) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			log.Info("SIGHUP ignored: the config is reloaded with `systemctl reload carekiosk` (carekiosk reload)")
		}
	}()
}

// quietWatchdog: systemd's watchdog ends a hung kiosk with SIGABRT to every process of the unit,
// on which Go would print every goroutine's stack — hundreds of journal lines that tell a
// technician nothing (systemd itself logs "Watchdog timeout"). The supervisor says in one line
// what happened and exits; the unit restarts it, and /run/carekiosk goes with the old run. A
// supervisor hung in its loop still does this: signals are handled on a goroutine of their own.
func quietWatchdog(log *slog.Logger) {
	abrt := make(chan os.Signal, 1)
	signal.Notify(abrt, syscall.SIGABRT)
	go func() {
		<-abrt
		log.Error("SIGABRT: stopped by the watchdog (the supervisor missed its heartbeat) or by hand; the unit restarts the kiosk")
		os.Exit(128 + int(syscall.SIGABRT))
	}()
}
