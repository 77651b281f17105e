package hardware

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A hung-up tty keeps its path but ends every read at once; that is hard to make through a pty
// (its node goes with the master), so watch is checked here on plain files.
func TestWatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dev")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := newWatch(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if err := w.empty(readTimeout); err != nil {
			t.Fatalf("timeout %d: %v", i, err)
		}
	}
	for i := range quickEOFs - 1 {
		if err := w.empty(0); err != nil {
			t.Fatalf("quick end of file %d: %v", i, err)
		}
	}
	w.data()
	for i := range quickEOFs - 1 {
		if err := w.empty(0); err != nil {
			t.Fatalf("quick end of file %d after data: %v", i, err)
		}
	}
	if err := w.empty(0); err == nil || !strings.HasSuffix(err.Error(), "gone: hung up") {
		t.Errorf("after %d quick ends of file: got %v, want hung up", quickEOFs, err)
	}

	w, _ = newWatch(path)
	other := filepath.Join(dir, "other")
	if err := os.WriteFile(other, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, path); err != nil {
		t.Fatal(err)
	}
	if err := w.empty(readTimeout); err == nil || !strings.HasSuffix(err.Error(), "gone: replaced by another device") {
		t.Errorf("after the path changed device: got %v, want replaced", err)
	}

	w, _ = newWatch(path)
	os.Remove(path)
	if err := w.empty(readTimeout); err == nil || err.Error() != "device "+path+" gone: no such file or directory" {
		t.Errorf("after the path went: got %v", err)
	}
}
