package canary

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

func TestFindUTF8AndUTF16(t *testing.T) {
	dir := t.TempDir()
	s := New()
	os.WriteFile(filepath.Join(dir, "a"), []byte("xx"+s.Cookie+"yy"), 0o600)
	var wide []byte
	for _, r := range utf16.Encode([]rune(s.Local)) {
		wide = append(wide, byte(r), byte(r>>8))
	}
	os.MkdirAll(filepath.Join(dir, "d"), 0o700)
	os.WriteFile(filepath.Join(dir, "d", "b"), wide, 0o600)
	os.WriteFile(filepath.Join(dir, "c"), []byte("nothing here"), 0o600)
	if got := Find(dir, s.All()); len(got) != 2 {
		t.Errorf("Find = %v, want the UTF-8 cookie in a and the UTF-16 local value in d/b", got)
	}
	if s.Cookie == New().Cookie {
		t.Errorf("two sets share a canary")
	}
}

func TestFindSinceSkipsOlderFiles(t *testing.T) {
	dir := t.TempDir()
	s := New()
	old, new := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	os.WriteFile(old, []byte(s.Cookie), 0o600)
	os.WriteFile(new, []byte(s.Cookie), 0o600)
	since := time.Now().Add(-time.Minute)
	os.Chtimes(old, since.Add(-time.Hour), since.Add(-time.Hour))
	if got := FindSince(dir, s.All(), since); len(got) != 1 || !strings.HasPrefix(got[0], new) {
		t.Errorf("FindSince = %v, want only %s", got, new)
	}
	if got := Find(dir, s.All()); len(got) != 2 {
		t.Errorf("Find = %v, want both files", got)
	}
}
