package config

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
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
	for i, b := range blocks {
		t.Run(string(rune('a'+i)), func(t *testing.T) {
			if _, err := Parse(filepath.Join(dir, "kiosk.toml"), b[1]); err != nil {
				t.Errorf("example %d:\n%s\ngot\n%v", i+1, b[1], err)
			}
		})
	}
}
