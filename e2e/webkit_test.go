package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carekiosk/carekiosk/internal/webkit"
)

// TestBrowserLinksOneWebKit: the browser loads the WebKitGTK API it was built for and exactly one
// libsoup. A 4.0 and a 4.1 build sharing Go's build cache once produced a browser with libsoup 2
// and libsoup 3 loaded, which aborts at start ("libsoup3 symbols detected").
func TestBrowserLinksOneWebKit(t *testing.T) {
	shell := filepath.Join(filepath.Dir(binary), "carekiosk-shell")
	out, err := exec.Command("ldd", shell).CombinedOutput()
	if err != nil {
		t.Fatalf("ldd %s: %v\n%s", shell, err, out)
	}
	loaded := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			loaded[f[0]] = true
		}
	}
	if !loaded[webkit.Runtime] {
		t.Errorf("the browser does not load %s (WebKitGTK %s, what it was built for):\n%s", webkit.Runtime, webkit.API, out)
	}
	for _, lib := range []string{"libwebkit2gtk-4.0.so.37", "libwebkit2gtk-4.1.so.0", "libsoup-2.4.so.1", "libsoup-3.0.so.0"} {
		if lib != webkit.Runtime && lib != webkit.Soup && loaded[lib] {
			t.Errorf("the browser, built for WebKitGTK %s, also loads %s:\n%s", webkit.API, lib, out)
		}
	}
	if !loaded[webkit.Soup] {
		t.Errorf("the browser does not load %s:\n%s", webkit.Soup, out)
	}
}
