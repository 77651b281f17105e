package main

import (
	"os"
	"path/filepath"
)

// This file is where the supervisor reads its environment; the packages it drives are told what
// they need (options, wire.Init) and read none of it themselves. The shells are passed on the
// variables of displayEnv.

// display is the screen the kiosk draws on.
type display struct {
	Wayland string // the Wayland compositor's socket by absolute path: $WAYLAND_DISPLAY, under $XDG_RUNTIME_DIR when relative; "" on X11
	X11     string // $DISPLAY, the X server (development and the tests' Xvfb)
}

// displayEnv passes the display to the shells. A Wayland socket is passed by absolute path,
// because each shell gets its own XDG_RUNTIME_DIR inside its session directory.
func displayEnv() []string {
	var env []string
	// CUPS_SERVER: the CUPS server the shells print to (printing = true), when not the system's.
	// DBUS_SESSION_BUS_ADDRESS, AT_SPI_BUS_ADDRESS: a session bus and an accessibility bus that
	// run beside the kiosk (a screen reader's); without them the shells have none (shellproc).
	for _, k := range []string{"XAUTHORITY", "PATH", "LANG", "CUPS_SERVER", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	d := displayFromEnv()
	if d.X11 != "" {
		env = append(env, "DISPLAY="+d.X11)
	}
	if d.Wayland != "" {
		env = append(env, "WAYLAND_DISPLAY="+d.Wayland)
	}
	return env
}

// displayFromEnv is the display of the supervisor's environment.
func displayFromEnv() display {
	w := os.Getenv("WAYLAND_DISPLAY")
	if w != "" && !filepath.IsAbs(w) {
		w = filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), w)
	}
	return display{Wayland: w, X11: os.Getenv("DISPLAY")}
}

// watchdogUSec is the unit's WatchdogSec in microseconds, as systemd sets it ("" without one).
func watchdogUSec() string { return os.Getenv("WATCHDOG_USEC") }

// cupsServer is the CUPS server the shells print to when it is not the system's: a socket path
// or a host (CUPS_SERVER, passed on to the shells by displayEnv).
func cupsServer() string { return os.Getenv("CUPS_SERVER") }

// accelerated is whether the shells may composite on the GPU: CAREKIOSK_ACCELERATED set, to
// anything. By default they render in software (kiosk/hooks.c says why).
func accelerated() bool {
	_, ok := os.LookupEnv("CAREKIOSK_ACCELERATED")
	return ok
}

// standbyUnmapped is whether a pre-warmed standby browser waits unmapped, unpainted until it is
// shown, rather than off the screen where it paints (X11): CAREKIOSK_STANDBY=hidden, to measure
// what pre-warming gains.
func standbyUnmapped() bool { return os.Getenv("CAREKIOSK_STANDBY") == "hidden" }
