package shellproc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindShell(t *testing.T) {
	root := t.TempDir()
	bin := filepath.Join(root, "usr", "bin", "carekiosk")
	installed := filepath.Join(root, "usr", "lib", "carekiosk", "carekiosk-shell")
	os.MkdirAll(filepath.Dir(bin), 0o755)
	os.MkdirAll(filepath.Dir(installed), 0o755)
	if _, err := FindShell(bin); err == nil || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("no shell anywhere: err %v, want not installed", err)
	}
	os.WriteFile(installed, []byte("#!/bin/sh\n"), 0o644)
	if _, err := FindShell(bin); err == nil {
		t.Errorf("a shell that is not executable was accepted")
	}
	os.Chmod(installed, 0o755)
	if got, err := FindShell(bin); err != nil || got != installed {
		t.Errorf("installed: FindShell = %q, %v; want %q", got, err, installed)
	}
	beside := filepath.Join(filepath.Dir(bin), "carekiosk-shell")
	os.WriteFile(beside, []byte("#!/bin/sh\n"), 0o755)
	if got, err := FindShell(bin); err != nil || got != beside {
		t.Errorf("build tree: FindShell = %q, %v; want the one beside, %q", got, err, beside)
	}
}
