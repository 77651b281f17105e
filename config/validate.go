package config

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/hardware"
)

// Validate checks c against the rules of each field (see the field docs) and returns nil, or
// Problems holding every rule c breaks. name is the file name in the problems. For a Config
// from Parse, each problem is on the line of the offending key; a problem with no line of its
// own (a required key missing, or a Config that was not parsed) is on line 1. Validate reads
// the trusted certificate files; it changes nothing.
func (c *Config) Validate(name string) error {
	v := &validator{ps: &problems{file: name}, src: c.src}

	v.url("start_url", c.StartURL, c, true)
	if len(c.AllowedHosts) == 0 {
		v.report("allowed_hosts", "list at least one host the kiosk may open, like allowed_hosts = [\"records.example.org\"]")
	}
	for i, h := range c.AllowedHosts {
		if msg := hostProblem(strings.ToLower(h)); msg != "" {
			v.report(fmt.Sprintf("allowed_hosts[%d]", i), "%s", msg)
		}
	}
	for i, p := range c.TrustedCertificates {
		v.certificates(fmt.Sprintf("trusted_certificates[%d]", i), p)
	}
	v.absolute("session_dir", c.SessionDir)
	v.absolute("control_socket", c.ControlSocket)
	v.absolute("state_dir", c.StateDir)

	s := c.Session
	v.atLeast("session.idle_timeout", s.IdleTimeout, 10*time.Second)
	v.below("session.idle_warning", s.IdleWarning, "idle_timeout", s.IdleTimeout)
	v.atLeast("session.max_duration", s.MaxDuration, time.Minute)
	if s.MaxDuration.D() > 4*time.Hour {
		v.report("session.max_duration", "%s is too long: at most 4h", short(s.MaxDuration))
	}
	v.below("session.max_warning", s.MaxWarning, "max_duration", s.MaxDuration)
	v.atLeast("session.privacy_timeout", s.PrivacyTimeout, 10*time.Second)
	if s.LogoutURL != "" {
		v.url("session.logout_url", s.LogoutURL, c, false)
	}
	if w := s.LogoutWait.D(); w <= 0 || w > 30*time.Second {
		v.report("session.logout_wait", "%s is out of range: more than 0, at most 30s", short(s.LogoutWait))
	}

	v.validateScreens(c)
	v.validateKeyboard(c.Keyboard)

	r := c.Reader
	v.reader(r)
	if re, err := regexp.Compile(r.Pattern); err != nil {
		v.report("reader.pattern", "not a valid regular expression: %v", err)
	} else if (r.Protocol == "line" || r.Protocol == "magstripe") && re.MatchString("") {
		v.report("reader.pattern", "%q matches an empty line, so any line would count as a card; the default is %q", r.Pattern, DefaultPattern)
	}
	if r.LiftToEnd && r.Protocol != "em4100" {
		v.reportNear("reader.lift_to_end", "reader.protocol", "only works with protocol = \"em4100\" (a card that lies on the reader); remove it, or set it to false, for %q", r.Protocol)
	}

	v.hours(c.Hours)
	v.metrics(c.Metrics)
	v.auth(c.Auth)
	v.presence(c.Presence)

	return v.ps.err()
}

// arrayIndex is an element's index in a key path; problems name the list, not the element.
var arrayIndex = regexp.MustCompile(`\[[0-9]+\]`)

// validator collects the problems of one Validate call.
type validator struct {
	ps  *problems
	src *source
}

// report adds a problem "key: message" on key's line, unless key's value already had the
// wrong type (that problem is reported, and the default stands in for it).
func (v *validator) report(key, format string, args ...any) {
	v.reportNear(key, key, format, args...)
}

// reportNear is report for a problem that another key can cause too: when key is not in the
// file (its default is in force), the problem goes on the line of near.
func (v *validator) reportNear(key, near, format string, args ...any) {
	if v.src.isBad(key) || v.src.isBad(near) {
		return
	}
	line := v.src.line(key)
	if v.src != nil {
		if _, ok := v.src.lines[key]; !ok {
			line = v.src.line(near)
		}
	}
	base := arrayIndex.ReplaceAllString(key, "") // "help.organisations[1].url" → "help.organisations.url"
	v.ps.add(line, base+": "+fmt.Sprintf(format, args...))
}

// url checks an address the kiosk opens: https, a host in allowed_hosts, no credentials.
func (v *validator) url(key, raw string, c *Config, required bool) {
	example := "like \"https://records.example.org/\""
	if raw == "" {
		if required {
			v.report(key, "missing: set it to the record provider's sign-in page, %s", example)
		}
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err // without the address, which may hold a password
		}
		v.report(key, "not a valid address: %v", err)
		return
	}
	switch {
	case u.Scheme == "":
		v.report(key, "must be a full https:// address, %s", example)
	case u.Scheme != "https":
		v.report(key, "must be an https:// address, not %s://", u.Scheme)
	case u.Host == "" || u.Opaque != "":
		v.report(key, "must be a full https:// address with a host, %s", example)
	case u.User != nil:
		v.report(key, "must not hold a user name or password")
	case len(c.AllowedHosts) > 0 && !c.MatchHost(u.Hostname()):
		v.report(key, "host %q is not in allowed_hosts", u.Hostname())
	}
}

// absolute checks that a path is absolute.
func (v *validator) absolute(key, path string) {
	if !filepath.IsAbs(path) {
		v.report(key, "%q must be an absolute path, beginning with /", path)
	}
}

// atLeast checks d >= lo.
func (v *validator) atLeast(key string, d Duration, lo time.Duration) {
	if d.D() < lo {
		v.report(key, "%s is too short: at least %s", short(d), short(Duration(lo)))
	}
}

// below checks 0 < d < limit, where limit is the value of the key limitKey of the same table.
func (v *validator) below(key string, d Duration, limitKey string, limit Duration) {
	switch {
	case d <= 0:
		v.report(key, "%s is too short: more than 0, and less than %s", short(d), limitKey)
	case d >= limit:
		table, _, _ := strings.Cut(key, ".")
		v.reportNear(key, table+"."+limitKey, "%s must be less than %s (%s)", short(d), limitKey, short(limit))
	}
}

// reader checks the [reader] table's kind, device, baud and protocol against what hardware can
// open and decode (hardware.Kinds, BaudRates, Protocols: the one list of each).
func (v *validator) reader(r Reader) {
	kind := r.Kind
	if !slices.Contains(hardware.Kinds(), kind) {
		v.report("reader.kind", "%q is not a kind of reader; use %s", kind, quoteAll(hardware.Kinds()))
		kind = hardware.KindSerial // to check the rest against
	}
	v.absolute("reader.device", r.Device)
	switch {
	case kind == hardware.KindSerial && strings.HasPrefix(r.Device, "/dev/input/"):
		v.reportNear("reader.device", "reader.kind", "%s is an input device: a reader that types its cards as a keyboard needs kind = %q", r.Device, hardware.KindKeyboard)
	case kind == hardware.KindKeyboard && (strings.HasPrefix(r.Device, "/dev/tty") || strings.HasPrefix(r.Device, "/dev/serial/")):
		v.reportNear("reader.device", "reader.kind", "%s is a serial device, not a keyboard reader's input device (/dev/input/by-id/…-event-kbd); for a serial reader, remove kind or set it to %q", r.Device, hardware.KindSerial)
	}
	switch {
	case kind == hardware.KindKeyboard && r.Baud != hardware.DefaultBaud:
		v.report("reader.baud", "a keyboard reader has no baud rate (it types over USB, not a serial line): remove baud")
	case kind == hardware.KindSerial && !hardware.ValidBaud(r.Baud):
		rates := hardware.BaudRates()
		use := make([]string, len(rates))
		for i, b := range rates {
			use[i] = strconv.Itoa(b)
		}
		v.report("reader.baud", "%d is not a serial speed Linux supports; use one of %s", r.Baud, strings.Join(use, ", "))
	}
	switch {
	case slices.Contains(hardware.Protocols(kind), r.Protocol):
	case slices.Contains(hardware.Protocols(hardware.KindSerial), r.Protocol):
		v.reportNear("reader.protocol", "reader.kind", "%q cannot be typed by a keyboard reader; use %s, or kind = %q for a serial reader", r.Protocol, quoteAll(hardware.Protocols(kind)), hardware.KindSerial)
	default:
		v.report("reader.protocol", "%q is not a reader protocol; use %s", r.Protocol, quoteAll(hardware.Protocols(kind)))
	}
}

// quoteAll lists names quoted: "a", "b", "c".
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// certificates checks that a trusted certificate file exists and holds certificates only.
func (v *validator) certificates(key, path string) {
	if path == "" {
		v.report(key, "an empty string is not a file name")
		return
	}
	data, err := readCertificates(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		v.report(key, "%s does not exist", path)
		return
	case err != nil:
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			err = pe.Err
		}
		v.report(key, "cannot read %s: %v", path, err)
		return
	}
	n := 0
	for i := 1; ; i++ {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		switch {
		case strings.Contains(b.Type, "PRIVATE KEY"):
			v.report(key, "%s holds a private key: list certificates only, and keep keys off the kiosk", path)
			return
		case b.Type != "CERTIFICATE":
			continue
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			v.report(key, "%s: PEM block %d is not a valid X.509 certificate: %v", path, i, err)
			return
		}
		n++
	}
	if n == 0 {
		v.report(key, "%s holds no certificate (a PEM block that begins -----BEGIN CERTIFICATE-----)", path)
	}
}

// short writes a duration the way a config file would: "2m", "1m30s", "1h", "500ms".
func short(d Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// maxCertificatesSize bounds a trusted certificates file: a whole CA bundle is well under it.
const maxCertificatesSize = 4 << 20

// readCertificates reads a regular file of at most maxCertificatesSize bytes. It does not open
// anything else: a FIFO would block, and a device such as /dev/zero would never end.
func readCertificates(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return nil, errors.New("is a directory")
		}
		return nil, errors.New("not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCertificatesSize+1))
	if err == nil && len(data) > maxCertificatesSize {
		err = fmt.Errorf("larger than %d MiB", maxCertificatesSize>>20)
	}
	return data, err
}
