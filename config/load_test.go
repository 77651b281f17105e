package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// minimal is the smallest valid file: lines 1 and 2.
const minimal = `start_url = "https://records.example.org/login"
allowed_hosts = ["records.example.org"]
`

func TestParseValid(t *testing.T) {
	dir := t.TempDir()
	writePEM(t, filepath.Join(dir, "certs", "portal.pem"), "CERTIFICATE")
	abs := writePEM(t, filepath.Join(t.TempDir(), "other.pem"), "CERTIFICATE")

	full := `# a kiosk at a GP surgery
start_url            = "https://Records.Example.org/login?site=42"
allowed_hosts        = ["Records.example.org", "*.nhs.uk", "login.example.org"]
trusted_certificates = ["certs/portal.pem", "` + abs + `"]
session_dir          = "/tmp/ck/sessions"
control_socket       = "/tmp/ck/control.sock"
state_dir            = "/tmp/ck/state"

[session]
idle_timeout    = "3m"
idle_warning    = "45s"
max_duration    = "1h"
max_warning     = "5m"
privacy_timeout = "90s"
logout_url      = "https://login.example.org/logout"
logout_wait     = "10s"

[reader]
device   = "/dev/ttyUSB0"
baud     = 115200
protocol = "line"
pattern  = '^;[0-9]{16}\?$'
luhn     = true

[keyboard]
on_screen = "always"
`
	minimalWant := Default()
	minimalWant.StartURL = "https://records.example.org/login"
	minimalWant.AllowedHosts = []string{"records.example.org"}

	fullWant := Config{
		StartURL:            "https://Records.Example.org/login?site=42",
		AllowedHosts:        []string{"records.example.org", "*.nhs.uk", "login.example.org"},
		TrustedCertificates: []string{filepath.Join(dir, "certs", "portal.pem"), abs},
		SessionDir:          "/tmp/ck/sessions",
		ControlSocket:       "/tmp/ck/control.sock",
		StateDir:            "/tmp/ck/state",
		Language:            DefaultLanguage,
		Help:                Help{Organisations: DefaultOrganisations()},
		Session: Session{
			IdleTimeout:    Duration(3 * time.Minute),
			IdleWarning:    Duration(45 * time.Second),
			MaxDuration:    Duration(time.Hour),
			MaxWarning:     Duration(5 * time.Minute),
			PrivacyTimeout: Duration(90 * time.Second),
			LogoutURL:      "https://login.example.org/logout",
			LogoutWait:     Duration(10 * time.Second),
		},
		Reader:   Reader{Kind: "serial", Device: "/dev/ttyUSB0", Baud: 115200, Protocol: "line", Pattern: `^;[0-9]{16}\?$`, Luhn: true},
		Metrics:  Metrics{Listen: DefaultMetricsListen},
		Auth:     DefaultAuth(),
		Presence: DefaultPresence(),
		Keyboard: Keyboard{OnScreen: OnScreenAlways},
	}

	tests := []struct {
		name string
		file string
		want Config
	}{
		{"minimal", minimal, minimalWant},
		{"full", full, fullWant},
		{"dotted keys and inline tables", minimal + "session.idle_timeout = \"2m\"\nreader = { baud = 9600 }\n", minimalWant},
		{"empty tables", minimal + "[session]\n[reader]\n", minimalWant},
		{"byte order mark", "\ufeff" + minimal, minimalWant},
		{"CRLF line ends", strings.ReplaceAll(minimal, "\n", "\r\n"), minimalWant},
		{"magstripe", minimal + "[reader]\nprotocol = \"magstripe\"\npattern = '[0-9]{16}'\nluhn = true\n",
			withReader(minimalWant, Reader{Protocol: "magstripe", Pattern: `[0-9]{16}`, Luhn: true})},
		{"em4100 lifted to end", minimal + "[reader]\nprotocol = \"em4100\"\nlift_to_end = true\n",
			withReader(minimalWant, Reader{Protocol: "em4100", LiftToEnd: true})},
		{"lift_to_end false with line", minimal + "[reader]\nlift_to_end = false\n", minimalWant},
		{"keyboard", minimal + "[reader]\nkind = \"keyboard\"\ndevice = \"/dev/input/by-id/usb-ACME_Reader-event-kbd\"\nprotocol = \"magstripe\"\nbaud = 9600\n",
			withReader(minimalWant, Reader{Kind: "keyboard", Device: "/dev/input/by-id/usb-ACME_Reader-event-kbd", Protocol: "magstripe"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(filepath.Join(dir, "kiosk.toml"), []byte(tc.file))
			if err != nil {
				t.Fatalf("got error:\n%v", err)
			}
			got.src = nil
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}

func TestParseProblems(t *testing.T) {
	dir := t.TempDir()
	cert := writePEM(t, filepath.Join(dir, "ok.pem"), "CERTIFICATE")
	key := writePEM(t, filepath.Join(dir, "key.pem"), "CERTIFICATE", "PRIVATE KEY")
	if err := os.WriteFile(filepath.Join(dir, "empty.pem"), []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("junk")}), 0o644); err != nil {
		t.Fatal(err)
	}

	// Each file is minimal (lines 1–2) plus the lines given, so line 3 is the first one here.
	tests := []struct {
		name string
		more string   // appended to minimal, unless full is set
		full string   // the whole file
		want []string // after "kiosk.toml:"
	}{
		// TOML syntax
		{name: "syntax", more: "[session]\nidle_timeout = 2m\n",
			want: []string{`4: not valid TOML: expected newline but got U+006D 'm'`}},
		{name: "unterminated string", more: "\nsession_dir = \"/run\n",
			want: []string{`4: not valid TOML: basic strings cannot have new lines`}},
		{name: "inline table over two lines", more: "reader = {\n}\n",
			want: []string{`3: not valid TOML: invalid character at start of key: '\n'`}},
		{name: "duplicate key", more: "state_dir = \"/a\"\nstate_dir = \"/b\"\n",
			want: []string{`4: not valid TOML: key state_dir is already defined`}},
		{name: "duplicate table", more: "[session]\n\n[session]\n",
			want: []string{`5: not valid TOML: table session already exists`}},

		// unknown keys
		{name: "unknown top-level key", more: "colour = \"blue\"\n",
			want: []string{`3: unknown key "colour"; the top level has: start_url, allowed_hosts, trusted_certificates, session_dir, control_socket, state_dir, language, printing, [session], [reader], [hours], [metrics], [help], [quick_exit], [auth], [presence], [keyboard]`}},
		{name: "misspelt top-level key", more: "sesion_dir = \"/run/x\"\n",
			want: []string{`3: unknown key "sesion_dir" (did you mean "session_dir"?)`}},
		{name: "misspelt key in table", more: "[session]\nidle_timeout = \"2m\"\nidel_timeout = \"2m\"\n",
			want: []string{`5: unknown key "idel_timeout" in [session] (did you mean "idle_timeout"?)`}},
		{name: "key in the wrong case", more: "[reader]\nBaud = 9600\n",
			want: []string{`4: unknown key "Baud" in [reader] (did you mean "baud"?)`}},
		{name: "key in the wrong table", more: "[reader]\nlogout_wait = \"5s\"\n",
			want: []string{`4: unknown key "logout_wait" in [reader] (it belongs in [session])`}},
		{name: "top-level key after a table", full: "allowed_hosts = [\"records.example.org\"]\n[session]\nstart_url = \"https://records.example.org/\"\n",
			want: []string{
				`1: start_url: missing: set it to the record provider's sign-in page, like "https://records.example.org/"`,
				`3: unknown key "start_url" in [session] (it belongs at the top of the file, before the first [table])`,
			}},
		{name: "unknown table", more: "[sesion]\nidle_timeout = \"2m\"\n",
			want: []string{`3: unknown table [sesion] (did you mean [session]?)`}},
		{name: "unknown table far off", more: "[printer]\non = true\n",
			want: []string{`3: unknown table [printer]; the top level has: start_url, allowed_hosts, trusted_certificates, session_dir, control_socket, state_dir, language, printing, [session], [reader], [hours], [metrics], [help], [quick_exit], [auth], [presence], [keyboard]`}},
		{name: "on-screen keyboard", more: "[keyboard]\non_screen = \"yes\"\n",
			want: []string{`4: keyboard.on_screen: "yes" is not a choice; use "auto", "always", "never"`}},
		{name: "unknown key in table", more: "[reader]\nparity = \"none\"\n",
			want: []string{`4: unknown key "parity" in [reader]; [reader] has: kind, device, baud, protocol, pattern, luhn, lift_to_end`}},
		{name: "unknown key in inline table", more: "reader = { baud = 9600, stop_bits = 1 }\n",
			want: []string{`3: unknown key "stop_bits" in [reader]; [reader] has: kind, device, baud, protocol, pattern, luhn, lift_to_end`}},
		{name: "unknown dotted key", more: "session.idle = \"2m\"\n",
			want: []string{`3: unknown key "idle" in [session]; [session] has: idle_timeout, idle_warning, max_duration, max_warning, privacy_timeout, logout_url, logout_wait`}},

		// wrong types
		{name: "duration without unit", more: "[session]\nidle_timeout = \"2 minutes\"\n",
			want: []string{`4: session.idle_timeout: "2 minutes" is not a duration (write it like "2m" or "90s")`}},
		{name: "duration as a number", more: "[session]\nmax_duration = 1200\n",
			want: []string{`4: session.max_duration: the number 1200 is not a duration (write it in quotes, like "2m" or "90s")`}},
		{name: "number in quotes", more: "[reader]\nbaud = \"9600\"\n",
			want: []string{`4: reader.baud: must be a whole number without quotes, like 9600, not "9600"`}},
		{name: "bool in quotes", more: "[reader]\nluhn = \"yes\"\n",
			want: []string{`4: reader.luhn: must be true or false, without quotes, not "yes"`}},
		{name: "string as a number", more: "state_dir = 5\n",
			want: []string{`3: state_dir: must be a string in quotes, not the number 5`}},
		{name: "list as a string", full: "start_url = \"https://records.example.org/\"\nallowed_hosts = \"records.example.org\"\n",
			want: []string{`2: allowed_hosts: must be a list of strings, like ["a", "b"], not "records.example.org"`}},
		{name: "list of numbers", more: "trusted_certificates = [\n  \"" + cert + "\",\n  42,\n]\n",
			want: []string{`5: trusted_certificates: item 2 must be a string in quotes, not the number 42`}},
		{name: "table as a value", more: "session = \"short\"\n",
			want: []string{`3: session: must be a table, begun by a line [session], not "short"`}},
		{name: "array of tables", more: "[[reader]]\nbaud = 9600\n",
			want: []string{`3: reader: must be a table, begun by a line [reader], not a list`}},
		{name: "wrong type of a required key is reported once", full: "start_url = 1\nallowed_hosts = [\"records.example.org\"]\n",
			want: []string{`1: start_url: must be a string in quotes, not the number 1`}},

		// start_url and logout_url
		{name: "start_url missing", full: "allowed_hosts = [\"records.example.org\"]\n",
			want: []string{`1: start_url: missing: set it to the record provider's sign-in page, like "https://records.example.org/"`}},
		{name: "start_url http", full: "allowed_hosts = [\"records.example.org\"]\nstart_url = \"http://records.example.org/\"\n",
			want: []string{`2: start_url: must be an https:// address, not http://`}},
		{name: "start_url without scheme", full: "allowed_hosts = [\"records.example.org\"]\nstart_url = \"records.example.org/login\"\n",
			want: []string{`2: start_url: must be a full https:// address, like "https://records.example.org/"`}},
		{name: "start_url without host", full: "allowed_hosts = [\"records.example.org\"]\nstart_url = \"https:///login\"\n",
			want: []string{`2: start_url: must be a full https:// address with a host, like "https://records.example.org/"`}},
		{name: "start_url host not allowed", full: "allowed_hosts = [\"records.example.org\"]\nstart_url = \"https://evil.example.org/\"\n",
			want: []string{`2: start_url: host "evil.example.org" is not in allowed_hosts`}},
		{name: "start_url with password, not printed", full: "allowed_hosts = [\"records.example.org\"]\nstart_url = \"https://kiosk:s3cret@records.example.org/\"\n",
			want: []string{`2: start_url: must not hold a user name or password`}},
		{name: "start_url unparsable", full: "allowed_hosts = [\"records.example.org\"]\nstart_url = \"https://records.example.org:s3cret/\"\n",
			want: []string{`2: start_url: not a valid address: invalid port ":s3cret" after host`}},
		{name: "logout_url http", more: "[session]\nlogout_url = \"http://records.example.org/logout\"\n",
			want: []string{`4: session.logout_url: must be an https:// address, not http://`}},
		{name: "logout_url host not allowed", more: "[session]\nlogout_url = \"https://example.org/logout\"\n",
			want: []string{`4: session.logout_url: host "example.org" is not in allowed_hosts`}},

		// allowed_hosts
		{name: "no hosts", full: "start_url = \"https://records.example.org/\"\nallowed_hosts = []\n",
			want: []string{`2: allowed_hosts: list at least one host the kiosk may open, like allowed_hosts = ["records.example.org"]`}},
		{name: "bad hosts, each on its line", full: "start_url = \"https://records.example.org/\"\nallowed_hosts = [\n" +
			"  \"records.example.org\",\n" +
			"  \"https://login.example.org/\",\n" +
			"  \"example.org/path\",\n" +
			"  \"example.org:443\",\n" +
			"  \"*.org\",\n" +
			"  \"a.*.example.org\",\n" +
			"  \"example.org.\",\n" +
			"  \"bad..example.org\",\n" +
			"  \"-bad.example.org\",\n" +
			"  \"bad host.org\",\n" +
			"  \"bücher.example\",\n" +
			"  \"\",\n" +
			"]\n",
			want: []string{
				`4: allowed_hosts: "https://login.example.org/" must be a bare host name, like "login.example.org": no scheme, path or port`,
				`5: allowed_hosts: "example.org/path" must be a bare host name: no path`,
				`6: allowed_hosts: "example.org:443" must be a bare host name: no port (any port of an allowed host is allowed)`,
				`7: allowed_hosts: "*.org" is too broad: a wildcard needs at least two labels after "*.", like "*.example.org"`,
				`8: allowed_hosts: "a.*.example.org": a wildcard can only be a leading "*.", like "*.example.org"`,
				`9: allowed_hosts: "example.org." must not end with a dot`,
				`10: allowed_hosts: "bad..example.org" has an empty label (two dots in a row, or a leading dot)`,
				`11: allowed_hosts: "-bad.example.org" has a label that begins or ends with "-"`,
				`12: allowed_hosts: "bad host.org" has ' ', which cannot be in a host name (letters, digits, "-" and "." can)`,
				`13: allowed_hosts: "bücher.example": write an international name in its ASCII (xn--) form`,
				`14: allowed_hosts: an empty string is not a host name`,
			}},

		// trusted_certificates
		{name: "certificate missing", more: "trusted_certificates = [\"missing.pem\"]\n",
			want: []string{`3: trusted_certificates: ` + filepath.Join(dir, "missing.pem") + ` does not exist`}},
		{name: "certificate problems", more: "trusted_certificates = [\n  \"ok.pem\",\n  \"key.pem\",\n  \"empty.pem\",\n  \"bad.pem\",\n  \".\",\n  \"\",\n  \"/dev/zero\",\n]\n",
			want: []string{
				`5: trusted_certificates: ` + key + ` holds a private key: list certificates only, and keep keys off the kiosk`,
				`6: trusted_certificates: ` + filepath.Join(dir, "empty.pem") + ` holds no certificate (a PEM block that begins -----BEGIN CERTIFICATE-----)`,
				`7: trusted_certificates: ` + filepath.Join(dir, "bad.pem") + `: PEM block 1 is not a valid X.509 certificate: x509: malformed certificate`,
				`8: trusted_certificates: cannot read ` + dir + `: is a directory`,
				`9: trusted_certificates: an empty string is not a file name`,
				`10: trusted_certificates: cannot read /dev/zero: not a regular file`,
			}},

		{name: "CRLF line ends", full: "start_url = \"https://records.example.org/\"\r\nallowed_hosts = [\"records.example.org\"]\r\nstate_dir = \"x\"\r\n",
			want: []string{`3: state_dir: "x" must be an absolute path, beginning with /`}},

		// paths
		{name: "relative paths", more: "session_dir = \"run/sessions\"\ncontrol_socket = \"\"\nstate_dir = \"~/state\"\n[reader]\ndevice = \"ttyUSB0\"\n",
			want: []string{
				`3: session_dir: "run/sessions" must be an absolute path, beginning with /`,
				`4: control_socket: "" must be an absolute path, beginning with /`,
				`5: state_dir: "~/state" must be an absolute path, beginning with /`,
				`7: reader.device: "ttyUSB0" must be an absolute path, beginning with /`,
			}},

		// session
		{name: "idle_timeout too short", more: "[session]\nidle_timeout = \"9s\"\nidle_warning = \"5s\"\n",
			want: []string{`4: session.idle_timeout: 9s is too short: at least 10s`}},
		{name: "idle_warning not below idle_timeout", more: "[session]\nidle_timeout = \"1m\"\nidle_warning = \"1m\"\n",
			want: []string{`5: session.idle_warning: 1m must be less than idle_timeout (1m)`}},
		{name: "idle_warning zero", more: "[session]\nidle_warning = \"0s\"\n",
			want: []string{`4: session.idle_warning: 0s is too short: more than 0, and less than idle_timeout`}},
		{name: "max_duration too short", more: "[session]\nmax_duration = \"59s\"\nmax_warning = \"10s\"\n",
			want: []string{`4: session.max_duration: 59s is too short: at least 1m`}},
		{name: "max_duration too long", more: "[session]\nmax_duration = \"4h1m\"\n",
			want: []string{`4: session.max_duration: 4h1m is too long: at most 4h`}},
		{name: "max_warning not below max_duration", more: "[session]\nmax_duration = \"2m\"\n",
			want: []string{`4: session.max_warning: 2m must be less than max_duration (2m)`}},
		{name: "max_warning negative", more: "[session]\nmax_warning = \"-1m\"\n",
			want: []string{`4: session.max_warning: -1m is too short: more than 0, and less than max_duration`}},
		{name: "privacy_timeout too short", more: "[session]\nprivacy_timeout = \"5s\"\n",
			want: []string{`4: session.privacy_timeout: 5s is too short: at least 10s`}},
		{name: "logout_wait zero", more: "[session]\nlogout_wait = \"0s\"\n",
			want: []string{`4: session.logout_wait: 0s is out of range: more than 0, at most 30s`}},
		{name: "logout_wait too long", more: "[session]\nlogout_wait = \"31s\"\n",
			want: []string{`4: session.logout_wait: 31s is out of range: more than 0, at most 30s`}},

		// reader
		{name: "baud", more: "[reader]\nbaud = 9601\n",
			want: []string{`4: reader.baud: 9601 is not a serial speed Linux supports; use one of 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000`}},
		{name: "baud too large for int", more: "[reader]\nbaud = 9223372036854775807\n",
			want: []string{`4: reader.baud: 9223372036854775807 is not a serial speed Linux supports; use one of 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000`}},
		{name: "protocol unknown", more: "[reader]\nprotocol = \"nfc\"\n",
			want: []string{`4: reader.protocol: "nfc" is not a reader protocol; use "em4100", "line", "magstripe"`}},
		{name: "protocol in the wrong case", more: "[reader]\nprotocol = \"EM4100\"\n",
			want: []string{`4: reader.protocol: "EM4100" is not a reader protocol; use "em4100", "line", "magstripe"`}},
		{name: "kind unknown", more: "[reader]\nkind = \"usb\"\n",
			want: []string{`4: reader.kind: "usb" is not a kind of reader; use "serial", "keyboard"`}},
		{name: "keyboard with a baud rate", more: "[reader]\nkind = \"keyboard\"\ndevice = \"/dev/input/event3\"\nbaud = 19200\n",
			want: []string{`6: reader.baud: a keyboard reader has no baud rate (it types over USB, not a serial line): remove baud`}},
		{name: "keyboard with a baud rate Linux lacks", more: "[reader]\nkind = \"keyboard\"\nbaud = 256000\n",
			want: []string{`5: reader.baud: a keyboard reader has no baud rate (it types over USB, not a serial line): remove baud`}},
		{name: "keyboard with em4100", more: "[reader]\nkind = \"keyboard\"\nprotocol = \"em4100\"\n",
			want: []string{`5: reader.protocol: "em4100" cannot be typed by a keyboard reader; use "line", "magstripe", or kind = "serial" for a serial reader`}},
		{name: "em4100, then kind keyboard", more: "[reader]\nprotocol = \"em4100\"\nkind = \"keyboard\"\n",
			want: []string{`4: reader.protocol: "em4100" cannot be typed by a keyboard reader; use "line", "magstripe", or kind = "serial" for a serial reader`}},
		{name: "keyboard with an unknown protocol", more: "[reader]\nkind = \"keyboard\"\nprotocol = \"nfc\"\n",
			want: []string{`5: reader.protocol: "nfc" is not a reader protocol; use "line", "magstripe"`}},
		{name: "an input device without kind", more: "[reader]\ndevice = \"/dev/input/by-id/usb-ACME-event-kbd\"\n",
			want: []string{`4: reader.device: /dev/input/by-id/usb-ACME-event-kbd is an input device: a reader that types its cards as a keyboard needs kind = "keyboard"`}},
		{name: "keyboard on a serial device", more: "[reader]\nkind = \"keyboard\"\n\ndevice = \"/dev/ttyUSB0\"\n",
			want: []string{`6: reader.device: /dev/ttyUSB0 is a serial device, not a keyboard reader's input device (/dev/input/by-id/…-event-kbd); for a serial reader, remove kind or set it to "serial"`}},
		{name: "keyboard on the default device", more: "[reader]\nkind = \"keyboard\"\nlift_to_end = true\n",
			want: []string{`5: reader.lift_to_end: only works with protocol = "em4100" (a card that lies on the reader); remove it, or set it to false, for "line"`}},
		{name: "lift_to_end with the default protocol", more: "[reader]\nlift_to_end = true\n",
			want: []string{`4: reader.lift_to_end: only works with protocol = "em4100" (a card that lies on the reader); remove it, or set it to false, for "line"`}},
		{name: "lift_to_end with magstripe", more: "[reader]\nprotocol = \"magstripe\"\n\nlift_to_end = true\n",
			want: []string{`6: reader.lift_to_end: only works with protocol = "em4100" (a card that lies on the reader); remove it, or set it to false, for "magstripe"`}},
		{name: "lift_to_end in quotes", more: "[reader]\nprotocol = \"em4100\"\nlift_to_end = \"yes\"\n",
			want: []string{`5: reader.lift_to_end: must be true or false, without quotes, not "yes"`}},
		{name: "magstripe pattern matches empty", more: "[reader]\nprotocol = \"magstripe\"\npattern = \"[0-9]*\"\n",
			want: []string{`5: reader.pattern: "[0-9]*" matches an empty line, so any line would count as a card; the default is "^[0-9]{6,19}$"`}},
		{name: "pattern does not compile", more: "[reader]\npattern = \"[0-9\"\n",
			want: []string{"4: reader.pattern: not a valid regular expression: error parsing regexp: missing closing ]: `[0-9`"}},
		{name: "pattern matches empty lines", more: "[reader]\npattern = \"[0-9]*\"\n",
			want: []string{`4: reader.pattern: "[0-9]*" matches an empty line, so any line would count as a card; the default is "^[0-9]{6,19}$"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.full
			if file == "" {
				file = minimal + tc.more
			}
			name := filepath.Join(dir, "kiosk.toml")
			c, err := Parse(name, []byte(file))
			if c != nil {
				t.Errorf("got a config, want nil")
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %T %v, want Problems", err, err)
			}
			want := make([]string, len(tc.want))
			for i, w := range tc.want {
				want[i] = name + ":" + w
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestParseSeveral checks that one file's problems all come back, in line order, each on
// its own line.
func TestParseSeveral(t *testing.T) {
	file := `start_url = "http://records.example.org/"   # 1
allowed_hosts = ["records.example.org"]
kiosk_name = "surgery"

[session]
idle_timeout = "5s"
idle_warning = "2 minutes"
max_duration = "20m"
idel_warning = "20s"

[reader]
device = "/dev/ttyUSB0"
baud = 9601
protocol = "magnetic"
lift_to_end = true
`
	want := strings.Join([]string{
		`kiosk.toml:1: start_url: must be an https:// address, not http://`,
		`kiosk.toml:3: unknown key "kiosk_name"; the top level has: start_url, allowed_hosts, trusted_certificates, session_dir, control_socket, state_dir, language, printing, [session], [reader], [hours], [metrics], [help], [quick_exit], [auth], [presence], [keyboard]`,
		`kiosk.toml:6: session.idle_timeout: 5s is too short: at least 10s`,
		`kiosk.toml:7: session.idle_warning: "2 minutes" is not a duration (write it like "2m" or "90s")`,
		`kiosk.toml:9: unknown key "idel_warning" in [session] (did you mean "idle_warning"?)`,
		`kiosk.toml:13: reader.baud: 9601 is not a serial speed Linux supports; use one of 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000`,
		`kiosk.toml:14: reader.protocol: "magnetic" is not a reader protocol; use "em4100", "line", "magstripe"`,
		`kiosk.toml:15: reader.lift_to_end: only works with protocol = "em4100" (a card that lies on the reader); remove it, or set it to false, for "magnetic"`,
	}, "\n")
	_, err := Parse("kiosk.toml", []byte(file))
	if err == nil {
		t.Fatal("got no error")
	}
	if got := err.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	writePEM(t, filepath.Join(dir, "certs", "portal.pem"), "CERTIFICATE")
	write := func(name, data string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("kiosk.toml", minimal+"trusted_certificates = [\"certs/portal.pem\"]\n")
	huge := write("huge.toml", minimal+strings.Repeat("#\n", maxFileSize))

	t.Run("relative certificates resolve against the file's directory", func(t *testing.T) {
		t.Chdir(t.TempDir()) // not dir: the working directory must not matter
		c, err := Load(good)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{filepath.Join(dir, "certs", "portal.pem")}
		if !reflect.DeepEqual(c.TrustedCertificates, want) {
			t.Errorf("got %q, want %q", c.TrustedCertificates, want)
		}
	})
	t.Run("relative file name", func(t *testing.T) {
		t.Chdir(dir)
		c, err := Load("kiosk.toml")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{filepath.Join(dir, "certs", "portal.pem")}
		if !reflect.DeepEqual(c.TrustedCertificates, want) {
			t.Errorf("got %q, want %q", c.TrustedCertificates, want)
		}
	})
	tests := []struct {
		name     string
		path     string
		want     string
		notExist bool
	}{
		{"missing", filepath.Join(dir, "nope.toml"), filepath.Join(dir, "nope.toml") + ":1: cannot read the config file: no such file or directory", true},
		{"directory", dir, dir + ":1: cannot read the config file: is a directory", false},
		{"too large", huge, huge + ":1: cannot read the config file: it is larger than 256 KiB: is it the right file?", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(tc.path)
			if c != nil || err == nil {
				t.Fatalf("got %v, %v; want nil and an error", c, err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tc.notExist {
				t.Errorf("errors.Is(err, fs.ErrNotExist): got %v, want %v", got, tc.notExist)
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Errorf("got %T, want Problems", err)
			}
		})
	}
}

// writePEM writes a PEM file of the given block types, each a real one (a self-signed
// certificate, an EC private key), making its directory, and returns its path.
func writePEM(t *testing.T, path string, types ...string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, typ := range types {
		var der []byte
		switch typ {
		case "CERTIFICATE":
			tmpl := &x509.Certificate{
				SerialNumber: big.NewInt(1),
				Subject:      pkix.Name{CommonName: "portal.test"},
				DNSNames:     []string{"portal.test"},
				NotBefore:    time.Now().Add(-time.Hour),
				NotAfter:     time.Now().Add(time.Hour),
			}
			der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		case "PRIVATE KEY":
			der, err = x509.MarshalPKCS8PrivateKey(key)
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})...)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// withReader returns want with the [reader] keys that r sets (its empty fields keep want's).
func withReader(want Config, r Reader) Config {
	if r.Kind != "" {
		want.Reader.Kind = r.Kind
	}
	if r.Device != "" {
		want.Reader.Device = r.Device
	}
	if r.Protocol != "" {
		want.Reader.Protocol = r.Protocol
	}
	if r.Pattern != "" {
		want.Reader.Pattern = r.Pattern
	}
	want.Reader.Luhn = want.Reader.Luhn || r.Luhn
	want.Reader.LiftToEnd = want.Reader.LiftToEnd || r.LiftToEnd
	return want
}
