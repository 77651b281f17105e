package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSIP2: the [auth.sip2] table and its credentials file, each problem on its line, and the
// password never quoted.
func TestSIP2(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(dir, name), mode)
	}
	write("sip2.credentials", "# the kiosk's SIP login\nuser = kiosk7\npassword = pa ss=word\n", 0o600)
	write("open.credentials", "user = kiosk7\npassword = hunter2\n", 0o644)
	write("half.credentials", "user = kiosk7\npasword = hunter2\nhunter2\n", 0o600)
	writePEM(t, filepath.Join(dir, "ca.pem"), "CERTIFICATE")
	const head = "[auth]\nmode = \"sip2\"\n[auth.sip2]\n"
	const good = "address = \"sip.example.org:6001\"\ninstitution = \"lib\"\ncredentials = \"sip2.credentials\"\n"

	tests := []struct {
		name string
		file string
		want []string // problems, each "FILE:LINE: ..." with FILE relative to dir
	}{
		{"good", head + good, nil},
		{"good, every key", head + good + "tls = true\nca_file = \"ca.pem\"\nlocation = \"desk1\"\nmessage = \"63\"\nrequire_pin = true\ntimeout = \"3s\"\nline_ending = \"crlf\"\nchecksums = false\n", nil},
		{"nothing", head, []string{
			"kiosk.toml:4: auth.sip2.address: missing",
			"kiosk.toml:4: auth.sip2.credentials: missing",
			"kiosk.toml:4: auth.sip2.institution: missing"}},
		{"bad values", head + "address = \"sip.example.org\"\ninstitution = \"a|b\"\ncredentials = \"sip2.credentials\"\nca_file = \"ca.pem\"\nmessage = \"17\"\ntimeout = \"1m\"\nline_ending = \"lf\"\n", []string{
			"kiosk.toml:6: auth.sip2.address: \"sip.example.org\" is not host:port",
			"kiosk.toml:7: auth.sip2.institution: must not hold",
			"kiosk.toml:9: auth.sip2.ca_file: only used with tls = true",
			"kiosk.toml:10: auth.sip2.message: \"17\" is not a message",
			"kiosk.toml:11: auth.sip2.timeout: 1m is out of range",
			"kiosk.toml:12: auth.sip2.line_ending: \"lf\" is not a line ending"}},
		{"bad port", head + "address = \"sip.example.org:0\"\ninstitution = \"lib\"\ncredentials = \"sip2.credentials\"\n", []string{
			"kiosk.toml:6: auth.sip2.address: port \"0\" is not a number"}},
		{"credentials missing", head + "address = \"h:1\"\ninstitution = \"lib\"\ncredentials = \"none\"\n", []string{"none:1: does not exist"}},
		{"credentials open to others", head + "address = \"h:1\"\ninstitution = \"lib\"\ncredentials = \"open.credentials\"\n", []string{"open.credentials:1: has mode 0644"}},
		{"credentials half", head + "address = \"h:1\"\ninstitution = \"lib\"\ncredentials = \"half.credentials\"\n", []string{
			"half.credentials:1: needs both",
			"half.credentials:2: \"pasword\" is not a key here",
			"half.credentials:3: not a \"key = value\" line"}},
		{"unknown key", head + good + "adress = \"x\"\n", []string{"kiosk.toml:9: unknown key \"adress\" in [auth.sip2]"}},
		{"not checked in another mode", "[auth.sip2]\naddress = \"nope\"\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(filepath.Join(dir, "kiosk.toml"), []byte(minimal+tc.file))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("got\n%v\nwant no problem", err)
				}
				return
			}
			if c != nil {
				t.Fatal("a Config with problems")
			}
			wantProblems(t, err, dir, tc.want, "hunter2")
		})
	}

	user, pass, err := ReadSIP2Credentials(filepath.Join(dir, "sip2.credentials"))
	if err != nil || user != "kiosk7" || pass != "pa ss=word" {
		t.Errorf("ReadSIP2Credentials = %q, %q, %v", user, pass, err)
	}
}
