package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/carekiosk/carekiosk/hardware"
)

// TestDocsExamples parses the example files in docs/config.md, so that the documentation
// cannot drift from what the kiosk accepts.
func TestDocsExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) < 2 {
		t.Fatalf("got %d toml examples in docs/config.md, want at least 2", len(blocks))
	}
	dir := t.TempDir()
	writePEM(t, filepath.Join(dir, "certs", "provider-ca.pem"), "CERTIFICATE")
	writePEM(t, filepath.Join(dir, "certs", "library-ca.pem"), "CERTIFICATE")
	if err := os.WriteFile(filepath.Join(dir, "sip2.credentials"), []byte("user = kiosk\npassword = secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		t.Run(string(rune('a'+i)), func(t *testing.T) {
			if _, err := Parse(filepath.Join(dir, "kiosk.toml"), b[1]); err != nil {
				t.Errorf("example %d:\n%s\ngot\n%v", i+1, b[1], err)
			}
		})
	}
}

// TestDocsLists: the lists docs/config.md writes out — baud rates, reader kinds and protocols —
// are hardware's, which owns each of them.
func TestDocsLists(t *testing.T) {
	doc, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	row := func(start string) string {
		for _, l := range strings.Split(string(doc), "\n") {
			if strings.HasPrefix(l, start) {
				return l
			}
		}
		t.Fatalf("docs/config.md has no row %q", start)
		return ""
	}
	rates := func(rs []int) string {
		s := make([]string, len(rs))
		for i, r := range rs {
			s[i] = strconv.Itoa(r)
		}
		return "one of " + strings.Join(s, ", ") + "."
	}
	for _, tc := range []struct{ row, want string }{
		{"| `baud` | `9600` |", rates(hardware.BaudRates())},
		{"| `baud` | `256000` |", rates(hardware.SensorRates())},
	} {
		if r := row(tc.row); !strings.Contains(r, tc.want) {
			t.Errorf("docs/config.md row %s…: does not say %q", tc.row, tc.want)
		}
	}
	for start, names := range map[string][]string{
		"| `kind` |":     hardware.Kinds(),
		"| `protocol` |": hardware.Protocols(hardware.KindSerial),
	} {
		r := row(start)
		for _, n := range names {
			if !strings.Contains(r, "`\""+n+"\"`") {
				t.Errorf("docs/config.md row %s…: does not name %q", start, n)
			}
		}
	}
}
