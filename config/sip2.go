package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// SIP2 is the [auth.sip2] table: the library's SIP2 server, which checks each card with
// mode = "sip2". The card number goes to this server only, and nowhere else.
type SIP2 struct {
	// Address is the server's host:port. Required.
	Address string `toml:"address"`
	// TLS speaks TLS to the server (a stunnel or the server's own); false is plain TCP.
	TLS bool `toml:"tls"`
	// CAFile is a PEM file of the private CA the server's certificate is signed by (tls only);
	// "" trusts the system's CAs. Parse resolves a relative path against the config file's
	// directory.
	CAFile string `toml:"ca_file"`
	// Credentials is the file of the unit's SIP login: "user = …" and "password = …" lines,
	// "#" comments; mode 0600 (readable by the kiosk's user only). Required. Parse resolves a
	// relative path like CAFile.
	Credentials string `toml:"credentials"`
	// Institution is the institution id (AO) the library gave the kiosk. Required.
	Institution string `toml:"institution"`
	// Location is the terminal's location code (CP of the login); may be "".
	Location string `toml:"location"`
	// Message is how each card is asked about: "23" (Patron Status, the default) or "63"
	// (Patron Information), whichever the server answers fully.
	Message string `toml:"message"`
	// RequirePIN asks the patron's PIN on the kiosk's PIN pad before the check; the server
	// checks it (AD, answered by CQ). Three wrong PINs refuse the card for [auth] cooldown.
	RequirePIN bool `toml:"require_pin"`
	// Timeout bounds connecting and each exchange with the server: from 1s to 30s, default 5s.
	Timeout Duration `toml:"timeout"`
	// LineEnding ends each message sent: "cr" (the specification's, the default) or "crlf".
	// Answers may end in either.
	LineEnding string `toml:"line_ending"`
	// Checksums sends a sequence number and checksum (AY, AZ) and requires them on each answer
	// (the default); false for servers that don't send them.
	Checksums bool `toml:"checksums"`
}

// DefaultSIP2 is the [auth.sip2] table's defaults.
func DefaultSIP2() SIP2 {
	return SIP2{Message: "23", Timeout: Duration(5 * time.Second), LineEnding: "cr", Checksums: true}
}

// maxCredentialsSize bounds a credentials file: two short lines.
const maxCredentialsSize = 4 << 10

// ReadSIP2Credentials reads a SIP2 credentials file: its user and password. It refuses a file
// that is not regular, is open to group or others (any of mode 0077), or lacks either line; on
// any problem it returns Problems about the file itself ("FILE:LINE: …"), which never quote it.
func ReadSIP2Credentials(path string) (user, password string, err error) {
	ps := &problems{file: path}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		ps.add(1, "does not exist: write the kiosk's SIP login here, \"user = …\" and \"password = …\", mode 0600")
	case err != nil:
		ps.add(1, fmt.Sprintf("cannot be read: %v", bare(err)))
	case !fi.Mode().IsRegular():
		ps.add(1, "is not a regular file")
	case fi.Mode().Perm()&0o077 != 0:
		ps.add(1, fmt.Sprintf("has mode %#o: it holds a password, so group and others must have no access (chmod 600 %s)", fi.Mode().Perm(), path))
	case fi.Size() > maxCredentialsSize:
		ps.add(1, "is too large for a SIP login: is it the right file?")
	}
	if err := ps.err(); err != nil {
		return "", "", err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		ps.add(1, fmt.Sprintf("cannot be read: %v", bare(err)))
		return "", "", ps.err()
	}
	defer clear(data)
	var seen [2]bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, val, ok := strings.Cut(line, "=")
		k, val = strings.TrimSpace(k), strings.TrimSpace(val)
		switch {
		case !ok:
			ps.add(n, "not a \"key = value\" line: write \"user = …\" or \"password = …\"")
		case k == "user":
			user, seen[0] = val, true
		case k == "password":
			password, seen[1] = val, true
		default:
			ps.add(n, fmt.Sprintf("%q is not a key here: use \"user\" and \"password\"", k))
		}
		if ok && val == "" && (k == "user" || k == "password") {
			ps.add(n, k+" is empty")
		}
		if strings.ContainsAny(val, "|\r\n") {
			ps.add(n, k+" holds \"|\", which SIP2 cannot send")
		}
	}
	if !seen[0] || !seen[1] {
		ps.add(1, "needs both a \"user = …\" and a \"password = …\" line")
	}
	if err := ps.err(); err != nil {
		return "", "", err
	}
	return user, password, nil
}

// sip2 validates the [auth.sip2] table (mode = "sip2" only) and reads the credentials file,
// whose problems carry its own file name.
func (v *validator) sip2(s SIP2) {
	const near = "auth.mode"
	if s.Address == "" {
		v.reportNear("auth.sip2.address", near, "missing: mode = \"sip2\" needs the library's SIP2 server, like address = \"sip.library.example.org:6001\"")
	} else if host, port, err := net.SplitHostPort(s.Address); err != nil || host == "" {
		v.report("auth.sip2.address", "%q is not host:port, like \"sip.library.example.org:6001\"", s.Address)
	} else if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		v.report("auth.sip2.address", "port %q is not a number from 1 to 65535", port)
	}
	if s.CAFile != "" {
		if !s.TLS {
			v.report("auth.sip2.ca_file", "only used with tls = true; set tls = true, or remove it")
		} else {
			v.certificates("auth.sip2.ca_file", s.CAFile)
		}
	}
	if s.Credentials == "" {
		v.reportNear("auth.sip2.credentials", near, "missing: the file of the kiosk's SIP login, like credentials = \"/etc/carekiosk/sip2.credentials\"")
	} else if _, _, err := ReadSIP2Credentials(s.Credentials); err != nil {
		var ps Problems
		if errors.As(err, &ps) {
			v.ps.list = append(v.ps.list, ps...)
		}
	}
	if strings.TrimSpace(s.Institution) == "" {
		v.reportNear("auth.sip2.institution", near, "missing: the institution id (AO) the library gave this kiosk")
	}
	for _, f := range []struct{ key, val string }{{"institution", s.Institution}, {"location", s.Location}} {
		if strings.ContainsAny(f.val, "|\r\n") {
			v.report("auth.sip2."+f.key, "must not hold \"|\" or a line break, which SIP2 cannot send")
		}
	}
	if s.Message != "23" && s.Message != "63" {
		v.report("auth.sip2.message", "%q is not a message the kiosk sends; use \"23\" (Patron Status) or \"63\" (Patron Information)", s.Message)
	}
	if d := s.Timeout.D(); d < time.Second || d > 30*time.Second {
		v.report("auth.sip2.timeout", "%s is out of range: from 1s to 30s", short(s.Timeout))
	}
	if s.LineEnding != "cr" && s.LineEnding != "crlf" {
		v.report("auth.sip2.line_ending", "%q is not a line ending; use \"cr\" or \"crlf\"", s.LineEnding)
	}
}
