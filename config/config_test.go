package config

import (
	"errors"
	"testing"
	"time"
)

func TestDefault(t *testing.T) {
	c := Default()
	checks := []struct {
		name      string
		got, want any
	}{
		{"session_dir", c.SessionDir, "/run/carekiosk/sessions"},
		{"control_socket", c.ControlSocket, "/run/carekiosk/control.sock"},
		{"state_dir", c.StateDir, "/var/lib/carekiosk"},
		{"idle_timeout", c.Session.IdleTimeout.D(), 2 * time.Minute},
		{"idle_warning", c.Session.IdleWarning.D(), 30 * time.Second},
		{"max_duration", c.Session.MaxDuration.D(), 20 * time.Minute},
		{"max_warning", c.Session.MaxWarning.D(), 2 * time.Minute},
		{"privacy_timeout", c.Session.PrivacyTimeout.D(), 60 * time.Second},
		{"logout_url", c.Session.LogoutURL, ""},
		{"logout_wait", c.Session.LogoutWait.D(), 5 * time.Second},
		{"device", c.Reader.Device, "/dev/carekiosk-reader"},
		{"baud", c.Reader.Baud, 9600},
		{"protocol", c.Reader.Protocol, "line"},
		{"pattern", c.Reader.Pattern, `^[0-9]{6,19}$`},
		{"luhn", c.Reader.Luhn, false},
		{"lift_to_end", c.Reader.LiftToEnd, false},
		{"start_url", c.StartURL, ""},
		{"allowed_hosts", len(c.AllowedHosts), 0},
	}
	for _, tc := range checks {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

// TestValidateEdited covers Validate on a Config built in code (the dev demo's way): every
// problem is on line 1, and the defaults need only a start URL and a host to be valid.
func TestValidateEdited(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{
			name: "defaults alone",
			edit: func(*Config) {},
			want: `demo:1: start_url: missing: set it to the record provider's sign-in page, like "https://records.example.org/"` + "\n" +
				`demo:1: allowed_hosts: list at least one host the kiosk may open, like allowed_hosts = ["records.example.org"]`,
		},
		{
			name: "defaults with a portal",
			edit: func(c *Config) {
				c.StartURL = "https://127.0.0.1:8443/"
				c.AllowedHosts = []string{"127.0.0.1"}
			},
		},
		{
			name: "edited badly",
			edit: func(c *Config) {
				c.StartURL = "https://portal.test/"
				c.AllowedHosts = []string{"portal.test"}
				c.Session.IdleWarning = Duration(5 * time.Minute)
				c.Reader.Baud = 1234
			},
			want: "demo:1: session.idle_warning: 5m must be less than idle_timeout (2m)\n" +
				"demo:1: reader.baud: 1234 is not a serial speed Linux supports; use one of 50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.edit(&c)
			err := c.Validate("demo")
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("got %T %v, want Problems", err, err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestDurationText(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "2m", want: 2 * time.Minute},
		{in: "90s", want: 90 * time.Second},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "0", want: 0},
		{in: "2 minutes", wantErr: `"2 minutes" is not a duration (write it like "2m" or "90s")`},
		{in: "120", wantErr: `"120" is not a duration (write it like "2m" or "90s")`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var d Duration
			err := d.UnmarshalText([]byte(tc.in))
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("got error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || d.D() != tc.want {
				t.Fatalf("got %v, %v; want %v", d.D(), err, tc.want)
			}
			text, _ := d.MarshalText()
			var back Duration
			if err := back.UnmarshalText(text); err != nil || back != d {
				t.Errorf("round trip through %q: got %v, %v; want %v", text, back.D(), err, d.D())
			}
		})
	}
}

func TestLinePattern(t *testing.T) {
	tests := []struct {
		pattern string
		line    string
		want    bool
	}{
		{DefaultPattern, "123456", true},
		{DefaultPattern, "12345", false},
		{DefaultPattern, "1234567890123456789", true},
		{DefaultPattern, "12345678901234567890", false},
		{`[0-9]{6}`, "123456", true},
		{`[0-9]{6}`, "x123456", false}, // anchored even without ^ and $
		{`[0-9]{6}`, "1234567", false},
		{`a|b`, "ab", false},
		{`a|b`, "b", true},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+" "+tc.line, func(t *testing.T) {
			re, err := Reader{Pattern: tc.pattern}.LinePattern()
			if err != nil {
				t.Fatal(err)
			}
			if got := re.MatchString(tc.line); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("unbalanced", func(t *testing.T) {
		if _, err := (Reader{Pattern: `a)|(b`}).LinePattern(); err == nil {
			t.Error(`got no error for "a)|(b", want one`)
		}
	})
}

func TestProblemError(t *testing.T) {
	tests := []struct {
		name string
		p    Problem
		want string
	}{
		{"plain", Problem{File: "k.toml", Line: 7, Msg: "oops"}, "k.toml:7: oops"},
		{"no line", Problem{File: "k.toml", Msg: "oops"}, "k.toml:1: oops"},
		{"line breaks", Problem{File: "k.toml", Line: 2, Msg: "a\nb\r\nc"}, "k.toml:2: a b  c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Error(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
