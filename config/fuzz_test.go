package config

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, and that whatever it refuses it refuses with
// Problems whose every line has the shape "FILE:LINE: message".
func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		minimal,
		minimal + "[session]\nidle_timeout = \"2m\"\nidle_warning = \"30s\"\nlogout_url = \"https://records.example.org/out\"\n",
		minimal + "[reader]\nbaud = 9600\nprotocol = \"line\"\npattern = '^[0-9]{6,19}$'\nluhn = true\n",
		minimal + "reader = { device = \"/dev/ttyS0\", baud = 115200 }\nsession.max_duration = \"1h\"\n",
		minimal + "[reader]\nprotocol = \"em4100\"\nlift_to_end = true\n",
		minimal + "[reader]\nprotocol = \"magstripe\"\nlift_to_end = true\n",
		minimal + "trusted_certificates = [\"a.pem\", \"/b.pem\"]\n",
		"start_url = 1\nallowed_hosts = \"x\"\n[[session]]\n",
		"a = 1\na = 2\n",
		"[a]\n[a]\n",
		"a.b = 1\n[a]\n",
		"[[x]]\ny.z = 1\n[[x]]\ny.z = 2\n[x.y]\n",
		"a = {b = 1}\na.c = 2\n",
		"a = [1]\n[[a]]\n",
		"x = [1, [2, {a = 3}], 1979-05-27T07:32:00Z]\n",
		"[session]\nidel_timeout = \"2 minutes\"\n",
		"\"quoted.key\" = 1\n'lit' = { \"n\\n\" = 2 }\n",
		"start_url = \"https://u:p@x/\"\nallowed_hosts = [\"*\", \"*.\", \"\u00e9.example\"]\n",
		"\ufeffstart_url = \"https://x.org\"\n",
		"a = \"\x00\"\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	shape := regexp.MustCompile(`^kiosk\.toml:[1-9][0-9]*: \S`)
	f.Fuzz(func(t *testing.T, data string) {
		c, err := Parse("kiosk.toml", []byte(data))
		if err == nil {
			if c == nil {
				t.Fatal("got a nil config and no error")
			}
			return
		}
		if c != nil {
			t.Error("got a config and an error")
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("got %T %v, want non-empty Problems", err, err)
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !shape.MatchString(line) {
				t.Errorf("line %q does not have the shape FILE:LINE: message", line)
			}
		}
	})
}
