package systemd

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// maxExposure is the highest `systemd-analyze security` score the unit may have: a change that
// loosens the sandbox past it fails here rather than in the field. (1.7 when this was written;
// 3.4 since the web processes run in WebKit's bubblewrap sandbox, which needs the namespaces,
// mount calls, openat2 (no RestrictSUIDSGID=) and an unobstructed /proc that the score counts
// against the unit, and since the shells get delegated cgroups. Both are worth more than the points: page code no longer sees the
// kiosk's files, devices and sockets, and no process of a session escapes its wipe.)
const maxExposure = 3.5

// shared is the DESTDIR of one `make install`, for the tests that only read it.
var shared struct {
	once sync.Once
	dest string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dest != "" {
		os.RemoveAll(shared.dest)
	}
	os.Exit(code)
}

// install runs `make install` once into a DESTDIR of its own and returns it.
func install(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed (apt-get install make)")
	}
	shared.once.Do(func() {
		dest, err := os.MkdirTemp("", "carekiosk-install-")
		if err != nil {
			t.Fatal(err)
		}
		makeInstall(t, dest)
		shared.dest = dest
	})
	if shared.dest == "" {
		t.Fatal("make install failed in an earlier test")
	}
	return shared.dest
}

func makeInstall(t *testing.T, dest string) string {
	t.Helper()
	cmd := exec.Command("make", "--no-print-directory", "-C", "..", "install", "DESTDIR="+dest, "PREFIX=/usr")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make install DESTDIR=%s: %v\n%s", dest, err, out)
	}
	return string(out)
}

func TestInstallTree(t *testing.T) {
	dest := install(t)
	for _, tc := range []struct {
		path string
		mode fs.FileMode
	}{
		{"usr/bin/carekiosk", 0o755},
		{"usr/lib/carekiosk/carekiosk-shell", 0o755},
		{"lib/systemd/system/carekiosk.service", 0o644},
		{"lib/udev/rules.d/60-carekiosk.rules", 0o644},
		{"usr/lib/tmpfiles.d/carekiosk.conf", 0o644},
		{"usr/lib/sysusers.d/carekiosk.conf", 0o644},
		{"usr/lib/modules-load.d/carekiosk.conf", 0o644},
		{"usr/share/doc/carekiosk/install.md", 0o644},
		{"etc/carekiosk/kiosk.toml", 0o644},
	} {
		t.Run(tc.path, func(t *testing.T) {
			fi, err := os.Stat(filepath.Join(dest, tc.path))
			if err != nil {
				t.Fatalf("not installed: %v", err)
			}
			if got := fi.Mode().Perm(); got != tc.mode {
				t.Errorf("mode = %v, want %v", got, tc.mode)
			}
		})
	}

	unit := read(t, filepath.Join(dest, "lib/systemd/system/carekiosk.service"))
	if !strings.Contains(unit, "ExecStart=/usr/bin/cage -d -- /usr/bin/carekiosk run -config /etc/carekiosk/kiosk.toml") {
		t.Errorf("installed unit does not start cage with the installed binary and config:\n%s", grep(unit, "ExecStart="))
	}

	// The installed default config is valid, by the installed binary's own check.
	out, err := exec.Command(filepath.Join(dest, "usr/bin/carekiosk"), "check-config", filepath.Join(dest, "etc/carekiosk/kiosk.toml")).CombinedOutput()
	if err != nil {
		t.Errorf("check-config of the installed kiosk.toml: %v\n%s", err, out)
	}
}

func TestInstallKeepsConfig(t *testing.T) {
	install(t) // make is there, and the build is done
	dest := t.TempDir()
	makeInstall(t, dest)
	cfg := filepath.Join(dest, "etc/carekiosk/kiosk.toml")
	const mine = "# the provider's own file\n"
	if err := os.WriteFile(cfg, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	makeInstall(t, dest)
	if got := read(t, cfg); got != mine {
		t.Errorf("a second make install overwrote kiosk.toml: got %q, want %q", got, mine)
	}
}

// verifiable writes a copy of the installed unit whose commands point into DESTDIR (the binary)
// or at a stand-in (cage, when it is not installed here), because systemd-analyze verify checks
// that every command exists and --root would move /bin/sh and every other unit too.
func verifiable(t *testing.T, dest string) string {
	t.Helper()
	cage := "/usr/bin/cage"
	if _, err := os.Stat(cage); err != nil {
		t.Logf("cage is not installed (apt-get install cage): verifying against a stand-in for %s", cage)
		cage = filepath.Join(t.TempDir(), "cage")
		if err := os.WriteFile(cage, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	unit := read(t, filepath.Join(dest, "lib/systemd/system/carekiosk.service"))
	unit = strings.ReplaceAll(unit, "/usr/bin/carekiosk", filepath.Join(dest, "usr/bin/carekiosk"))
	unit = strings.ReplaceAll(unit, "/usr/bin/cage", cage)
	path := filepath.Join(t.TempDir(), "carekiosk.service")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func needAnalyze(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed (apt-get install systemd)")
	}
}

// analyze runs systemd-analyze. From systemd 257 (Debian 13) it needs to write /run/systemd even
// for a unit file, which only root may: the test is skipped for another user there (the boot
// test scores the installed unit as root on both bases).
func analyze(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	out, err := exec.Command("systemd-analyze", args...).CombinedOutput()
	if err != nil && os.Geteuid() != 0 && bytes.Contains(out, []byte("Failed to create directory '/run/systemd/'")) {
		t.Skipf("systemd-analyze %s needs root here: %s", args[0], bytes.TrimSpace(out))
	}
	return out, err
}

func TestUnitVerifies(t *testing.T) {
	needAnalyze(t)
	unit := verifiable(t, install(t))
	out, err := analyze(t, "verify", unit)
	// verify exits 0 on a misspelt key: it only says "Unknown key". Any line it prints is a finding.
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify carekiosk.service: %v\n%s", err, out)
	}
}

func TestUnitExposure(t *testing.T) {
	needAnalyze(t)
	unit := verifiable(t, install(t))
	out, err := analyze(t, "security", "--offline=yes", "--no-pager", unit)
	if err != nil {
		t.Fatalf("systemd-analyze security --offline=yes: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for carekiosk\.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	score, _ := strconv.ParseFloat(string(m[1]), 64)
	t.Logf("systemd-analyze security: exposure %.1f; still open:\n%s", score, grep(string(out), "✗"))
	if score > maxExposure {
		t.Errorf("exposure = %.1f, want at most %.1f", score, maxExposure)
	}
}

func TestSysusers(t *testing.T) {
	if _, err := exec.LookPath("systemd-sysusers"); err != nil {
		t.Skip("systemd-sysusers is not installed (apt-get install systemd)")
	}
	abs, err := filepath.Abs("carekiosk.sysusers")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("systemd-sysusers", "--dry-run", abs).CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("ignoring")) {
		t.Errorf("systemd-sysusers --dry-run carekiosk.sysusers: %v\n%s", err, out)
	}
}

// TestUdevRules checks what every rule that names the reader must also do: a technician copies
// one line to adapt it, so each line must be complete on its own.
func TestUdevRules(t *testing.T) {
	want := []string{`SUBSYSTEM=="tty"`, `ENV{ID_VENDOR_ID}==`, `ENV{ID_MODEL_ID}==`,
		`SYMLINK+="carekiosk-reader"`, `GROUP="dialout"`, `MODE="0660"`, `TAG+="systemd"`}
	rules := 0
	for i, line := range strings.Split(read(t, "60-carekiosk.rules"), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rules++
		for _, w := range want {
			if !strings.Contains(line, w) {
				t.Errorf("60-carekiosk.rules:%d: no %s", i+1, w)
			}
		}
	}
	if rules == 0 {
		t.Error("60-carekiosk.rules has no rule")
	}
}

// TestKeyboardReaderAccess: a keyboard-wedge reader is an input event device, which the unit's
// device policy and the kiosk user's groups must let the supervisor open; and the commented
// example rule for one in 60-carekiosk.rules is complete when a technician uncomments it.
func TestKeyboardReaderAccess(t *testing.T) {
	unit := read(t, "carekiosk.service")
	for _, want := range []string{"\nDevicePolicy=closed\n", "\nDeviceAllow=char-input rw\n"} {
		if !strings.Contains(unit, want) {
			t.Errorf("carekiosk.service: no %q: the supervisor cannot open a keyboard reader's /dev/input/event*", strings.TrimSpace(want))
		}
	}
	if !regexp.MustCompile(`(?m)^m carekiosk input$`).MatchString(read(t, "carekiosk.sysusers")) {
		t.Error("carekiosk.sysusers: carekiosk is not in group input, which owns /dev/input/event*")
	}
	want := []string{`SUBSYSTEM=="input"`, `KERNEL=="event*"`, `ATTRS{idVendor}==`, `ATTRS{idProduct}==`, `ENV{LIBINPUT_IGNORE_DEVICE}="1"`}
	found := false
	for _, line := range strings.Split(read(t, "60-carekiosk.rules"), "\n") {
		if !strings.HasPrefix(line, `#SUBSYSTEM=="input"`) {
			continue
		}
		found = true
		for _, w := range want {
			if !strings.Contains(line, w) {
				t.Errorf("60-carekiosk.rules: the keyboard reader's example has no %s", w)
			}
		}
	}
	if !found {
		t.Error("60-carekiosk.rules: no example rule for a keyboard reader")
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// grep returns the lines of s that contain sub.
func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, strings.TrimRight(l, " "))
		}
	}
	return strings.Join(out, "\n")
}
