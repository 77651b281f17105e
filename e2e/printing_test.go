package e2e

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/kiosktest"
	"github.com/carekiosk/carekiosk/session"
)

// cups is a real cupsd of the test's own: its config, spool and socket in a temporary
// directory and, with a printer, one queue "kiosk" that is the default and is stopped, so that
// jobs wait in the spool where the test can see them.
type cups struct {
	sock  string
	spool string
	stop  func() // stops cupsd now (it is stopped at the end of the test anyway)
}

// startCUPS starts the test's cupsd and points every CUPS client of the test, the kiosk and its
// shells at it (CUPS_SERVER). It needs root (cupsd refuses to run as anyone else).
func startCUPS(t *testing.T, printer bool) *cups {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("printing: needs root to start a cupsd of its own (make test runs as root in CI)")
	}
	for _, b := range []string{"cupsd", "lpadmin", "lpstat", "cupsdisable"} {
		if _, err := exec.LookPath(b); err != nil {
			t.Fatalf("%s is not installed: run the tests with `make test` (scripts/deps installs CUPS)", b)
		}
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	c := &cups{sock: filepath.Join(dir, "cups.sock"), spool: filepath.Join(dir, "spool")}
	for _, d := range []string{"spool", "tmp", "cache", "state", "log"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(filepath.Join(dir, "tmp"), 0o1777)
	writeFile(t, filepath.Join(dir, "cups-files.conf"), []byte(fmt.Sprintf(`ServerRoot %[1]s
RequestRoot %[1]s/spool
TempDir %[1]s/tmp
CacheDir %[1]s/cache
StateDir %[1]s/state
ErrorLog %[1]s/log/error_log
AccessLog %[1]s/log/access_log
PageLog %[1]s/log/page_log
FileDevice Yes
SystemGroup root
`, dir)))
	// Debian's own policy for jobs (owners may cancel their jobs, nothing more); the queue's
	// administration is open to the test.
	writeFile(t, filepath.Join(dir, "cupsd.conf"), []byte(fmt.Sprintf(`Listen %s
LogLevel info
Browsing No
WebInterface No
DefaultAuthType Basic
<Location />
  Order allow,deny
  Allow localhost
</Location>
<Policy default>
  JobPrivateAccess default
  JobPrivateValues default
  <Limit Create-Job Print-Job Print-URI Validate-Job>
    Order deny,allow
  </Limit>
  <Limit Send-Document Send-URI Hold-Job Release-Job Restart-Job Purge-Jobs Set-Job-Attributes Create-Job-Subscription Renew-Subscription Cancel-Subscription Get-Notifications Reprocess-Job Cancel-Current-Job Suspend-Current-Job Resume-Job Cancel-My-Jobs Close-Job CUPS-Move-Job>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit Cancel-Job CUPS-Authenticate-Job>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
`, c.sock)))
	cmd := exec.Command("cupsd", "-f", "-c", filepath.Join(dir, "cupsd.conf"), "-s", filepath.Join(dir, "cups-files.conf"))
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Skipf("printing: cupsd cannot start here: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	c.stop = func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	t.Cleanup(func() {
		c.stop()
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "log", "error_log"))
			t.Logf("cupsd log:\n%s", b)
		}
	})
	t.Setenv("CUPS_SERVER", c.sock)
	t.Setenv("LANG", "C")
	waitUntil(t, 15*time.Second, "cupsd to listen", func() bool {
		select {
		case <-exited:
			b, _ := os.ReadFile(filepath.Join(dir, "log", "error_log"))
			t.Fatalf("cupsd exited: %s\n%s", out, b)
		default:
		}
		o, _ := exec.Command("lpstat", "-r").Output()
		return strings.Contains(string(o), "is running")
	})
	if !printer {
		return c
	}
	c.run(t, "lpadmin", "-p", "kiosk", "-E", "-v", "file:/dev/null")
	c.run(t, "lpadmin", "-d", "kiosk")
	c.run(t, "cupsdisable", "kiosk") // stopped: jobs wait in the spool
	return c
}

func (c *cups) run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// jobs lists every job cupsd knows, of any user, in any state (finished ones included).
func (c *cups) jobs(t *testing.T) []string {
	t.Helper()
	var jobs []string
	for _, l := range strings.Split(c.run(t, "lpstat", "-W", "all", "-o"), "\n") {
		if strings.TrimSpace(l) != "" {
			jobs = append(jobs, l)
		}
	}
	return jobs
}

// spooled lists the job files in the spool: c* (job attributes) and d* (documents).
func (c *cups) spooled(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(c.spool)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "c") || strings.HasPrefix(n, "d") {
			files = append(files, n)
		}
	}
	return files
}

// printPage is a provider page that prints itself as soon as it loads, then says so.
func printPage(k *kiosk) chan struct{} {
	printed := make(chan struct{}, 1)
	k.portal.Mux.HandleFunc("/print", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Your prescription</title><h1>Repeat prescription</h1>
<p>Amoxicillin 500 mg</p><button onclick="window.print()">Print</button>
<script>setTimeout(()=>{window.print();fetch("/printed",{method:"POST"})},300)</script>`)
	})
	k.portal.Mux.HandleFunc("/printed", func(w http.ResponseWriter, r *http.Request) { kiosktest.Signal(printed) })
	return printed
}

// startPrinting opens a session on the page that prints.
func startPrinting(t *testing.T, k *kiosk) {
	t.Helper()
	k.beginSession("29990012345678")
}

// TestPrintingPurgedAtSessionEnd: with printing = true, a page's window.print() queues a job
// on the default printer without any dialog; ending the session cancels the job and removes
// its spooled document, and the wipe is verified.
func TestPrintingPurgedAtSessionEnd(t *testing.T) {
	needDisplay(t)
	c := startCUPS(t, true)
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/print", top: "printing = true"})
	printed := printPage(k)
	startPrinting(t, k)
	waitChan(t, printed, 30*time.Second, "the page to print")

	var jobs []string
	waitUntil(t, 30*time.Second, "the page's job in the queue", func() bool {
		jobs = c.jobs(t)
		return len(jobs) > 0
	})
	files := c.spooled(t)
	t.Logf("queued: %q; spool: %v", jobs, files)
	if !hasDocument(files) {
		t.Errorf("the job's document is not in the spool: %v", files)
	}
	if w, list := k.windows(); w != 1 {
		t.Errorf("%d windows a patient can see after printing, want 1 (no print dialog):\n%s", w, list)
	}
	screenshot(t, ambient, "printing-queued")

	out, err := runCLI("end-session", "-config", k.Config)
	if err != nil || !strings.Contains(out, "session ended") {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	a := k.nextAudit(30 * time.Second)
	if a["wipe_verified"] != true {
		t.Errorf("audit = %v, want the wipe verified", a)
	}
	k.waitFor("the welcome screen", 30*time.Second, func(s session.Status) bool {
		return s.State == session.Welcome && s.LastWipeVerified
	})
	if left := c.jobs(t); len(left) > 0 {
		t.Errorf("after the session, jobs are still in CUPS: %q", left)
	}
	if left := c.spooled(t); len(left) > 0 {
		t.Errorf("after the session, job files are still in the spool: %v", left)
	}
	t.Logf("after the session: no job, spool empty (wipe %v ms)", a["wipe_ms"])
}

// TestPrintJobsOfACrashedRunArePurgedAtStart: jobs of the kiosk's user left in CUPS (a
// supervisor killed mid-session, a power cut) are purged before the first welcome screen.
func TestPrintJobsOfACrashedRunArePurgedAtStart(t *testing.T) {
	needDisplay(t)
	c := startCUPS(t, true)
	c.run(t, "lp", "-d", "kiosk", "/etc/hostname")
	if len(c.jobs(t)) == 0 {
		t.Fatal("the left-over job did not queue")
	}
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", top: "printing = true"})
	k.waitScreen(session.Welcome, "welcome", 45*time.Second)
	if left := c.jobs(t); len(left) > 0 {
		t.Errorf("at the welcome screen, the earlier run's jobs are still in CUPS: %q", left)
	}
	if left := c.spooled(t); len(left) > 0 {
		t.Errorf("at the welcome screen, job files are still in the spool: %v", left)
	}
}

// TestPrintingOffQueuesNothing: by default the same page's window.print() comes to nothing:
// no job, no dialog.
func TestPrintingOffQueuesNothing(t *testing.T) {
	needDisplay(t)
	c := startCUPS(t, true)
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/print"})
	printed := printPage(k)
	startPrinting(t, k)
	waitChan(t, printed, 30*time.Second, "the page to try to print")
	time.Sleep(2 * time.Second) // a job would be queued by now
	if jobs := c.jobs(t); len(jobs) > 0 {
		t.Errorf("printing is off, yet jobs were queued: %q", jobs)
	}
	if files := c.spooled(t); len(files) > 0 {
		t.Errorf("printing is off, yet the spool holds %v", files)
	}
	if w, list := k.windows(); w != 1 {
		t.Errorf("%d windows a patient can see, want 1 (no print dialog):\n%s", w, list)
	}
}

// TestPrintingWithoutPrinterTellsThePatient: printing on, but CUPS has no printer: the page's
// window.print() gets the patient a plain message, never a print dialog.
func TestPrintingWithoutPrinterTellsThePatient(t *testing.T) {
	needDisplay(t)
	c := startCUPS(t, false)
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/print", top: "printing = true"})
	printed := printPage(k)
	startPrinting(t, k)
	waitChan(t, printed, 30*time.Second, "the page to try to print")
	k.waitScreen(session.Active, "print", 30*time.Second)
	screenshot(t, ambient, "printing-no-printer")
	if w, list := k.windows(); w != 1 {
		t.Errorf("%d windows a patient can see, want 1 (no print dialog):\n%s", w, list)
	}
	if jobs := c.jobs(t); len(jobs) > 0 {
		t.Errorf("no printer, yet jobs were queued: %q", jobs)
	}
	k.key("Return") // "Back to my record" has the focus
	k.waitScreen(session.Active, "session", 30*time.Second)
}

// TestPrintPurgeUnverifiedIsAFailedWipe: with printing on, a session whose print jobs can't be
// shown gone (CUPS stopped answering) ends with the wipe not verified: out of service.
func TestPrintPurgeUnverifiedIsAFailedWipe(t *testing.T) {
	needDisplay(t)
	c := startCUPS(t, true)
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/print", top: "printing = true"})
	printed := printPage(k)
	startPrinting(t, k)
	waitChan(t, printed, 30*time.Second, "the page to print")
	waitUntil(t, 30*time.Second, "the page's job in the queue", func() bool { return len(c.jobs(t)) > 0 })
	c.stop() // the job's document stays in the spool, and nobody can say so

	if out, err := runCLI("end-session", "-config", k.Config); err != nil {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	if a := k.nextAudit(60 * time.Second); a["wipe_verified"] != false {
		t.Errorf("audit = %v, want the wipe not verified", a)
	}
	s := k.waitFor("out of service", 30*time.Second, func(s session.Status) bool { return s.State == session.OutOfService })
	if !strings.Contains(s.Problem, "print jobs") {
		t.Errorf("problem = %q, want it to be about the print jobs", s.Problem)
	}
}

func hasDocument(files []string) bool {
	for _, f := range files {
		if strings.HasPrefix(f, "d") {
			return true
		}
	}
	return false
}

// TestPrintLoopIsLimited: a page that calls window.print() in a loop gets three jobs a minute,
// not a stack of paper; the others are dropped and logged, and the patient is not told off.
func TestPrintLoopIsLimited(t *testing.T) {
	needDisplay(t)
	c := startCUPS(t, true)
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/loop", top: "printing = true"})
	printed := make(chan struct{}, 1)
	k.portal.Mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Letters</title><h1>Your letters</h1>
<script>setTimeout(()=>{for (let i = 0; i < 10; i++) window.print(); fetch("/printed",{method:"POST"})},300)</script>`)
	})
	k.portal.Mux.HandleFunc("/printed", func(w http.ResponseWriter, r *http.Request) { kiosktest.Signal(printed) })
	startPrinting(t, k)
	waitChan(t, printed, 30*time.Second, "the page's print loop")
	waitUntil(t, 30*time.Second, "the seven prints beyond the limit logged", func() bool {
		return strings.Count(k.logs.String(), "result=limited") == 7
	})
	var jobs []string
	waitUntil(t, 30*time.Second, "the three jobs in the queue", func() bool {
		jobs = c.jobs(t)
		return len(jobs) >= 3
	})
	if len(jobs) != 3 {
		t.Errorf("jobs queued: %q, want 3", jobs)
	}
	if s, _ := k.Status(); s.Screen != "session" {
		t.Errorf("the screen is %q, want the session's page with no prompt", s.Screen)
	}
}
