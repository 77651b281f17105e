package main

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"sync"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/hardware"
	"github.com/carekiosk/carekiosk/session"
)

// reloader applies the config file again when `carekiosk reload` asks (ExecReload of the unit, so
// `systemctl reload carekiosk`). The file is validated first: a file with problems is refused,
// each problem logged as FILE:LINE and sent back to the command, and the kiosk goes on with the
// config it has. A valid one is handed to the session manager, which
// applies it from the next session; a changed [reader] reopens the reader at once (a card read
// during a session is ignored anyway, so no patient notices); the keys that need a restart are
// logged. docs/config.md, "Reloading", lists which key applies when.
type reloader struct {
	path   string
	cur    *config.Config // the config in force: the last good one
	demo   bool
	apply  func(session.Settings)     // the manager's Reload
	reader func(hardware.Options)     // reopens the reader with new options
	cards  func(*config.Config) error // applies [auth] and lift_to_end (nil: none)
	count  func(applied bool)         // metrics
	log    *slog.Logger
	mu     sync.Mutex // one reload at a time
}

// restartKeys are the keys a running kiosk cannot change: it logs that they changed.
var restartKeys = []struct {
	key string
	get func(*config.Config) any
}{
	{"session_dir", func(c *config.Config) any { return c.SessionDir }},
	{"control_socket", func(c *config.Config) any { return c.ControlSocket }},
	{"state_dir", func(c *config.Config) any { return c.StateDir }},
	{"metrics", func(c *config.Config) any { return c.Metrics }},
	{"presence", func(c *config.Config) any { return c.Presence }},
}

// errDemoReload: the demo runs on no config file, so there is none to reload.
var errDemoReload = errors.New("the demo is running; restart the kiosk to use a config file")

// reload loads and applies the config file, or refuses it and says why (each problem as
// FILE:LINE, one per line).
func (r *reloader) reload() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.demo {
		r.log.Warn("config reload: " + errDemoReload.Error())
		return errDemoReload
	}
	next, err := config.Load(r.path)
	var settings session.Settings
	if err == nil {
		settings, err = settingsFrom(next, false)
	}
	if err != nil {
		var ps config.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				r.log.Error("config reload refused; the kiosk keeps the config it has", "problem", p.Error())
			}
		} else {
			r.log.Error("config reload refused; the kiosk keeps the config it has", "problem", err.Error())
		}
		r.count(false)
		return err
	}
	for _, k := range restartKeys {
		if !reflect.DeepEqual(k.get(r.cur), k.get(next)) {
			r.log.Warn("config reload: this key changed, and applies only when the kiosk restarts (systemctl restart carekiosk)", "key", k.key)
		}
	}
	r.apply(settings)
	if r.cards != nil {
		if err := r.cards(next); err != nil { // validated above: only a file changed since
			r.log.Error("config reload: keeping the card rules in force", "err", err)
		}
	}
	if !reflect.DeepEqual(readerOptions(r.cur), readerOptions(next)) {
		r.log.Info("config reload: reopening the card reader", "device", next.Reader.Device)
		r.reader(readerOptions(next))
	}
	r.cur = next
	r.count(true)
	r.log.Info("config reloaded; it applies from the next session", "config", r.path)
	return nil
}

// settingsFrom is what the session manager takes from a config, at start and on reload; windowed
// is the demo's browser in a window.
func settingsFrom(c *config.Config, windowed bool) (session.Settings, error) {
	init, err := shellInit(c, windowed)
	if err != nil {
		return session.Settings{}, err
	}
	sched, err := schedule(c)
	if err != nil {
		return session.Settings{}, err
	}
	s := c.Session
	return session.Settings{
		Timeouts: session.Timeouts{
			Idle: s.IdleTimeout.D(), IdleWarning: s.IdleWarning.D(),
			Max: s.MaxDuration.D(), MaxWarning: s.MaxWarning.D(), Privacy: s.PrivacyTimeout.D(),
		},
		StartURL: c.StartURL, LogoutURL: s.LogoutURL, LogoutWait: s.LogoutWait.D(),
		Init: init, Hours: sched,
	}, nil
}

// readerOptions is the kiosk's card reader: the [reader] table's, and with auth mode sip2 it
// keeps each card's number, sealed, for the library's server.
func readerOptions(c *config.Config) hardware.Options {
	o := c.Reader.Options()
	o.KeepNumber = c.Auth.Mode == config.AuthSIP2
	return o
}

// readerRunner runs one card reader at a time, and replaces it on reload.
type readerRunner struct {
	ctx    context.Context
	events chan<- hardware.Event
	keyer  *hardware.Keyer
	log    *slog.Logger

	mu     sync.Mutex
	dev    string
	cancel context.CancelFunc
	done   chan struct{}
}

// start runs a reader for opts in place of the one running (see run). Options NewReader refuses
// are logged and leave the old reader running; validation makes that rare.
func (rr *readerRunner) start(opts hardware.Options) {
	r, err := hardware.NewReader(opts, rr.keyer, rr.log)
	if err != nil {
		rr.log.Error("card reader: keeping the one running", "err", err)
		return
	}
	rr.run(r)
}

// run stops the reader running, waiting for it to close its device, and runs r.
func (rr *readerRunner) run(r *hardware.Reader) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.cancel != nil {
		rr.cancel()
		<-rr.done
	}
	ctx, cancel := context.WithCancel(rr.ctx)
	done := make(chan struct{})
	rr.dev, rr.cancel, rr.done = r.Device(), cancel, done
	go func() { defer close(done); r.Run(ctx, rr.events) }()
}

// device is the device of the reader running.
func (rr *readerRunner) device() string {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return rr.dev
}
