package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/sys/unix"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/control"
	"github.com/carekiosk/carekiosk/cups"
	"github.com/carekiosk/carekiosk/hardware"
	"github.com/carekiosk/carekiosk/metrics"
	"github.com/carekiosk/carekiosk/notify"
	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/shellproc"
	"github.com/carekiosk/carekiosk/supervisor"
	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// runKiosk is the appliance: the supervisor that owns the card reader, the sessions and the
// control socket, and starts a browser shell per session.
func runKiosk(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	path := fs.String("config", config.DefaultPath, "config file")
	dev := fs.Bool("dev", false, "windowed, with the embedded demo portal and a demo card")
	fs.Parse(args)

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, demoMode, err := loadForRun(*path, *dev)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, end := context.WithCancelCause(ctx)
	go watchCompositor(ctx, end, log)
	ignoreHangups(log) // from the start: an early SIGHUP must not kill the kiosk
	quietWatchdog(log)

	var demoCard func()
	if demoMode {
		d, err := startDemo(cfg, log)
		if err != nil {
			return fmt.Errorf("starting the demo: %w", err)
		}
		defer d.close()
		demoCard = d.swipe
		printDemoHelp(cfg)
	}
	if err := cfg.Validate(*path); err != nil {
		return err
	}

	keyer, err := hardware.LoadKeyer(cfg.StateDir)
	if err != nil {
		return err
	}
	reader, err := hardware.NewReader(readerOptions(cfg), keyer, log)
	if err != nil {
		return err
	}
	settings, err := settingsFrom(cfg, demoMode)
	if err != nil {
		return err
	}
	renderer, err := ui.New(cfg.Language)
	if err != nil {
		return err
	}
	renderer.SetContent(screenContent(cfg))
	self, err := os.Executable()
	if err != nil {
		return err
	}
	shell, err := shellproc.FindShell(self)
	if err != nil {
		return err
	}
	// Orphans of a session's browser become our children, so the wipe can see them go.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("becoming a subreaper: %w", err)
	}

	met := metrics.New(version)
	if cfg.Metrics.Listen != "" {
		// Optional: a kiosk whose metrics port is taken still serves patients.
		if ml, err := metrics.Listen(cfg.Metrics.Listen); err != nil {
			log.Error("no metrics endpoint", "err", err)
		} else {
			go met.Serve(ctx, ml, log)
			log.Info("metrics endpoint", "url", "http://"+ml.Addr().String()+"/metrics")
		}
	}
	sd := notify.New(log)
	pins := make(chan supervisor.PINPad)
	mgr := supervisor.NewManager(supervisor.Options{
		Settings: settings, SessionDir: cfg.SessionDir,
		Shell: []string{shell}, ShellEnv: displayEnv(), Sandbox: shellproc.CheckSandbox,
		UI: renderer, Dev: demoMode, DemoCard: demoCard,
		Metrics: met, Audit: os.Stdout, Log: log,
		Heartbeat: sd.Beat, HeartbeatEvery: notify.Interval(watchdogUSec(), 10*time.Second),
		PrintJobs: printJobs(cfg), PINPad: pins,
	})
	sensorState := startPresence(ctx, cfg, mgr.PresenceAlert, log)
	desk, err := newCardDesk(cfg, mgr, unitAbout{keyer.Unit(), sensorState}, os.Stdout, log, met)
	if err != nil {
		return err
	}
	go desk.takePINs(pins)

	events := make(chan hardware.Event, 16)
	rr := &readerRunner{ctx: ctx, events: events, keyer: keyer, log: log}
	rl := &reloader{path: *path, cur: cfg, demo: demoMode, apply: mgr.Reload, reader: rr.start, cards: desk.configure, count: met.Reloaded, log: log}

	l, err := control.Listen(cfg.ControlSocket)
	if err != nil {
		return err
	}
	defer l.Close()
	go control.Serve(l, func(r control.Request) control.Reply {
		switch r.Cmd {
		case "status":
			b, _ := json.Marshal(mgr.Status())
			return control.Reply{Status: b}
		case "end-session":
			return control.Reply{Ended: mgr.EndSession(session.Technician)}
		case "reload":
			if err := rl.reload(); err != nil {
				return control.Reply{Error: "config reload refused; the kiosk keeps the config it has:\n" + err.Error()}
			}
			return control.Reply{}
		case "stop":
			log.Info("stop requested (carekiosk stop): ending as on SIGTERM")
			end(errStopRequested)
			return control.Reply{Stopping: true}
		}
		return control.Reply{Error: fmt.Sprintf("unknown command %q", r.Cmd)}
	}, log)
	rr.run(reader)
	go func() {
		for ev := range events {
			switch ev.Kind {
			case hardware.Card, hardware.Removed:
				desk.card(ev)
			case hardware.Unreadable:
				met.CardRead("unreadable")
				log.Info("reader: ignored a read that is not a card", "detail", ev.Detail)
				mgr.CardRefused()
			case hardware.Connected, hardware.Disconnected:
				met.ReaderConnected(ev.Kind == hardware.Connected)
				mgr.ReaderStatus(rr.device(), ev.Kind == hardware.Connected)
			}
		}
	}()
	log.Info("carekiosk running", "version", version, "config", *path, "demo", demoMode)
	go func() { <-ctx.Done(); sd.Stopping() }()
	mgr.Run(ctx)
	if err := context.Cause(ctx); errors.Is(err, errCompositorGone) {
		return err
	}
	return nil
}

// errStopRequested: `carekiosk stop` (the unit's ExecStop) asked the supervisor to end, which it
// does as on SIGTERM.
var errStopRequested = errors.New("stop requested")

// errCompositorGone: the Wayland compositor the kiosk draws on has gone (cage crashed or was
// killed). No browser can draw any more, and a new one can't start: the supervisor ends as on
// SIGTERM — the session logged out, wiped and verified — and exits with an error, so that the
// unit restarts the whole stack.
var errCompositorGone = errors.New("the Wayland compositor is gone")

// watchCompositor holds a connection to the Wayland compositor that asks for nothing, so the
// compositor sends nothing on it: it ends when the compositor does. The X11 stack (development)
// is not watched.
func watchCompositor(ctx context.Context, gone context.CancelCauseFunc, log *slog.Logger) {
	socket := displayFromEnv().Wayland
	if socket == "" {
		return
	}
	c, err := net.Dial("unix", socket)
	if err != nil {
		log.Error("cannot connect to the Wayland compositor", "socket", socket, "err", err)
		gone(errCompositorGone)
		return
	}
	go func() { <-ctx.Done(); c.Close() }()
	io.Copy(io.Discard, c)
	if ctx.Err() == nil {
		log.Error("the Wayland compositor is gone: stopping, so that the unit restarts it and the kiosk", "socket", socket)
		gone(errCompositorGone)
	}
}

// printJobs is the purge of each session's print jobs; nil (nothing to purge) with printing off.
func printJobs(cfg *config.Config) supervisor.Purger {
	if !cfg.Printing {
		return nil
	}
	return cups.Jobs{Server: cupsServer()}
}

// schedule is the config's opening hours in the kiosk's local time; nil (always open) when the
// file has no [hours].
func schedule(cfg *config.Config) (session.Schedule, error) {
	s, err := cfg.Hours.Schedule(time.Local)
	if err != nil || s == nil {
		return nil, err
	}
	return s, nil
}

// screenContent is what the config puts on the kiosk's screens.
func screenContent(cfg *config.Config) ui.Content {
	h := cfg.Help
	c := ui.Content{
		StartURL: cfg.StartURL, NeutralTitle: cfg.QuickExit.Title, NeutralText: cfg.QuickExit.Text,
		Help: ui.Help{ProviderName: h.ProviderName, ProviderPhone: h.ProviderPhone, ProviderURL: h.ProviderURL},
	}
	for _, o := range h.Organisations {
		c.Help.Organisations = append(c.Help.Organisations, ui.Organisation{Name: o.Name, Phone: o.Phone, URL: o.URL, About: o.About})
	}
	return c
}

// loadForRun loads the config. With no config file the kiosk runs the embedded demo (never an
// open browser); -dev runs the demo on top of a config file's timeouts and paths.
func loadForRun(path string, dev bool) (*config.Config, bool, error) {
	cfg, err := config.Load(path)
	switch {
	case err == nil:
		return cfg, dev, nil
	case errors.Is(err, fs.ErrNotExist):
		d := config.Default()
		demoPaths(&d)
		return &d, true, nil
	default:
		return nil, false, err
	}
}

// demoPaths moves the run-time paths of a config without a file somewhere this user can write
// when it can't write the appliance's /run and /var/lib (a developer's machine).
func demoPaths(c *config.Config) {
	if unix.Access(filepath.Dir(filepath.Dir(c.SessionDir)), unix.W_OK) == nil && unix.Access(filepath.Dir(c.StateDir), unix.W_OK) == nil {
		return
	}
	base := os.Getenv("XDG_RUNTIME_DIR")
	if base == "" {
		base = os.TempDir()
	}
	base = filepath.Join(base, fmt.Sprintf("carekiosk-%d", os.Getuid()))
	c.SessionDir = filepath.Join(base, "sessions")
	c.ControlSocket = filepath.Join(base, "control.sock")
	c.StateDir = filepath.Join(base, "state")
}

// controlSocket finds the running kiosk's control socket through its config file (or, with no
// file, where the demo puts it). A file broken since the kiosk started must not keep a technician
// from reaching it — to stop it, or to be told by it why a reload is refused — so a file that
// does not load is reported on stderr and its control_socket is read on its own if it can be,
// else the default socket is tried.
func controlSocket(path string) string {
	cfg, _, err := loadForRun(path, false)
	if err == nil {
		return cfg.ControlSocket
	}
	sock := config.Default().ControlSocket
	var named struct {
		ControlSocket string `toml:"control_socket"`
	}
	if b, rerr := os.ReadFile(path); rerr == nil && toml.Unmarshal(b, &named) == nil && filepath.IsAbs(named.ControlSocket) {
		sock = named.ControlSocket
	}
	fmt.Fprintf(os.Stderr, "carekiosk: %s does not load; trying the control socket %s\n", path, sock)
	return sock
}

// shellInit is what every shell is told at start.
func shellInit(cfg *config.Config, windowed bool) (wire.Init, error) {
	script, err := ui.Script()
	if err != nil {
		return wire.Init{}, err
	}
	init := wire.Init{
		AllowedHosts: cfg.AllowedHosts, Windowed: windowed, Width: 1280, Height: 1024,
		Script: script, BlankPage: ui.BlankPage(), Printing: cfg.Printing, Keyboard: onScreenKeyboard(cfg),
		Accelerated: accelerated(), StandbyUnmapped: standbyUnmapped(),
	}
	for _, f := range cfg.TrustedCertificates {
		ts, err := trustedFrom(f)
		if err != nil {
			return wire.Init{}, err
		}
		init.Trusted = append(init.Trusted, ts...)
	}
	return init, nil
}

// onScreenKeyboard is whether the browser draws its on-screen keyboard ([keyboard] on_screen),
// decided at start and on every reload. doctor explains the decision and any error.
func onScreenKeyboard(cfg *config.Config) bool {
	shown, _ := cfg.Keyboard.Shown("/sys", cfg.Reader.Device)
	return shown
}

// trustedFrom reads the certificates of a PEM file with the hosts each names.
func trustedFrom(file string) ([]wire.Trusted, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("trusted certificate: %w", err)
	}
	var out []wire.Trusted
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return out, nil
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("trusted certificate %s: %w", file, err)
		}
		t := wire.Trusted{PEM: string(pem.EncodeToMemory(blk)), Hosts: c.DNSNames}
		for _, ip := range c.IPAddresses {
			t.Hosts = append(t.Hosts, ip.String())
		}
		out = append(out, t)
	}
}
