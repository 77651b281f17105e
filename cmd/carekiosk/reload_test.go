package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/hardware"
	"github.com/carekiosk/carekiosk/session"
)

const goodConfig = `start_url     = "https://records.example.org/login"
allowed_hosts = ["records.example.org"]
session_dir   = "/run/ck/sessions"

[reader]
device = "/dev/ttyUSB0"
`

func TestReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kiosk.toml")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(goodConfig)
	cur, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var applied []session.Settings
	var readers []hardware.Options
	var counted []bool
	r := &reloader{
		path: path, cur: cur,
		apply:  func(s session.Settings) { applied = append(applied, s) },
		reader: func(o hardware.Options) { readers = append(readers, o) },
		count:  func(ok bool) { counted = append(counted, ok) },
		log:    slog.New(slog.NewTextHandler(&logs, nil)),
	}

	// A file with problems is refused, FILE:LINE in the log, and nothing changes.
	write(goodConfig + "\n[session]\nidle_timeout = \"5s\"\nmax_duration = \"5h\"\n")
	if r.reload() == nil {
		t.Fatal("a config with problems was applied")
	}
	for _, want := range []string{path + ":9: session.idle_timeout: 5s is too short", path + ":10: session.max_duration: 5h is too long"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log\n%s\nwant %q", logs.String(), want)
		}
	}
	if len(applied) != 0 || len(readers) != 0 || r.cur != cur {
		t.Fatalf("a refused reload changed something: %d applied, %d readers", len(applied), len(readers))
	}

	// A valid one is applied; the reader reopens; a restart-only key is logged.
	logs.Reset()
	write(strings.NewReplacer("/login", "/signin", "/run/ck/sessions", "/run/other", "ttyUSB0", "ttyACM0").Replace(goodConfig) +
		"\n[session]\nidle_timeout = \"3m\"\n")
	if r.reload() != nil {
		t.Fatalf("a valid config was refused:\n%s", logs.String())
	}
	if len(applied) != 1 || applied[0].StartURL != "https://records.example.org/signin" || applied[0].Timeouts.Idle.Minutes() != 3 {
		t.Errorf("applied %+v, want the new start_url and idle_timeout", applied)
	}
	if len(readers) != 1 || readers[0].Device != "/dev/ttyACM0" {
		t.Errorf("reader reopened with %+v, want /dev/ttyACM0", readers)
	}
	if !strings.Contains(logs.String(), "key=session_dir") || strings.Contains(logs.String(), "key=state_dir") {
		t.Errorf("log\n%s\nwant a restart notice for session_dir only", logs.String())
	}
	if fmtBools(counted) != "false true" {
		t.Errorf("reloads counted %v, want refused then applied", counted)
	}

	// The same file again: applied, the reader left alone.
	if r.reload() != nil || len(readers) != 1 {
		t.Errorf("reloading an unchanged reader reopened it: %v", readers)
	}
}

func fmtBools(b []bool) string {
	var s []string
	for _, v := range b {
		if v {
			s = append(s, "true")
		} else {
			s = append(s, "false")
		}
	}
	return strings.Join(s, " ")
}

func TestReloadInDemo(t *testing.T) {
	var logs bytes.Buffer
	r := &reloader{demo: true, log: slog.New(slog.NewTextHandler(&logs, nil))}
	if r.reload() == nil || !strings.Contains(logs.String(), "demo") {
		t.Errorf("reload in the demo: %s", logs.String())
	}
}
