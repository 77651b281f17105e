package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPrinting: printing is off unless the file turns it on, and takes only a boolean.
func TestPrinting(t *testing.T) {
	const head = "start_url = \"https://records.example.org/\"\nallowed_hosts = [\"records.example.org\"]\n"
	name := filepath.Join(t.TempDir(), "kiosk.toml")
	if d := Default(); d.Printing {
		t.Error("printing is on by default")
	}
	c, err := Parse(name, []byte(head))
	if err != nil || c.Printing {
		t.Fatalf("no printing key: printing = %v, %v; want off", c != nil && c.Printing, err)
	}
	if c, err = Parse(name, []byte(head+"printing = true\n")); err != nil || !c.Printing {
		t.Fatalf("printing = true: got %v, %v", c != nil && c.Printing, err)
	}
	_, err = Parse(name, []byte(head+"printing = \"yes\"\n"))
	if err == nil || !strings.Contains(err.Error(), "kiosk.toml:3:") {
		t.Errorf("printing = \"yes\": got %v, want a problem on line 3", err)
	}
}
