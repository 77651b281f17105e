package canary

import (
	"os"
	"path/filepath"
	"testing"
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
