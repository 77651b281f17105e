// Package config is the kiosk's configuration: the TOML schema of kiosk.toml, its safe defaults,
// and the validation that refuses a broken file before it takes effect. Every problem it reports
// names the file and line it is about ("kiosk.toml:7: ..."), so a site technician can fix it
// without reading code; Parse reports all of a file's problems at once, not just the first.
package config

import (
	"fmt"
	"regexp"
	"time"

	"github.com/carekiosk/carekiosk/hardware"
)

// Duration is a time.Duration written in TOML as a Go duration string, such as "2m" or "30s".
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String returns d in Go duration syntax, such as "2m0s".
func (d Duration) String() string { return time.Duration(d).String() }

// UnmarshalText parses a Go duration string ("2m", "90s", "1h30m"). A bare number other than
// "0" is refused: the unit must be written.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("%q is not a duration (write it like \"2m\" or \"90s\")", text)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes d in Go duration syntax, so that UnmarshalText reads it back unchanged.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Config is the whole of kiosk.toml. Load and Parse fill it from a file on top of Default;
// Validate states the rules each field must meet.
type Config struct {
	// StartURL is the record provider's sign-in page, where every session starts. It is
	// required in a file, must be https, and its host must match AllowedHosts.
	StartURL string `toml:"start_url"`
	// AllowedHosts are the only hosts the browser may open: exact host names, or a leading
	// wildcard "*.example.org" that matches sub-domains (not example.org itself). Parse
	// lowercases them. No scheme, path or port; at least one.
	AllowedHosts []string `toml:"allowed_hosts"`
	// TrustedCertificates are PEM files of private certificates the browser accepts besides the
	// system's. Parse resolves relative paths against the config file's directory, so after
	// Load every path is absolute. Each file must exist and hold at least one X.509
	// certificate, and no private key.
	TrustedCertificates []string `toml:"trusted_certificates"`
	// SessionDir is the (tmpfs) directory under which each session gets its own empty
	// directory. Absolute.
	SessionDir string `toml:"session_dir"`
	// ControlSocket is the Unix socket through which status, end-session and the like talk to
	// the running kiosk. Absolute.
	ControlSocket string `toml:"control_socket"`
	// StateDir holds what the kiosk keeps across restarts, such as the per-unit secret that
	// card identities are keyed with. Absolute.
	StateDir string `toml:"state_dir"`
	// Language is the language of the kiosk's screens ("en" or "cy"); a patient can switch on
	// the welcome screen for their own session.
	Language string `toml:"language"`
	// Printing lets pages print (window.print(), a page's print button) to the default CUPS
	// printer, with no print dialog; the session's print jobs are purged when it ends. Off by
	// default: every print attempt is refused.
	Printing bool `toml:"printing"`
	// Session holds the [session] table: timeouts and the provider's logout page.
	Session Session `toml:"session"`
	// Reader holds the [reader] table: the card reader's device and protocol.
	Reader Reader `toml:"reader"`
	// Hours holds the [hours] table: when the kiosk is open (see appliance.go).
	Hours Hours `toml:"hours"`
	// Metrics holds the [metrics] table: the Prometheus endpoint (see appliance.go).
	Metrics Metrics `toml:"metrics"`
	// Help holds the [help] table: the provider's help and the organisations listed.
	Help Help `toml:"help"`
	// QuickExit holds the [quick_exit] table: the words of the neutral screen.
	QuickExit QuickExit `toml:"quick_exit"`
	// Auth holds the [auth] table: which cards may start a session (see auth.go).
	Auth Auth `toml:"auth"`
	// Presence holds the optional [presence] table: the presence sensor (see presence.go).
	Presence Presence `toml:"presence"`
	// Keyboard holds the [keyboard] table: the on-screen keyboard (see keyboard.go).
	Keyboard Keyboard `toml:"keyboard"`

	// src remembers where each key was in the file, for Validate's line numbers; nil for a
	// Config that was not parsed from a file.
	src *source
}

// Session is the [session] table: how long a session may last and how it ends.
type Session struct {
	// IdleTimeout ends a session after this long without input. At least 10s.
	IdleTimeout Duration `toml:"idle_timeout"`
	// IdleWarning is how long before IdleTimeout the "are you still there?" warning shows.
	// More than 0 and less than IdleTimeout.
	IdleWarning Duration `toml:"idle_warning"`
	// MaxDuration ends a session this long after it started, however active. From 1m to 4h.
	MaxDuration Duration `toml:"max_duration"`
	// MaxWarning is how long before MaxDuration the time-limit warning shows. More than 0 and
	// less than MaxDuration.
	MaxWarning Duration `toml:"max_warning"`
	// PrivacyTimeout is how long the privacy check waits for an answer before it goes back to
	// the welcome screen. At least 10s.
	PrivacyTimeout Duration `toml:"privacy_timeout"`
	// LogoutURL, if set, is visited at the end of every session before the wipe, so that the
	// provider's server-side session ends too. https, and its host must be allowed.
	LogoutURL string `toml:"logout_url"`
	// LogoutWait bounds the wait for LogoutURL to load. More than 0, at most 30s.
	LogoutWait Duration `toml:"logout_wait"`
}

// Reader is the [reader] table: the card reader that starts sessions.
type Reader struct {
	// Kind is how the reader is attached: "serial" (the default: a serial line or USB serial
	// adapter) or "keyboard" (a USB HID keyboard wedge, which types each card; the kiosk grabs
	// it, so that its keys reach nothing else). hardware.Kinds lists them.
	Kind string `toml:"kind"`
	// Device is the reader's device, absolute: a serial device (/dev/ttyUSB0,
	// /dev/carekiosk-reader), or a keyboard reader's input device
	// (/dev/input/by-id/…-event-kbd).
	Device string `toml:"device"`
	// Baud is a serial reader's speed in bits per second: one of the Linux termios rates, 50
	// to 4000000 (hardware.BaudRates). A keyboard reader has none: anything but the default is
	// refused.
	Baud int `toml:"baud"`
	// Protocol is how the reader frames a card: "line" (one card number per line of text),
	// "magstripe" (magnetic stripe tracks; the card number is the primary account number) or,
	// serial only, "em4100" (125 kHz RFID frames of RDM6300-class modules).
	// hardware.Protocols lists them for each kind.
	Protocol string `toml:"protocol"`
	// Pattern is an RE2 regular expression that a whole card number must match to count as a
	// card: with "line" the whole line, with "magstripe" the primary account number; "em4100"
	// ignores it. Use LinePattern to get it compiled and anchored.
	Pattern string `toml:"pattern"`
	// Luhn ("line", "magstripe") also requires the card number's last digit to be a valid Luhn
	// check digit; "em4100" ignores it.
	Luhn bool `toml:"luhn"`
	// LiftToEnd ("em4100" only) ends the session when the card is lifted off the reader.
	LiftToEnd bool `toml:"lift_to_end"`
}

// Defaults. The paths are where the systemd units and tmpfiles.d rules put things.
const (
	DefaultPath          = "/etc/carekiosk/kiosk.toml"
	DefaultSessionDir    = "/run/carekiosk/sessions"
	DefaultControlSocket = "/run/carekiosk/control.sock"
	DefaultStateDir      = "/var/lib/carekiosk"
	DefaultReaderDevice  = "/dev/carekiosk-reader"
	DefaultPattern       = "^" + hardware.DefaultLinePattern + "$" // ^[0-9]{6,19}$
)

// Default returns the safe defaults. StartURL and AllowedHosts are empty: a Config without
// them does not validate, and the caller runs the embedded demo when there is no file.
func Default() Config {
	return Config{
		SessionDir:    DefaultSessionDir,
		ControlSocket: DefaultControlSocket,
		StateDir:      DefaultStateDir,
		Language:      DefaultLanguage,
		Help:          Help{Organisations: DefaultOrganisations()},
		Session: Session{
			IdleTimeout:    Duration(2 * time.Minute),
			IdleWarning:    Duration(30 * time.Second),
			MaxDuration:    Duration(20 * time.Minute),
			MaxWarning:     Duration(2 * time.Minute),
			PrivacyTimeout: Duration(60 * time.Second),
			LogoutWait:     Duration(5 * time.Second),
		},
		Reader: Reader{
			Kind:     hardware.KindSerial,
			Device:   DefaultReaderDevice,
			Baud:     hardware.DefaultBaud,
			Protocol: "line",
			Pattern:  DefaultPattern,
		},
		Metrics:  Metrics{Listen: DefaultMetricsListen},
		Auth:     DefaultAuth(),
		Presence: DefaultPresence(),
		Keyboard: Keyboard{OnScreen: OnScreenAuto},
	}
}

// LinePattern compiles Pattern anchored at both ends, so that it matches whole lines only even
// when the file's pattern lacks ^ and $.
func (r Reader) LinePattern() (*regexp.Regexp, error) {
	// Compile it alone first: "a)|(b" must fail, not become "^(?:a)|(b)$".
	if _, err := regexp.Compile(r.Pattern); err != nil {
		return nil, err
	}
	return regexp.Compile(`^(?:` + r.Pattern + `)$`)
}

// Options are the hardware options of the reader: what the kiosk, `carekiosk reader`,
// `carekiosk card-hash` and `carekiosk doctor` open.
func (r Reader) Options() hardware.Options {
	return hardware.Options{Kind: r.Kind, Device: r.Device, Baud: r.Baud, Protocol: r.Protocol, Pattern: r.Pattern, Luhn: r.Luhn}
}
