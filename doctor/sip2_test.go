package doctor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/sip2/sip2test"
)

// TestDoctorSIP2: the sip2 check against the loopback SIP2 server: ok when it logs in, FAIL
// with the fix for each way it can't; the password never shows; no check in another mode.
func TestDoctorSIP2(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tls   bool
		edit  func(s *sip2test.Server, c *config.SIP2, dir string)
		level Level
		want  string
	}{
		{"good", false, nil, OK, "logged in to 127.0.0.1:"},
		{"good over TLS with the CA", true, nil, OK, "over TLS; the server is on line"},
		{"TLS without the CA", true, func(_ *sip2test.Server, c *config.SIP2, _ string) { c.CAFile = "" }, Fail, "fix: set ca_file"},
		{"wrong password", false, func(_ *sip2test.Server, c *config.SIP2, dir string) {
			os.WriteFile(c.Credentials, []byte("user = kiosk\npassword = hunter3\n"), 0o600)
		}, Fail, "fix: check the user and password in"},
		{"credentials open to others", false, func(_ *sip2test.Server, c *config.SIP2, _ string) { os.Chmod(c.Credentials, 0o640) }, Fail, "has mode 0640"},
		{"off line", false, func(s *sip2test.Server, _ *config.SIP2, _ string) { s.Behave(sip2test.Behaviour{Offline: true}) }, Fail, "fix: the library's SIP2 service says it is off line"},
		{"no checksums", false, func(s *sip2test.Server, _ *config.SIP2, _ string) { s.Behave(sip2test.Behaviour{NoChecksum: true}) }, Fail, "set checksums = false"},
		{"server down", false, func(s *sip2test.Server, _ *config.SIP2, _ string) { s.Close() }, Fail, "connection refused; fix: check address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := sip2test.Start(t, "kiosk", "hunter2", tc.tls)
			cfg := config.Default()
			cfg.Auth.Mode = config.AuthSIP2
			c := &cfg.Auth.SIP2
			c.Address, c.Institution, c.Timeout, c.TLS = s.Addr, "lib", config.Duration(time.Second), tc.tls
			c.Credentials = filepath.Join(dir, "sip2.credentials")
			os.WriteFile(c.Credentials, []byte("user = kiosk\npassword = hunter2\n"), 0o600)
			if tc.tls {
				c.CAFile = filepath.Join(dir, "ca.pem")
				os.WriteFile(c.CAFile, s.CAPEM, 0o644)
			}
			if tc.edit != nil {
				tc.edit(s, c, dir)
			}
			r := checkSIP2(&Env{}, &state{cfg: &cfg})
			if r.Check != "sip2" || r.Level != tc.level || !strings.Contains(r.String(), tc.want) {
				t.Errorf("got %q (%s), want %s with %q", r, r.Level, tc.level, tc.want)
			}
			if strings.Contains(r.String(), "hunter") {
				t.Errorf("%q shows the password", r)
			}
		})
	}
	d := config.Default()
	if r := checkSIP2(&Env{}, &state{cfg: &d}); r.Check != "" {
		t.Errorf("in mode any: %q, want no check", r)
	}
}
