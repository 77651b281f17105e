package shellproc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FindShell finds carekiosk-shell, the browser, for the carekiosk binary at self: beside it (a
// build tree), or in ../lib/carekiosk/ from it (an installed PREFIX: /usr/bin → /usr/lib/carekiosk).
func FindShell(self string) (string, error) {
	dir := filepath.Dir(self)
	tried := []string{filepath.Join(dir, "carekiosk-shell"), filepath.Join(dir, "..", "lib", "carekiosk", "carekiosk-shell")}
	for _, p := range tried {
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return filepath.Clean(p), nil
		}
	}
	return "", fmt.Errorf("the browser, carekiosk-shell, is not installed: looked for %s", strings.Join(tried, " and "))
}
