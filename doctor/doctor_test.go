package doctor

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/internal/webkit"
	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/shellproc"
)

// rig is a kiosk installation in a temporary directory: a config file, a pty as the card
// reader, a session_dir, a state_dir, an X socket, and canned answers from systemctl and
// timedatectl. good makes every check pass; tests then break one thing each.
type rig struct {
	t       *testing.T
	dir     string
	env     *Env
	master  *os.File // the reader's other end: write a card here
	cmds    map[string]string
	cmdErrs map[string]error
	sysctls map[string]string // kernel settings; a missing one is absent from /proc/sys
}

// sysctl is Env.Sysctl on the rig's settings.
func (r *rig) sysctl(name string) (string, error) {
	v, ok := r.sysctls[name]
	if !ok {
		return "", os.ErrNotExist
	}
	return v, nil
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, dir: t.TempDir(), cmds: map[string]string{
		"systemctl is-enabled carekiosk":              "enabled",
		"timedatectl show -p NTPSynchronized --value": "yes",
		"bwrap --version":                             "bubblewrap 0.11.0",
	}, cmdErrs: map[string]error{}, sysctls: map[string]string{
		"kernel.core_pattern": "core", "user.max_user_namespaces": "63304", "kernel.unprivileged_userns_clone": "1",
	}}
	m, s, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	dev := s.Name()
	s.Close() // the reader opens the slave itself
	t.Cleanup(func() { m.Close() })
	r.master = m

	sessions := filepath.Join(r.dir, "sessions")
	state := filepath.Join(r.dir, "state")
	for _, d := range []string{sessions, state} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(state, "card.key"), make([]byte, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	x11 := filepath.Join(r.dir, "x11")
	os.Mkdir(x11, 0o700)
	l, err := net.Listen("unix", filepath.Join(x11, "X7"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()

	cfg := filepath.Join(r.dir, "kiosk.toml")
	r.write(fmt.Sprintf(`start_url     = "https://records.example.org/"
allowed_hosts = ["records.example.org"]
session_dir   = %q
state_dir     = %q
control_socket = %q

[reader]
device = %q
`, sessions, state, filepath.Join(r.dir, "control.sock"), dev))
	env := map[string]string{"DISPLAY": ":7"}
	r.env = &Env{
		ConfigPath: cfg,
		Listen:     time.Second,
		Getenv:     func(k string) string { return env[k] },
		Command: func(name string, args ...string) (string, error) {
			k := strings.Join(append([]string{name}, args...), " ")
			return r.cmds[k], r.cmdErrs[k]
		},
		Browser:     func() (string, error) { return "/usr/lib/carekiosk/carekiosk-shell", nil },
		Dlopen:      func(string) error { return nil },
		FSType:      func(string) (int64, error) { return unix.TMPFS_MAGIC, nil },
		Running:     func(*config.Config) (session.Status, error) { return session.Status{}, errors.New("no kiosk") },
		X11Dir:      x11,
		Unit:        "carekiosk",
		ClockSynced: func() (bool, error) { return true, nil },
		Swaps:       func() ([]Swap, error) { return nil, nil },
		Sysctl:      r.sysctl,
		Sysfs:       filepath.Join(r.dir, "sys"),
	}
	if err := os.MkdirAll(filepath.Join(r.dir, "sys", "class", "input"), 0o755); err != nil {
		t.Fatal(err) // a unit with no keyboard attached
	}
	return r
}

func (r *rig) write(cfg string) {
	if err := os.WriteFile(filepath.Join(r.dir, "kiosk.toml"), []byte(cfg), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// swipe sends a card after a moment, while the reader check listens.
func (r *rig) swipe(line string) {
	go func() {
		time.Sleep(200 * time.Millisecond)
		io.WriteString(r.master, line)
	}()
}

// run runs doctor and returns its results by check name, and its output.
func (r *rig) run() (map[string]Result, string) {
	var out bytes.Buffer
	res := map[string]Result{}
	for _, x := range Run(r.env, &out) {
		res[x.Check] = x
	}
	return res, out.String()
}

func TestDoctorAllGood(t *testing.T) {
	r := newRig(t)
	r.swipe("29990012345678\r\n")
	res, out := r.run()
	for _, x := range res {
		if x.Level != OK {
			t.Errorf("%s", x)
		}
	}
	if len(res) != 14 || strings.Count(out, "\n") != 14 {
		t.Errorf("output\n%s\nwant one line for each of 14 checks (containment says nothing without a kiosk)", out)
	}
	if !strings.Contains(res["keyboard"].Msg, "no keyboard is attached: the on-screen keyboard shows") {
		t.Errorf("keyboard: %s", res["keyboard"])
	}
	if !strings.Contains(res["reader"].Msg, `sent a card in the "line" format`) {
		t.Errorf("reader: %s", res["reader"])
	}
	if strings.Contains(out, "29990012345678") {
		t.Errorf("doctor printed the card number:\n%s", out)
	}
}

func TestDoctorFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		check  string
		level  Level
		break_ func(r *rig)
		want   string // in the line
	}{
		{"reader silent", "reader", Warn, func(r *rig) {}, "no card arrived in 1s; fix: swipe or touch a card"},
		{"reader sends junk", "reader", Fail, func(r *rig) { r.swipe("hello\r\n") }, "sent something that is not a card"},
		{"reader missing", "reader", Fail, func(r *rig) {
			b, _ := os.ReadFile(r.env.ConfigPath)
			r.write(strings.Replace(string(b), "/dev/pts/", "/dev/nonexistent-", 1))
		}, "fix: plug the reader in"},
		{"keyboard reader on a serial device", "reader", Fail, func(r *rig) {
			b, _ := os.ReadFile(r.env.ConfigPath)
			r.write(strings.Replace(string(b), "[reader]\n", "[reader]\nkind = \"keyboard\"\n", 1))
		}, "is not an input device (/dev/input/event*): cannot get driver version: inappropriate ioctl for device; fix: reader.device must be the reader's input device"},
		{"keyboard reader missing", "reader", Fail, func(r *rig) {
			b, _ := os.ReadFile(r.env.ConfigPath)
			cfg := strings.Replace(string(b), "[reader]\n", "[reader]\nkind = \"keyboard\"\n", 1)
			r.write(strings.Replace(cfg, "/dev/pts/", "/dev/input/by-id/nonexistent-", 1))
		}, "(ls -l /dev/input/by-id/)"},
		{"no keyboard and no on-screen keyboard", "keyboard", Fail, func(r *rig) {
			b, _ := os.ReadFile(r.env.ConfigPath)
			r.write(string(b) + "\n[keyboard]\non_screen = \"never\"\n")
		}, "no keyboard is attached: patients can't type; fix: attach a keyboard"},
		{"input devices unreadable", "keyboard", Warn, func(r *rig) { r.env.Sysfs = filepath.Join(r.dir, "nowhere") },
			"can't tell whether a keyboard is attached"},
		{"config missing", "config", Fail, func(r *rig) { os.Remove(r.env.ConfigPath) }, "does not exist, so the kiosk would run its demo"},
		{"config broken", "config", Fail, func(r *rig) {
			b, _ := os.ReadFile(r.env.ConfigPath)
			r.write(string(b) + "\n[session]\nidle_timeout = \"1s\"\n")
		}, "kiosk.toml:11: session.idle_timeout: 1s is too short"},
		{"no display", "display", Fail, func(r *rig) { r.env.Getenv = func(string) string { return "" } }, "no display"},
		{"display gone", "display", Fail, func(r *rig) { os.Remove(filepath.Join(r.dir, "x11", "X7")) }, "cannot connect: X display :7"},
		{"no browser", "browser", Fail, func(r *rig) {
			r.env.Browser = func() (string, error) { return shellproc.FindShell(filepath.Join(r.dir, "carekiosk")) }
		}, "carekiosk-shell, is not installed"},
		{"no webkit", "webkit", Fail, func(r *rig) {
			r.env.Dlopen = func(string) error { return errors.New("cannot open shared object file") }
		},
			"fix: apt install " + webkit.DevPackage},
		{"session_dir on disk", "session_dir", Fail, func(r *rig) { r.env.FSType = FSType }, "not on a tmpfs"},
		{"session_dir open", "session_dir", Fail, func(r *rig) { os.Chmod(filepath.Join(r.dir, "sessions"), 0o755) }, "mode 0755, want 0700; fix: chmod 700"},
		{"session_dir not empty", "session_dir", Fail, func(r *rig) { os.Mkdir(filepath.Join(r.dir, "sessions", "old"), 0o700) }, "holds 1 entries"},
		{"session_dir missing", "session_dir", Fail, func(r *rig) { os.Remove(filepath.Join(r.dir, "sessions")) }, "systemd-tmpfiles --create"},
		{"secret missing", "secret", Fail, func(r *rig) { os.Remove(filepath.Join(r.dir, "state", "card.key")) }, "does not exist"},
		{"secret open", "secret", Fail, func(r *rig) { os.Chmod(filepath.Join(r.dir, "state", "card.key"), 0o644) }, "want 0600; fix: chmod 600"},
		{"unit disabled", "unit", Fail, func(r *rig) {
			r.cmds["systemctl is-enabled carekiosk"] = "disabled"
			r.cmdErrs["systemctl is-enabled carekiosk"] = errors.New("exit status 1")
		}, "not enabled: disabled; fix: systemctl enable carekiosk"},
		{"clock not synchronised", "clock", Fail, func(r *rig) { r.cmds["timedatectl show -p NTPSynchronized --value"] = "no" }, "not synchronised"},
		{"no timedatectl, kernel synchronised", "clock", OK, func(r *rig) {
			r.cmds["timedatectl show -p NTPSynchronized --value"] = ""
			r.cmdErrs["timedatectl show -p NTPSynchronized --value"] = errors.New("not found")
		}, "adjtimex"},
		{"swap in the clear", "swap", Fail, func(r *rig) {
			r.env.Swaps = func() ([]Swap, error) {
				return []Swap{{Name: "/dev/zram0", Kind: "partition", Private: "in memory (zram)"}, {Name: "/dev/sda2", Kind: "partition"}}, nil
			}
		}, "swap on /dev/sda2 (partition) is not encrypted"},
		{"swap encrypted", "swap", OK, func(r *rig) {
			r.env.Swaps = func() ([]Swap, error) {
				return []Swap{{Name: "/dev/dm-0", Kind: "partition", Private: "encrypted (dm-crypt)"}}, nil
			}
		}, "swap only on /dev/dm-0 encrypted (dm-crypt)"},
		{"no swap", "swap", OK, func(r *rig) {}, "no swap"},
		{"core dumps to a collector", "coredump", Fail, func(r *rig) {
			r.sysctls["kernel.core_pattern"] = "|/usr/share/apport/apport -p%p -s%s -c%c"
		}, "piped to /usr/share/apport/apport"},
		{"core dumps to systemd-coredump", "coredump", OK, func(r *rig) {
			r.sysctls["kernel.core_pattern"] = "|/lib/systemd/systemd-coredump %P %u %g %s %t 9223372036854775808 %h"
		}, "honours the unit's LimitCORE=0"},
		{"no bwrap", "sandbox", Fail, func(r *rig) {
			r.cmdErrs["bwrap --version"] = errors.New("executable file not found")
		}, "bwrap is not installed"},
		{"user namespaces off (Debian)", "sandbox", Fail, func(r *rig) {
			r.sysctls["kernel.unprivileged_userns_clone"] = "0"
		}, "kernel.unprivileged_userns_clone=1"},
		{"no user namespaces", "sandbox", Fail, func(r *rig) {
			r.sysctls["user.max_user_namespaces"] = "0"
		}, "user.max_user_namespaces"},
		{"user namespaces restricted by AppArmor (Ubuntu)", "sandbox", Fail, func(r *rig) {
			r.sysctls["kernel.apparmor_restrict_unprivileged_userns"] = "1"
		}, "AppArmor"},
		{"no timedatectl, kernel not synchronised", "clock", Fail, func(r *rig) {
			r.cmdErrs["timedatectl show -p NTPSynchronized --value"] = errors.New("not found")
			r.env.ClockSynced = func() (bool, error) { return false, nil }
		}, "not synchronised (kernel clock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			tc.break_(r)
			res, out := r.run()
			got := res[tc.check]
			if got.Level != tc.level || !strings.Contains(got.String(), tc.want) {
				t.Errorf("%s: got %q, want %s with %q\n%s", tc.check, got, tc.level, tc.want, out)
			}
			if Failed(res2list(res)) != (tc.level == Fail) {
				t.Errorf("Failed = %t for a %s", !Failed(res2list(res)), tc.level)
			}
		})
	}
}

func res2list(m map[string]Result) []Result {
	var l []Result
	for _, r := range m {
		l = append(l, r)
	}
	return l
}

// TestDoctorKioskRunning: with a kiosk answering, doctor does not take the reader from it and
// allows its browsers' directories in session_dir.
func TestDoctorKioskRunning(t *testing.T) {
	r := newRig(t)
	os.Mkdir(filepath.Join(r.dir, "sessions", "0123456789abcdef"), 0o700)
	r.env.Running = func(*config.Config) (session.Status, error) {
		return session.Status{State: session.Welcome, Reader: session.ReaderState{Device: "/dev/x", Connected: true},
			Containment: shellproc.Cgroup}, nil
	}
	res, out := r.run()
	if Failed(res2list(res)) || !strings.Contains(res["reader"].Msg, "open in the running kiosk") {
		t.Errorf("output\n%s\nwant all ok, the reader as the kiosk sees it", out)
	}
	if res["containment"].Level != OK {
		t.Errorf("containment by cgroup: %v, want ok", res["containment"])
	}
}

// TestDoctorContainmentByDirectory: a kiosk that could not contain its browsers in cgroups
// gets a warning that says how to give it some.
func TestDoctorContainmentByDirectory(t *testing.T) {
	r := newRig(t)
	r.env.Running = func(*config.Config) (session.Status, error) {
		return session.Status{State: session.Welcome, Containment: shellproc.Directory}, nil
	}
	res, out := r.run()
	if c := res["containment"]; c.Level != Warn || !strings.Contains(c.Fix, "Delegate=yes") {
		t.Errorf("output\n%s\nwant a containment warning naming Delegate=yes", out)
	}
}

func TestDlopen(t *testing.T) {
	if err := Dlopen("libc.so.6"); err != nil {
		t.Errorf("Dlopen(libc.so.6): %v", err)
	}
	if err := Dlopen("libcarekiosk-does-not-exist.so"); err == nil || !strings.Contains(err.Error(), "libcarekiosk-does-not-exist.so") {
		t.Errorf("Dlopen of a missing library: %v, want the loader's error", err)
	}
}

// TestWebKitCheckLeavesTheDoctorAlive: the doctor's process goes on running after it has loaded
// WebKitGTK (it crashed after unloading it again). Each run is a child process that loads the
// library, lives on for a moment — time for WebKit's own threads to run — and exits normally.
func TestWebKitCheckLeavesTheDoctorAlive(t *testing.T) {
	if os.Getenv("CAREKIOSK_DLOPEN_CHILD") != "" {
		if err := Dlopen(webkitLibrary); err != nil {
			t.Skipf("%s: %v", webkitLibrary, err)
		}
		time.Sleep(300 * time.Millisecond)
		return
	}
	for i := 0; i < 3; i++ {
		c := exec.Command(os.Args[0], "-test.run=^TestWebKitCheckLeavesTheDoctorAlive$", "-test.v")
		c.Env = append(os.Environ(), "CAREKIOSK_DLOPEN_CHILD=1")
		out, err := c.CombinedOutput()
		if bytes.Contains(out, []byte("SKIP")) {
			t.Skipf("no WebKitGTK to load here: %s", out)
		}
		if err != nil {
			t.Fatalf("run %d: the process loading %s ended with %v:\n%s", i+1, webkitLibrary, err, out)
		}
	}
}

// TestFSTypeTmpfs mounts a real tmpfs as session_dir (root only).
func TestFSTypeTmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if err := unix.Mount("carekiosk-test", dir, "tmpfs", 0, "mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	defer unix.Unmount(dir, unix.MNT_DETACH)
	if m, err := FSType(dir); err != nil || m != unix.TMPFS_MAGIC {
		t.Errorf("FSType(tmpfs) = %#x, %v; want TMPFS_MAGIC", m, err)
	}
}

// TestActiveSwaps judges swap areas through a sysfs tree laid out as the kernel's: a plain
// partition, zram, LUKS, LVM on LUKS, and LVM on a plain partition.
func TestActiveSwaps(t *testing.T) {
	sys := t.TempDir()
	dev := func(name string, uuid string, slaves ...string) string {
		d := filepath.Join(sys, "devices", name)
		if err := os.MkdirAll(filepath.Join(d, "slaves"), 0o755); err != nil {
			t.Fatal(err)
		}
		if uuid != "" {
			os.MkdirAll(filepath.Join(d, "dm"), 0o755)
			writeFile(t, filepath.Join(d, "dm", "uuid"), uuid+"\n")
		}
		for _, s := range slaves {
			os.Symlink(filepath.Join(sys, "devices", s), filepath.Join(d, "slaves", s))
		}
		return d
	}
	block := filepath.Join(sys, "dev", "block")
	os.MkdirAll(block, 0o755)
	numbers := map[string]uint64{}
	link := func(major, minor uint32, target string) {
		os.Symlink(target, filepath.Join(block, fmt.Sprintf("%d:%d", major, minor)))
		numbers[filepath.Base(target)] = unix.Mkdev(major, minor)
	}
	os.Remove(filepath.Join(dev("sda2", ""), "slaves")) // a partition has no slaves directory
	link(8, 2, filepath.Join(sys, "devices", "sda2"))
	link(252, 0, dev("zram0", ""))
	link(253, 0, dev("dm-0", "CRYPT-LUKS2-0123-cryptswap"))
	link(253, 1, dev("dm-1", "LVM-abcd", "dm-0"))
	link(253, 2, dev("dm-2", "LVM-efgh", "sda2"))

	swaps := filepath.Join(t.TempDir(), "swaps")
	writeFile(t, swaps, "Filename\tType\tSize\tUsed\tPriority\n"+
		"/dev/sda2 partition 1 0 -2\n/dev/zram0 partition 1 0 100\n/dev/dm-0 partition 1 0 -3\n"+
		"/swap\\040file file 1 0 -4\n/dev/dm-2 partition 1 0 -5\n")
	f, err := os.Open(swaps)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	holder := map[string]string{"/dev/sda2": "sda2", "/dev/zram0": "zram0", "/dev/dm-0": "dm-0", "/swap file": "dm-1", "/dev/dm-2": "dm-2"}
	got, err := swapsFrom(f, block, func(name, kind string) (uint64, error) {
		if kind == "file" && name != "/swap file" {
			t.Errorf("file name %q, want the escape undone", name)
		}
		return numbers[holder[name]], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"/dev/sda2": "", "/dev/zram0": "in memory (zram)", "/dev/dm-0": "encrypted (dm-crypt)",
		"/swap file": "encrypted (dm-crypt, below dm-1)", "/dev/dm-2": ""}
	if len(got) != len(want) {
		t.Fatalf("got %d swaps, want %d: %+v", len(got), len(want), got)
	}
	for _, s := range got {
		if s.Private != want[s.Name] {
			t.Errorf("%s (%s): private %q, want %q", s.Name, s.Kind, s.Private, want[s.Name])
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
