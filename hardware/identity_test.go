package hardware

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadKeyerCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	k, err := LoadKeyer(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "card.key"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != 0o600 || fi.Size() != 32 {
		t.Errorf("card.key: mode %v, %d bytes; want -rw-------, 32 bytes", fi.Mode(), fi.Size())
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("state directory mode %v, want 0700", di.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("state directory holds %d files, want card.key alone", len(entries))
	}

	again, err := LoadKeyer(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := k.identify([]byte(visa)), again.identify([]byte(visa)); a != b {
		t.Errorf("a reloaded key names a card %s, first load %s", b.Short(), a.Short())
	}
	other, err := LoadKeyer(filepath.Join(t.TempDir(), "other"))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := k.identify([]byte(visa)), other.identify([]byte(visa)); a == b {
		t.Errorf("two units' keys name a card alike: %s", a.Short())
	}
}

func TestLoadKeyerKeepsExistingDirMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKeyer(dir); err != nil {
		t.Fatal(err)
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o750 {
		t.Errorf("existing state directory changed to mode %v", di.Mode().Perm())
	}
}

func TestLoadKeyerRefuses(t *testing.T) {
	tests := []struct {
		name    string
		make    func(path string) error
		wantErr string
	}{
		{"world readable", func(p string) error { return writeKey(p, 32, 0o644) }, "has mode 0644: group and others must have no access (chmod 600 "},
		{"group readable", func(p string) error { return writeKey(p, 32, 0o640) }, "has mode 0640"},
		{"group writable", func(p string) error { return writeKey(p, 32, 0o620) }, "has mode 0620"},
		{"short", func(p string) error { return writeKey(p, 31, 0o600) }, "is 31 bytes, want 32"},
		{"long", func(p string) error { return writeKey(p, 33, 0o600) }, "is 33 bytes, want 32"},
		{"empty", func(p string) error { return writeKey(p, 0, 0o600) }, "is 0 bytes, want 32"},
		{"directory", func(p string) error { return os.Mkdir(p, 0o700) }, "is not a regular file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "card.key")
			if err := tc.make(path); err != nil {
				t.Fatal(err)
			}
			_, err := LoadKeyer(dir)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got error %v, want one naming %s and containing %q", err, path, tc.wantErr)
			}
		})
	}
}

func writeKey(path string, size int, mode os.FileMode) error {
	if err := os.WriteFile(path, make([]byte, size), mode); err != nil {
		return err
	}
	return os.Chmod(path, mode) // past the umask
}

func TestIdentity(t *testing.T) {
	a := NewKeyer(testSecret)
	b := NewKeyer([]byte("another unit's secret, 32 bytes."))
	id := a.identify([]byte(visa))
	if _, err := hex.DecodeString(string(id)); err != nil || len(id) != 64 {
		t.Errorf("identity %q is not 64 hex characters", id)
	}
	if id != a.identify([]byte(visa)) {
		t.Errorf("one key names one card two ways")
	}
	if id == b.identify([]byte(visa)) {
		t.Errorf("two secrets name a card alike")
	}
	if id == a.identify([]byte(library)) {
		t.Errorf("two cards have one identity")
	}
	if got := id.Short(); got != string(id[:8]) {
		t.Errorf("Short() = %q, want %q", got, id[:8])
	}
	if got := Identity("abc").Short(); got != "abc" {
		t.Errorf("Short() of a short identity = %q, want it whole", got)
	}
	checkClean(t, "identity", string(id))
}

func TestNewKeyerCopiesSecret(t *testing.T) {
	secret := append([]byte(nil), testSecret...)
	k := NewKeyer(secret)
	before := k.identify([]byte(visa))
	clear(secret)
	if after := k.identify([]byte(visa)); after != before {
		t.Errorf("changing the caller's secret changed the Keyer")
	}
}
