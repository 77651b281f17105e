package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/carekiosk/carekiosk/access"
	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/hardware"
	"github.com/carekiosk/carekiosk/ui"
)

// cardDesk turns the reader's card events into what the session manager does: a session, the
// technician screen, a refusal (audited, counted, and pausing the reader after too many), or
// the end of the session whose card was lifted off the reader (lift_to_end). With auth mode
// sip2 the library's server checks each card first (library.go). Identities go to the manager
// only, numbers to the library's server only; nothing here logs either.
type cardDesk struct {
	mgr   cardManager
	about unitAbout
	audit io.Writer
	log   *slog.Logger
	met   sip2Counter
	now   func() time.Time

	mu        sync.Mutex
	gate      *access.Gate
	liftToEnd bool
	summary   string      // the config in a line, for the technician screen
	resume    *time.Timer // ends the reader's pause
	lib       *library    // auth mode sip2; nil otherwise
	pending   *pendingCard
	checking  bool // a check of pending is under way
}

// cardManager is what the desk asks of the session manager (*supervisor.Manager).
type cardManager interface {
	CardID(id string)
	CardRemoved(id string) bool
	CardRefused()
	CardCheckDown()
	AskPIN(triesLeft int) bool
	TakesCards() bool
	Technician(info ui.TechnicianInfo)
	ReaderPaused(on bool)
}

// sip2Counter counts the library's checks (*metrics.Metrics).
type sip2Counter interface{ SIP2Check(result string) }

// unitAbout is what the technician screen shows of the unit besides the config.
type unitAbout struct {
	unit   string
	sensor func() string // the presence sensor's state in words ("" when there is none)
}

// newCardDesk returns a desk for cfg's [auth] and [reader] lift_to_end, asking mgr.
func newCardDesk(cfg *config.Config, mgr cardManager, about unitAbout, audit io.Writer, log *slog.Logger, met sip2Counter) (*cardDesk, error) {
	d := &cardDesk{mgr: mgr, about: about, audit: audit, log: log, met: met, now: time.Now, gate: access.NewGate(access.Policy{})}
	return d, d.configure(cfg)
}

// configure applies a config's [auth] table and lift_to_end (at start and on reload).
func (d *cardDesk) configure(cfg *config.Config) error {
	p, err := policy(cfg.Auth)
	if err != nil {
		return err
	}
	lib, err := newLibrary(cfg.Auth)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gate.SetPolicy(p)
	d.liftToEnd = cfg.Reader.LiftToEnd
	d.summary = summary(cfg, p)
	if old := d.lib; old != nil {
		go old.client.Close() // after a check under way, if any
	}
	d.lib = lib
	return nil
}

// summary is the config in a line for technicians: no card identities.
func summary(cfg *config.Config, p access.Policy) string {
	r := cfg.Reader
	s := fmt.Sprintf("reader %s, %d baud, %s", r.Device, r.Baud, r.Protocol)
	if r.Kind == hardware.KindKeyboard {
		s = fmt.Sprintf("keyboard reader %s, %s", r.Device, r.Protocol)
	}
	if r.LiftToEnd {
		s += ", lift to end"
	}
	switch {
	case cfg.Auth.Mode == config.AuthSIP2:
		s += "; library cards checked by SIP2 server " + cfg.Auth.SIP2.Address
		if cfg.Auth.SIP2.RequirePIN {
			s += " with PIN"
		}
	case p.Allowlist == nil:
		s += "; any card"
	default:
		s += fmt.Sprintf("; allowlist of %d cards", len(p.Allowlist))
	}
	s += fmt.Sprintf("; %d technician cards", len(p.Technicians))
	if cfg.Presence.Device != "" {
		s += fmt.Sprintf("; presence sensor %s, %d baud", cfg.Presence.Device, cfg.Presence.Baud)
	}
	return s
}

// techInfo is what the technician screen shows of the unit: the sensor, the config in a line,
// the version, the unit.
func (d *cardDesk) techInfo() ui.TechnicianInfo {
	d.mu.Lock()
	defer d.mu.Unlock()
	return ui.TechnicianInfo{Sensor: d.about.sensor(), Config: d.summary, Version: version, Unit: d.about.unit}
}

// policy is the access policy of an [auth] table; it reads the allowlist file.
func policy(a config.Auth) (access.Policy, error) {
	p := access.Policy{
		Technicians: map[string]bool{}, MaxRefusals: a.MaxRefusals,
		Window: a.RefusalWindow.D(), Cooldown: a.Cooldown.D(),
	}
	for _, h := range a.TechnicianCards {
		p.Technicians[strings.ToLower(strings.TrimSpace(h))] = true
	}
	if a.Mode == config.AuthAllowlist {
		set, err := config.ReadAllowlist(a.Allowlist)
		if err != nil {
			return p, fmt.Errorf("auth.allowlist: %w", err)
		}
		p.Allowlist = set
	}
	return p, nil
}

// card handles a Card or Removed event, and wipes its number unless a library check takes it.
func (d *cardDesk) card(ev hardware.Event) {
	number := ev.Number
	defer func() { number.Wipe() }()
	id := string(ev.Card)
	d.mu.Lock()
	lift := d.liftToEnd
	d.mu.Unlock()
	if ev.Kind == hardware.Removed {
		if lift && d.mgr.CardRemoved(id) {
			d.log.Info("reader: the session's card was lifted: session ended")
		}
		return
	}
	now := d.now()
	v, pausedUntil := d.gate.Decide(id, now)
	switch v {
	case access.Session:
		d.mu.Lock()
		lib := d.lib
		d.mu.Unlock()
		if lib == nil {
			d.mgr.CardID(id)
		} else if d.library(id, number) {
			number = hardware.CardNumber{} // the check wipes it
		}
	case access.Technician:
		d.log.Info("reader: technician card")
		d.mgr.Technician(d.techInfo())
	case access.Paused:
		d.log.Info("reader: card ignored: the reader is paused after too many refused cards", "until", d.gate.PausedUntil().Format(time.TimeOnly))
	case access.Refused:
		d.mu.Lock()
		reason := access.NotEnrolled
		if d.lib != nil { // sip2 has no allowlist: only a card blocked after wrong PINs is refused here
			reason = access.WrongPIN
		}
		d.mu.Unlock()
		d.log.Info("reader: card refused", "reason", reason)
		d.refused(now, pausedUntil, reason)
	}
}

// refused audits a refusal, tells the patient, and pauses the reader if the refusal began a
// pause (pausedUntil not zero).
func (d *cardDesk) refused(now, pausedUntil time.Time, reason string) {
	if _, err := d.audit.Write(access.AuditRefusal(now, pausedUntil, reason)); err != nil {
		d.log.Error("writing the audit line", "err", err)
	}
	d.mgr.CardRefused()
	if !pausedUntil.IsZero() {
		d.pause(pausedUntil.Sub(now))
	}
}

// pause shows the reader as paused for cooldown.
func (d *cardDesk) pause(cooldown time.Duration) {
	d.log.Warn("reader: too many refused cards: paused", "for", cooldown)
	d.mgr.ReaderPaused(true)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.resume != nil {
		d.resume.Stop()
	}
	d.resume = time.AfterFunc(cooldown, func() {
		d.log.Info("reader: the pause after refused cards is over")
		d.mgr.ReaderPaused(false)
	})
}
