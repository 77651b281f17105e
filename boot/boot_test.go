// Package boot is the boot test: the kiosk's Debian package installed with apt in a Debian root
// that boots with systemd as init (systemd-nspawn), and the unit driven as a site technician
// would — start, status, a card, reload, restart, stop, the watchdog, crashes, the doctor, a
// screenshot, the sandbox's score. `make test-boot` builds both packages and runs it for
// Debian 12 and Debian 13; it needs root (nspawn), so plain `go test` skips it.
//
// Where a container is not a kiosk, the test's drop-in says so: cage runs headless (no GPU, no
// input devices, no VT), a pseudo-terminal stands in for tty1 and another for the card reader.
package boot

import (
	"cmp"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/notify"
	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/shellproc"
)

// dropIn is the test's drop-in for the unit: what a container lacks. The watchdog is shortened
// so that its test takes seconds, not the unit's 30.
const dropIn = `[Unit]
# A container has no virtual console: /dev/tty1 is a pseudo-terminal.
ConditionPathExists=

[Service]
# No GPU, no input devices, no seat: cage draws into memory.
Environment=WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1
WatchdogSec=6s
`

// maxExposure is the highest `systemd-analyze security` score the installed unit may have (the
// same bar as systemd/units_test.go sets for the unit file).
const maxExposure = 3.5

// doctorInContainer lists the doctor's checks a container cannot pass, and why.
var doctorInContainer = map[string]string{
	"clock": "a container keeps its host's clock, and systemd-timesyncd does not run in one (ConditionVirtualization=!container)",
}

func TestBoot(t *testing.T) {
	root, deb := os.Getenv("CAREKIOSK_BOOT_ROOT"), os.Getenv("CAREKIOSK_BOOT_DEB")
	if root == "" || deb == "" {
		if os.Getenv("CAREKIOSK_REQUIRE_BOOT") != "" {
			t.Fatal("CAREKIOSK_BOOT_ROOT and CAREKIOSK_BOOT_DEB are not set: run `make test-boot`")
		}
		t.Skip("the boot test runs from `make test-boot` (a root made by scripts/root, a package, root privileges)")
	}
	if os.Geteuid() != 0 {
		t.Fatal("the boot test needs root (systemd-nspawn)")
	}
	deb, _ = filepath.Abs(deb)
	out, _ := filepath.Abs(cmp.Or(os.Getenv("CAREKIOSK_BOOT_OUT"), t.TempDir()))
	// The screenshot's judge: cage 0.1.4 (Debian 12) hands grim a stale frame on this headless
	// stack (docs/platforms.md), so there the screenshot is kept, not judged.
	judgeShot := os.Getenv("CAREKIOSK_BOOT_DRAWS") != ""

	portal := startPortal(t)
	m := boot(t, root, deb, out)
	started := time.Now()
	m.must("apt-get", "install", "-y", "-q", "--no-install-recommends", "/srv/carekiosk.deb")
	t.Logf("installed %s with apt in %v", filepath.Base(deb), time.Since(started).Round(time.Millisecond))
	if st := m.show("carekiosk", "UnitFileState", "ActiveState"); st["ActiveState"] != "inactive" {
		t.Errorf("after install the kiosk is %v, want installed but not started (the provider configures it first)", st)
	}
	m.write("/etc/systemd/system/carekiosk.service.d/boot-test.conf", dropIn)
	m.write("/etc/carekiosk/portal.pem", portal.pem)
	good := portal.config("2m")
	m.write("/etc/carekiosk/kiosk.toml", good)
	m.must("carekiosk", "check-config", "/etc/carekiosk/kiosk.toml")
	m.must("systemctl", "daemon-reload")
	m.followJournal()

	// systemctl start returns once the supervisor has said READY=1 (Type=notify), i.e. the
	// welcome screen is on show.
	started = time.Now()
	m.must("systemctl", "enable", "--now", "carekiosk")
	t.Logf("systemctl enable --now: %v", time.Since(started).Round(time.Millisecond))

	t.Run("active and ready, STATUS= as carekiosk status says", func(t *testing.T) {
		m.t = t
		u := m.show("carekiosk", "ActiveState", "SubState", "StatusText", "MainPID")
		s, err := m.status()
		if err != nil {
			t.Fatalf("carekiosk status: %v", err)
		}
		if u["ActiveState"] != "active" || u["SubState"] != "running" {
			t.Errorf("unit %v, want active (running)", u)
		}
		if want := notify.Line(s); u["StatusText"] != want {
			t.Errorf("STATUS=%q, but carekiosk status says %+v (%q)", u["StatusText"], s, want)
		}
		if s.State != session.Welcome || !s.Reader.Connected {
			t.Errorf("status %+v, want welcome with the reader connected", s)
		}
		if mem := m.show("carekiosk", "LimitCORE", "MemorySwapMax"); mem["LimitCORE"] != "0" || mem["MemorySwapMax"] != "0" {
			t.Errorf("the unit lets memory reach the disk: %v, want LimitCORE=0 and MemorySwapMax=0", mem)
		}
		// The browser on screen runs in a cgroup of its own, below the unit's delegated one.
		cg, _ := os.ReadFile(m.path(fmt.Sprintf("/proc/%d/cgroup", s.ShellPID)))
		if s.Containment != shellproc.Cgroup || !strings.Contains(string(cg), "/carekiosk.service/carekiosk-") {
			t.Errorf("containment %q, the browser's cgroups:\n%s\nwant a cgroup of its own in the unit's", s.Containment, cg)
		}
	})

	t.Run("a screenshot where the stack draws", func(t *testing.T) {
		m.t = t
		t.Setenv("WAYLAND_DISPLAY", m.path("/run/carekiosk/wayland-0"))
		d, err := display.FromEnv()
		if err != nil {
			t.Fatal(err)
		}
		shot := filepath.Join(out, "welcome.png")
		blank, err := display.Settled(d, shot, 10*time.Second)
		switch {
		case err != nil:
			t.Errorf("grim: %v", err)
		case blank && judgeShot:
			t.Errorf("the welcome screen is blank: %s", shot)
		case blank:
			t.Logf("the screenshot is blank, as cage 0.1.4 gives it here (not judged): %s", shot)
		default:
			t.Logf("the welcome screen: %s", shot)
		}
	})

	t.Run("a card starts a session; end-session wipes it, audited in the journal", func(t *testing.T) {
		m.t = t
		mark := m.journal.mark()
		m.swipe("29990012345678")
		s := m.waitFor("the session", 30*time.Second, func(s session.Status) bool { return s.SessionID != "" })
		out := m.must("carekiosk", "end-session")
		if !strings.Contains(out, "session ended") {
			t.Errorf("carekiosk end-session: %q", out)
		}
		if a := m.audit(mark, 30*time.Second); a["reason"] != "technician" || a["wipe_verified"] != true {
			t.Errorf("audit %v, want technician, wipe verified", a)
		}
		if _, err := os.Stat(m.path("/run/carekiosk/sessions/" + s.SessionID)); !os.IsNotExist(err) {
			t.Errorf("the session's directory is still there: %v", err)
		}
		for _, l := range m.journal.since(0) {
			if strings.Contains(l, "29990012345678") {
				t.Errorf("the card number is in the journal: %q", l)
			}
		}
	})

	t.Run("reload: a good config applies and keeps the kiosk, a broken one is refused", func(t *testing.T) {
		m.t = t
		before := m.show("carekiosk", "MainPID")["MainPID"]
		sup := m.supervisor()
		mark := m.journal.mark()
		m.write("/etc/carekiosk/kiosk.toml", portal.config("3m"))
		if out, err := m.run("systemctl", "reload", "carekiosk"); err != nil {
			t.Errorf("systemctl reload of a good config: %v %s", err, out)
		}
		if _, ok := m.journal.await(mark, 10*time.Second, func(l string) bool { return strings.Contains(l, "config reloaded") }); !ok {
			t.Errorf("no \"config reloaded\" in the journal")
		}
		mark = m.journal.mark()
		m.write("/etc/carekiosk/kiosk.toml", good+"\n[help]\nprovider_nmae = \"x\"\n")
		if out, err := m.run("systemctl", "reload", "carekiosk"); err == nil {
			t.Errorf("systemctl reload of a broken config succeeded: %s", out)
		}
		if _, ok := m.journal.await(mark, 10*time.Second, func(l string) bool {
			return strings.Contains(l, "/etc/carekiosk/kiosk.toml:") && strings.Contains(l, "provider_nmae")
		}); !ok {
			t.Errorf("the refusal's FILE:LINE is not in the journal:\n%s", strings.Join(m.journal.since(mark), "\n"))
		}
		m.write("/etc/carekiosk/kiosk.toml", good)
		after := m.show("carekiosk", "MainPID", "ActiveState")
		if after["MainPID"] != before || after["ActiveState"] != "active" || m.supervisor() != sup {
			t.Errorf("after the reloads: %v, supervisor %s; want the same cage (%s) and supervisor (%s), active", after, m.supervisor(), before, sup)
		}
		if _, err := m.status(); err != nil {
			t.Errorf("the kiosk no longer answers: %v", err)
		}
	})

	for _, verb := range []string{"restart", "stop"} {
		t.Run(verb+" during a session: audited shutdown, wiped", func(t *testing.T) {
			m.t = t
			m.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "welcome" })
			old := m.processes()
			mark := m.journal.mark()
			m.swipe("29990012345678")
			s := m.waitFor("the session", 30*time.Second, func(s session.Status) bool { return s.SessionID != "" })
			began := time.Now()
			m.must("systemctl", verb, "carekiosk")
			t.Logf("systemctl %s: %v", verb, time.Since(began).Round(time.Millisecond))
			if a := m.audit(mark, 30*time.Second); a["reason"] != "shutdown" || a["wipe_verified"] != true {
				t.Errorf("audit %v, want shutdown, wipe verified", a)
			}
			if _, err := os.Stat(m.path("/run/carekiosk/sessions/" + s.SessionID)); !os.IsNotExist(err) {
				t.Errorf("the session's directory is still there: %v", err)
			}
			for p := range m.processes() {
				if old[p] {
					t.Errorf("process %s of the old run is still there", p)
				}
			}
			if verb == "stop" {
				// cage 0.1.4 aborts on SIGTERM: a stop must end it without one.
				if u := m.show("carekiosk", "Result", "ExecMainStatus", "ActiveState"); u["Result"] != "success" || u["ActiveState"] != "inactive" {
					t.Errorf("after stop: %v, want inactive, result success", u)
				}
				m.must("systemctl", "start", "carekiosk")
			}
		})
	}

	t.Run("the watchdog restarts a stopped supervisor, in a few lines", func(t *testing.T) {
		m.t = t
		before := m.show("carekiosk", "NRestarts", "MainPID")
		mark := m.journal.mark()
		sup := m.supervisor()
		stopped := time.Now()
		m.must("kill", "-STOP", sup)
		m.waitUnit("a restart", 60*time.Second, func(u map[string]string) bool {
			return u["NRestarts"] != before["NRestarts"] && u["ActiveState"] == "active"
		}, "NRestarts", "ActiveState")
		t.Logf("watchdog restart after %v", time.Since(stopped).Round(100*time.Millisecond))
		m.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool { return s.State == session.Welcome })
		lines := m.journal.since(mark)
		if n := lineCount(lines, "goroutine "); n > 0 {
			t.Errorf("the watchdog's stop put %d goroutine traces in the journal:\n%s", n, strings.Join(lines, "\n"))
		}
		t.Logf("%d journal lines from the watchdog stop to the restart", len(lines))
	})

	for _, victim := range []string{"supervisor", "cage"} {
		t.Run("kill -9 of the "+victim+": restarted, nothing left", func(t *testing.T) {
			m.t = t
			m.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool { return s.State == session.Welcome })
			m.swipe("29990012345678")
			s := m.waitFor("the session", 30*time.Second, func(s session.Status) bool { return s.SessionID != "" })
			before := m.show("carekiosk", "NRestarts", "MainPID")
			old := m.processes()
			pid := before["MainPID"]
			if victim == "supervisor" {
				pid = m.supervisor()
			}
			m.must("kill", "-KILL", pid)
			m.waitUnit("a restart", 60*time.Second, func(u map[string]string) bool {
				return u["NRestarts"] != before["NRestarts"] && u["ActiveState"] == "active"
			}, "NRestarts", "ActiveState")
			for p := range m.processes() {
				if old[p] {
					t.Errorf("process %s of the killed run is still there", p)
				}
			}
			if _, err := os.Stat(m.path("/run/carekiosk/sessions/" + s.SessionID)); !os.IsNotExist(err) {
				t.Errorf("the session's directory is still there: %v", err)
			}
		})
	}

	t.Run("carekiosk doctor", func(t *testing.T) {
		m.t = t
		out, err := m.run("carekiosk", "doctor")
		t.Logf("carekiosk doctor (%v):\n%s", err, out)
		for _, l := range strings.Split(out, "\n") {
			f := strings.Fields(l)
			if len(f) < 2 || f[0] != "FAIL" {
				continue
			}
			check := strings.TrimSuffix(f[1], ":")
			if why, ok := doctorInContainer[check]; ok {
				t.Logf("%s fails in a container: %s", check, why)
				continue
			}
			t.Errorf("doctor: %s", l)
		}
	})

	t.Run("an upgrade restarts a running kiosk and keeps its config", func(t *testing.T) {
		m.t = t
		m.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "welcome" })
		before := m.show("carekiosk", "MainPID")["MainPID"]
		mark := m.journal.mark()
		m.swipe("29990012345678")
		m.waitFor("the session", 30*time.Second, func(s session.Status) bool { return s.SessionID != "" })
		// The same package again: dpkg runs the upgrade's scripts (postinst configure with the
		// old version), as a newer one would.
		m.must("apt-get", "install", "-y", "-q", "--reinstall", "/srv/carekiosk.deb")
		if a := m.audit(mark, 30*time.Second); a["reason"] != "shutdown" || a["wipe_verified"] != true {
			t.Errorf("audit %v, want shutdown, wipe verified", a)
		}
		after := m.show("carekiosk", "MainPID", "ActiveState")
		if after["MainPID"] == before || after["ActiveState"] != "active" {
			t.Errorf("after the upgrade: %v (main PID before %s), want restarted and active", after, before)
		}
		if got := readFile(m.path("/etc/carekiosk/kiosk.toml")); got != good {
			t.Errorf("the upgrade changed kiosk.toml:\n%s", got)
		}
	})

	t.Run("systemd-analyze security", func(t *testing.T) {
		m.t = t
		out, _ := m.run("systemd-analyze", "security", "--no-pager", "carekiosk.service")
		match := regexp.MustCompile(`Overall exposure level for carekiosk.service: ([0-9.]+)`).FindStringSubmatch(out)
		if match == nil {
			t.Fatalf("no exposure score in:\n%s", out)
		}
		score, _ := strconv.ParseFloat(match[1], 64)
		t.Logf("exposure of the installed unit: %s", strings.TrimSpace(match[0]))
		if score > maxExposure {
			t.Errorf("exposure %.1f, want at most %.1f", score, maxExposure)
		}
	})

	t.Run("removing the package stops the kiosk, its session wiped; purging forgets the unit", func(t *testing.T) {
		m.t = t
		m.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool { return s.State == session.Welcome && s.Screen == "welcome" })
		mark := m.journal.mark()
		m.swipe("29990012345678")
		s := m.waitFor("the session", 30*time.Second, func(s session.Status) bool { return s.SessionID != "" })
		m.must("apt-get", "remove", "-y", "-q", "carekiosk")
		if a := m.audit(mark, 30*time.Second); a["reason"] != "shutdown" || a["wipe_verified"] != true {
			t.Errorf("audit %v, want shutdown, wipe verified", a)
		}
		if ps := m.processes(); len(ps) > 0 {
			t.Errorf("processes of the kiosk user after removal: %v", ps)
		}
		if _, err := os.Stat(m.path("/run/carekiosk/sessions/" + s.SessionID)); !os.IsNotExist(err) {
			t.Errorf("the session's directory is still there: %v", err)
		}
		m.must("apt-get", "purge", "-y", "-q", "carekiosk")
		for _, p := range []string{"/etc/carekiosk", "/var/lib/carekiosk"} {
			if _, err := os.Stat(m.path(p)); !os.IsNotExist(err) {
				t.Errorf("%s is still there after purge: %v", p, err)
			}
		}
	})
}

// portal is the record provider of the boot test: a real HTTPS server on this machine, which
// the container reaches on 127.0.0.1 (it shares the network).
type portal struct {
	srv *httptest.Server
	pem string
}

func startPortal(t *testing.T) *portal {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Records</title><h1>Your records</h1>`)
	}))
	t.Cleanup(srv.Close)
	cert, err := x509.ParseCertificate(srv.TLS.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	return &portal{srv: srv, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))}
}

// config is the kiosk's config for this portal, with the given idle timeout.
func (p *portal) config(idle string) string {
	return fmt.Sprintf(`start_url = "%s/start"
allowed_hosts = ["127.0.0.1"]
trusted_certificates = ["/etc/carekiosk/portal.pem"]

[session]
idle_timeout = %q
logout_url = "%s/logout"

[reader]
protocol = "line"
`, p.srv.URL, idle, p.srv.URL)
}
