package boot

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/carekiosk/carekiosk/session"
)

// machine is one booted Debian system container: a root made by scripts/root, booted by
// systemd-nspawn with systemd as its init, its changes on a tmpfs overlay that goes with it.
// Commands run inside through nsenter; files are reached through /proc/LEADER/root.
type machine struct {
	t       *testing.T
	nspawn  *exec.Cmd
	exited  chan struct{}
	leader  int      // the container's init, as this machine's PID
	reader  *os.File // the pty master whose slave is the container's /dev/carekiosk-reader
	tty     *os.File // the pty master whose slave is the container's /dev/tty1 (no VT in a container)
	out     string   // where the console log and screenshots go
	journal *lines   // the unit's journal (stdout and stderr of every process of it), as it comes
}

// boot starts root under systemd-nspawn with the package file deb at /srv/carekiosk.deb, and
// waits for the boot to finish.
func boot(t *testing.T, root, deb, out string) *machine {
	t.Helper()
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	m := &machine{t: t, exited: make(chan struct{}), out: out}
	var ttyName, readerName string
	var err error
	if m.tty, ttyName, err = openPTY(); err != nil {
		t.Fatal(err)
	}
	if m.reader, readerName, err = openPTY(); err != nil {
		t.Fatal(err)
	}
	// What the package's udev rule does for a real reader: group dialout (gid 20 on Debian, the
	// container's as this machine's), mode 0660.
	if err := os.Chown(readerName, 0, 20); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(readerName, 0o660); err != nil {
		t.Fatal(err)
	}
	console, err := os.Create(filepath.Join(out, "console.log"))
	if err != nil {
		t.Fatal(err)
	}
	// --volatile=overlay: the root stays as made; what the boot changes lives on a tmpfs.
	// The container shares this machine's network: the test's portal listens on 127.0.0.1.
	m.nspawn = exec.Command("systemd-nspawn", "-q", "-b", "-D", root, "--volatile=overlay",
		"--register=no", "--keep-unit", "--console=pipe", fmt.Sprintf("--machine=carekiosk-boot-%d", os.Getpid()),
		"--bind-ro="+deb+":/srv/carekiosk.deb",
		"--bind="+ttyName+":/dev/tty1", "--bind="+readerName+":/dev/carekiosk-reader")
	m.nspawn.Stdout, m.nspawn.Stderr = console, console
	if err := m.nspawn.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { m.nspawn.Wait(); console.Close(); close(m.exited) }()
	t.Cleanup(m.halt)

	deadline := time.Now().Add(60 * time.Second)
	for m.leader == 0 {
		select {
		case <-m.exited:
			t.Fatalf("systemd-nspawn exited at once; console:\n%s", readFile(filepath.Join(out, "console.log")))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the container's init did not appear within 60 s")
		}
		m.leader = initOf(m.nspawn.Process.Pid)
		time.Sleep(50 * time.Millisecond) // /proc has no event to await
	}
	// Blocks until the boot has finished: "running", or "degraded" (units a container can't run);
	// systemd's bus comes a moment after init itself.
	for {
		state, _ := m.run("systemctl", "is-system-running", "--wait")
		if !strings.Contains(state, "Failed to connect") {
			t.Logf("booted %s: %s", root, strings.TrimSpace(state))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("systemd did not come up within 60 s: %s", state)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return m
}

// halt powers the container off (nspawn turns SIGTERM into a clean shutdown of the container),
// after putting what the unit said in the test's log if the test failed.
func (m *machine) halt() {
	if m.t.Failed() && m.leader != 0 {
		out, _ := m.run("journalctl", "-b", "--no-pager", "-u", "carekiosk.service", "-u", "seatd.service")
		keep := filepath.Join(m.out, "journal.log")
		_ = os.WriteFile(keep, []byte(out), 0o644)
		lines := strings.Split(out, "\n")
		m.t.Logf("the unit's journal (all of it in %s), its end:\n%s", keep, strings.Join(lines[max(len(lines)-150, 0):], "\n"))
	}
	if m.journal != nil {
		m.journal.stop()
	}
	m.nspawn.Process.Signal(os.Interrupt)
	select {
	case <-m.exited:
	case <-time.After(30 * time.Second):
		m.nspawn.Process.Kill()
		<-m.exited
	}
	m.tty.Close()
	m.reader.Close()
}

// openPTY opens a pseudo-terminal and returns its master and the slave's path. The slave is
// opened and closed again: only its node is bound into the container.
func openPTY() (*os.File, string, error) {
	master, slave, err := pty.Open()
	if err != nil {
		return nil, "", err
	}
	name := slave.Name()
	slave.Close()
	return master, name, nil
}

// initOf finds the container's init among nspawn's descendants: the process whose PID in its
// own namespace is 1.
func initOf(nspawn int) int {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		status := readFile(filepath.Join("/proc", e.Name(), "status"))
		ns := field(status, "NSpid:")
		if len(ns) < 2 || ns[len(ns)-1] != "1" {
			continue
		}
		for p := pid; p > 1; p = parentOf(p) {
			if p == nspawn {
				return pid
			}
		}
	}
	return 0
}

func parentOf(pid int) int {
	p, _ := strconv.Atoi(strings.Join(field(readFile(fmt.Sprintf("/proc/%d/status", pid)), "PPid:"), ""))
	return p
}

// field is the whitespace-separated values of the "name" line of a /proc status file.
func field(status, name string) []string {
	for _, l := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(l, name); ok {
			return strings.Fields(v)
		}
	}
	return nil
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// run runs a command inside the container, as root, and returns its combined output.
func (m *machine) run(args ...string) (string, error) {
	return m.runIn("", args...)
}

// runIn is run with input on the command's stdin.
func (m *machine) runIn(input string, args ...string) (string, error) {
	cmd := exec.Command("nsenter", append([]string{"-t", strconv.Itoa(m.leader), "-m", "-u", "-i", "-n", "-p", "--"}, args...)...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "SYSTEMD_PAGER=", "SYSTEMD_COLORS=0"}
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// must is run, failing the test when the command fails.
func (m *machine) must(args ...string) string {
	m.t.Helper()
	out, err := m.run(args...)
	if err != nil {
		m.t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// path is a file of the container, as this machine sees it.
func (m *machine) path(p string) string {
	return filepath.Join("/proc", strconv.Itoa(m.leader), "root", p)
}

// write writes a file into the container (root's, mode 0644).
func (m *machine) write(p, content string) {
	m.t.Helper()
	if err := os.MkdirAll(filepath.Dir(m.path(p)), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(m.path(p), []byte(content), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

// show is `systemctl show` of the unit: the named properties.
func (m *machine) show(unit string, props ...string) map[string]string {
	m.t.Helper()
	out := m.must(append([]string{"systemctl", "show", unit}, prefix("-p", props)...)...)
	v := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if k, val, ok := strings.Cut(l, "="); ok {
			v[k] = val
		}
	}
	return v
}

func prefix(flag string, vs []string) []string {
	var out []string
	for _, v := range vs {
		out = append(out, flag, v)
	}
	return out
}

// status is `carekiosk status -json` inside.
func (m *machine) status() (session.Status, error) {
	out, err := m.run("carekiosk", "status", "-json")
	if err != nil {
		return session.Status{}, fmt.Errorf("%v: %s", err, out)
	}
	var s session.Status
	return s, json.Unmarshal([]byte(out), &s)
}

// waitFor polls the kiosk's status (it has no event stream) until ok holds.
func (m *machine) waitFor(what string, within time.Duration, ok func(session.Status) bool) session.Status {
	m.t.Helper()
	var last session.Status
	var err error
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if last, err = m.status(); err == nil && ok(last) {
			return last
		}
	}
	m.t.Fatalf("waiting for %s: not within %v; last status %+v (err %v)", what, within, last, err)
	return last
}

// waitUnit polls systemctl show until ok holds for the unit's properties.
func (m *machine) waitUnit(what string, within time.Duration, ok func(map[string]string) bool, props ...string) map[string]string {
	m.t.Helper()
	var last map[string]string
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if last = m.show("carekiosk", props...); ok(last) {
			return last
		}
	}
	m.t.Fatalf("waiting for %s: not within %v; last %v", what, within, last)
	return last
}

// swipe sends a card as a line reader would.
func (m *machine) swipe(number string) {
	m.t.Helper()
	if _, err := m.reader.Write([]byte(number + "\r\n")); err != nil {
		m.t.Fatal(err)
	}
}

// followJournal starts reading the unit's journal as it is written.
func (m *machine) followJournal() {
	cmd := exec.Command("nsenter", "-t", strconv.Itoa(m.leader), "-m", "-u", "-i", "-n", "-p", "--",
		"journalctl", "-f", "-n", "all", "-o", "cat", "-u", "carekiosk.service")
	m.journal = follow(m.t, cmd)
}

// lines is the output of a command as it comes, line by line, for waiting on.
type lines struct {
	mu    sync.Mutex
	all   []string
	more  chan struct{} // closed and replaced on every new line
	cmd   *exec.Cmd
	start time.Time
}

func follow(t *testing.T, cmd *exec.Cmd) *lines {
	l := &lines{more: make(chan struct{}), cmd: cmd}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			l.mu.Lock()
			l.all = append(l.all, sc.Text())
			close(l.more)
			l.more = make(chan struct{})
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *lines) stop() { l.cmd.Process.Kill(); l.cmd.Wait() }

// mark is where the lines written from now on start.
func (l *lines) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.all)
}

// since is the lines from mark on.
func (l *lines) since(mark int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.all[mark:]...)
}

// await waits for a line from mark on for which ok holds, and returns it.
func (l *lines) await(mark int, within time.Duration, ok func(string) bool) (string, bool) {
	timeout := time.After(within)
	for i := mark; ; {
		l.mu.Lock()
		for ; i < len(l.all); i++ {
			if ok(l.all[i]) {
				line := l.all[i]
				l.mu.Unlock()
				return line, true
			}
		}
		more := l.more
		l.mu.Unlock()
		select {
		case <-more:
		case <-timeout:
			return "", false
		}
	}
}

// audit waits for the next audit line (one JSON object per session end) from mark on.
func (m *machine) audit(mark int, within time.Duration) map[string]any {
	m.t.Helper()
	var a map[string]any
	_, ok := m.journal.await(mark, within, func(l string) bool {
		a = nil
		return json.Unmarshal([]byte(l), &a) == nil && a["reason"] != nil
	})
	if !ok {
		m.t.Fatalf("no audit line in the journal within %v; since then:\n%s", within, strings.Join(m.journal.since(mark), "\n"))
	}
	return a
}

// processes is the PIDs of the carekiosk user's processes in the container.
func (m *machine) processes() map[string]bool {
	out, _ := m.run("pgrep", "-u", "carekiosk")
	ps := map[string]bool{}
	for _, p := range strings.Fields(out) {
		ps[p] = true
	}
	return ps
}

// supervisor is the PID (in the container) of `carekiosk run`, cage's child.
func (m *machine) supervisor() string {
	m.t.Helper()
	main := m.show("carekiosk", "MainPID")["MainPID"]
	out, err := m.run("pgrep", "-x", "-P", main, "carekiosk")
	if err != nil || strings.TrimSpace(out) == "" {
		m.t.Fatalf("no supervisor under cage (pid %s): %v %s", main, err, out)
	}
	return strings.Fields(out)[0]
}

// lineCount counts the lines that contain s.
func lineCount(ls []string, s string) int {
	n := 0
	for _, l := range ls {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}
