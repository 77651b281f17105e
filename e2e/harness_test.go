// Package e2e drives the real kiosk as a patient would: the carekiosk binary, real WebKitGTK on
// either display stack — headless cage on Wayland, the product's, or an X server (Xvfb) — card
// bytes into a pseudo-terminal, real key presses and touches (internal/display), a local HTTPS
// record portal, and status read from the control socket.
package e2e

import (
	"bufio"
	"cmp"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/carekiosk/carekiosk/control"
	"github.com/carekiosk/carekiosk/demo"
	"github.com/carekiosk/carekiosk/internal/display"
	"github.com/carekiosk/carekiosk/internal/syncbuf"
	"github.com/carekiosk/carekiosk/internal/tmpfs"
	"github.com/carekiosk/carekiosk/session"
)

// binary is the carekiosk built for this test run.
var binary string

// ambient is the display the tests run on (scripts/with-display makes one), nil if there is none.
var ambient display.Display

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "carekiosk-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "carekiosk")
	if out, err := exec.Command("go", "build", "-o", dir, "../cmd/carekiosk", "../cmd/carekiosk-shell").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building carekiosk: %v\n%s", err, out)
		os.Exit(1)
	}
	ambient, _ = display.FromEnv()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needDisplay skips a test that needs a display when there is none — unless
// CAREKIOSK_REQUIRE_DISPLAY is set (make test and CI set it), where that is a failure.
func needDisplay(t *testing.T) {
	t.Helper()
	if ambient != nil {
		return
	}
	if os.Getenv("CAREKIOSK_REQUIRE_DISPLAY") != "" {
		t.Fatal("no display: run the tests with `make test`, which starts Xvfb and cage")
	}
	t.Skip("needs a display (WAYLAND_DISPLAY or DISPLAY); `make test` runs these under Xvfb and cage")
}

// kiosk is one carekiosk run under test with its portal, card reader and directories.
type kiosk struct {
	t       *testing.T
	dir     string
	config  string
	home    string // the kiosk's own HOME
	portal  *portal
	reader  *os.File // the pty master: what a card reader would send goes here
	device  string   // the reader's device in the config: a link to the pty's slave
	cmd     *exec.Cmd
	logs    *syncbuf.Buffer // stderr
	audit   chan string     // stdout lines
	exited  chan struct{}   // closed when the kiosk process exits
	secrets []string        // strings that must never appear in logs or audit
	env     []string        // settings.env
}

// settings are the config file's [session] table for a test.
type settings struct {
	idle, idleWarning, max, maxWarning string
	start                              string   // start_url's path; "" is /start
	top                                string   // more top-level keys, such as "printing = true"
	env                                []string // more environment for the kiosk, such as its own display
	keyboard                           string   // [keyboard] on_screen; "" is "never"
	demo                               bool     // the embedded demo portal as the provider, not the test portal
}

var quick = settings{idle: "12s", idleWarning: "5s", max: "10m", maxWarning: "1m"}

// startKiosk writes a config for a fresh portal and pty reader and starts carekiosk run.
func startKiosk(t *testing.T, s settings) *kiosk {
	t.Helper()
	needDisplay(t)
	k := &kiosk{t: t, dir: tmpfsDir(t), logs: &syncbuf.Buffer{}, audit: make(chan string, 16), exited: make(chan struct{}), env: s.env}
	k.home = filepath.Join(k.dir, "home")
	if err := os.Mkdir(k.home, 0o700); err != nil {
		t.Fatal(err)
	}
	k.portal = startPortal(t)
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.portal.srv.Certificate().Raw})
	start, logout := k.portal.url(cmp.Or(s.start, "/start")), k.portal.url("/logout")
	if s.demo {
		p, err := demo.Start("127.0.0.1:0", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		cert, start, logout = p.CertificatePEM(), p.URL(), p.LogoutURL()
	}
	writeFile(t, filepath.Join(k.dir, "portal.pem"), cert)

	k.device = filepath.Join(k.dir, "reader")
	k.plug()

	k.config = filepath.Join(k.dir, "kiosk.toml")
	writeFile(t, k.config, []byte(fmt.Sprintf(`
start_url = %q
allowed_hosts = ["127.0.0.1"]
trusted_certificates = ["portal.pem"]
session_dir = %q
control_socket = %q
state_dir = %q
%s
[session]
idle_timeout = %q
idle_warning = %q
max_duration = %q
max_warning = %q
privacy_timeout = "30s"
logout_url = %q
logout_wait = "3s"

[reader]
device = %q
protocol = "line"

[keyboard]
on_screen = %q
`, start, filepath.Join(k.dir, "sessions"), filepath.Join(k.dir, "control.sock"),
		filepath.Join(k.dir, "state"), s.top, s.idle, s.idleWarning, s.max, s.maxWarning, logout, k.device, cmp.Or(s.keyboard, "never"))))
	k.launch()
	t.Cleanup(k.stop)
	return k
}

// tmpfsDir makes a directory for a kiosk's files on a tmpfs (package tmpfs says why), removed
// after the test.
func tmpfsDir(t *testing.T) string {
	t.Helper()
	dir, err := tmpfs.Dir("carekiosk-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// beginSession takes the kiosk from its welcome screen into a session with card, as a patient
// would: the card, then Return on the privacy check's "I'm ready". It returns the status at
// the privacy check (its session id).
func (k *kiosk) beginSession(card string) session.Status {
	k.t.Helper()
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	k.swipe(card)
	s := k.waitScreen(session.Privacy, "privacy", 30*time.Second)
	k.key("Return")
	return s
}

// plug connects a card reader: a fresh pty whose slave the config's device links to.
func (k *kiosk) plug() {
	master, slave, err := pty.Open()
	if err != nil {
		k.t.Fatal(err)
	}
	k.t.Cleanup(func() { master.Close(); slave.Close() })
	os.Remove(k.device)
	if err := os.Symlink(slave.Name(), k.device); err != nil {
		k.t.Fatal(err)
	}
	k.reader = master
}

// unplug pulls the reader out: its pty goes away.
func (k *kiosk) unplug() {
	k.reader.Close()
	os.Remove(k.device)
}

// launch starts carekiosk run on the kiosk's config.
func (k *kiosk) launch() {
	t := k.t
	k.exited = make(chan struct{})
	k.cmd = exec.Command(binary, "run", "-config", k.config)
	k.cmd.Env = append(append(os.Environ(), "HOME="+k.home), k.env...)
	k.cmd.Stderr = k.logs
	stdout, err := k.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := k.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			k.audit <- sc.Text()
		}
	}()
	exited := k.exited
	go func() { k.cmd.Wait(); close(exited) }()
}

// stop ends the kiosk as systemd would (SIGTERM) and checks that it wiped on the way out.
func (k *kiosk) stop() {
	if k.cmd.ProcessState == nil {
		k.cmd.Process.Signal(os.Interrupt)
		select {
		case <-k.exited:
		case <-time.After(15 * time.Second):
			k.cmd.Process.Kill()
			<-k.exited
		}
	}
	k.checkNoSecrets()
	if k.t.Failed() {
		k.t.Logf("kiosk log:\n%s", k.logs.String())
	}
}

// checkNoSecrets fails the test if a card number or canary reached the kiosk's log.
func (k *kiosk) checkNoSecrets() {
	for _, s := range k.secrets {
		if strings.Contains(k.logs.String(), s) {
			k.t.Errorf("the kiosk's log contains %q", s)
		}
	}
}

// swipe sends a card number as a line reader would.
func (k *kiosk) swipe(number string) {
	k.secrets = append(k.secrets, number)
	if _, err := io.WriteString(k.reader, number+"\r\n"); err != nil {
		k.t.Fatal(err)
	}
}

// status asks the running kiosk through its control socket.
func (k *kiosk) status() (session.Status, error) {
	r, err := control.Call(filepath.Join(k.dir, "control.sock"), control.Request{Cmd: "status"})
	if err != nil {
		return session.Status{}, err
	}
	var s session.Status
	return s, json.Unmarshal(r.Status, &s)
}

// waitFor polls status until ok holds (the kiosk has no event stream to await), failing after
// within. It returns the status that satisfied ok.
func (k *kiosk) waitFor(what string, within time.Duration, ok func(session.Status) bool) session.Status {
	k.t.Helper()
	deadline := time.Now().Add(within)
	var last session.Status
	var err error
	for time.Now().Before(deadline) {
		select {
		case <-k.exited:
			k.t.Fatalf("waiting for %s: the kiosk exited", what)
		default:
		}
		if last, err = k.status(); err == nil && ok(last) {
			return last
		}
		time.Sleep(50 * time.Millisecond)
	}
	k.t.Fatalf("waiting for %s: not within %v; last status %+v (err %v)", what, within, last, err)
	return last
}

// waitScreen waits until the kiosk is in state with screen painted.
func (k *kiosk) waitScreen(state session.State, screen string, within time.Duration) session.Status {
	k.t.Helper()
	return k.waitFor(fmt.Sprintf("%s with the %s screen", state, screen), within, func(s session.Status) bool {
		return s.State == state && s.Screen == screen
	})
}

// nextAudit returns the next audit line.
func (k *kiosk) nextAudit(within time.Duration) map[string]any {
	k.t.Helper()
	select {
	case line := <-k.audit:
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			k.t.Fatalf("audit line %q: %v", line, err)
		}
		return m
	case <-time.After(within):
		k.t.Fatalf("no audit line within %v", within)
	}
	return nil
}

// key presses keys for real in the kiosk's window, as a patient's keyboard would.
func (k *kiosk) key(keys ...string) {
	k.t.Helper()
	if err := ambient.Key(k.shellPID(), keys...); err != nil {
		k.t.Fatal(err)
	}
}

// typeText types text for real into the focused field.
func (k *kiosk) typeText(text string) {
	k.t.Helper()
	if err := ambient.Type(k.shellPID(), text); err != nil {
		k.t.Fatal(err)
	}
}

// touch touches the screen for real at x, y.
func (k *kiosk) touch(x, y int) {
	k.t.Helper()
	if err := ambient.Click(k.shellPID(), x, y); err != nil {
		k.t.Fatal(err)
	}
}

// shellPID is the process of the browser the patient sees.
func (k *kiosk) shellPID() int {
	k.t.Helper()
	s, err := k.status()
	if err != nil {
		k.t.Fatal(err)
	}
	return s.ShellPID
}

// shotPath is where a screenshot called name is kept: CAREKIOSK_SHOTS, else a temporary
// directory.
func shotPath(t *testing.T, name string) string {
	dir := os.Getenv("CAREKIOSK_SHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	os.MkdirAll(dir, 0o755)
	return filepath.Join(dir, name+".png")
}

// screenshot saves what the patient sees on d, once it has settled, as name.png in the test
// output directory (CAREKIOSK_SHOTS, else a temporary one) and fails the test if the screen is
// blank: every screen the kiosk shows has something on it.
func screenshot(t *testing.T, d display.Display, name string) {
	t.Helper()
	path := shotPath(t, name)
	if blank, err := display.Settled(d, path, 5*time.Second); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	} else if blank {
		t.Errorf("screenshot %s: the screen is blank (%s, %s)", name, path, d.Stack())
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
