package hardware

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// monitorRun is Reader.Monitor running on a pty for one test, collecting what it says.
type monitorRun struct {
	mu    sync.Mutex
	lines []string
}

func (m *monitorRun) said(part string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, l := range m.lines {
		if strings.Contains(l, part) {
			return true
		}
	}
	return false
}

func startMonitor(t *testing.T, dev string, opts Options, quiet time.Duration, setup ...func(*Reader)) *monitorRun {
	t.Helper()
	opts.Device, opts.Retry = dev, 10*time.Millisecond
	r, err := NewReader(opts, NewKeyer(testSecret), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(r)
	}
	m := &monitorRun{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Monitor(ctx, MonitorOptions{QuietAfter: quiet}, func(s string) { m.mu.Lock(); m.lines = append(m.lines, s); m.mu.Unlock() })
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		m.mu.Lock()
		defer m.mu.Unlock()
		all := strings.Join(m.lines, "\n")
		checkClean(t, "monitor output", all)
		if t.Failed() {
			t.Logf("monitor said:\n%s", all)
		}
	})
	return m
}

func TestMonitorSaysWhatIsWrong(t *testing.T) {
	card := NewKeyer(testSecret).identify([]byte(library)).Short()
	t.Run("line: cards masked, quiet, wrong baud, unplug", func(t *testing.T) {
		d := newDevice(t)
		m := startMonitor(t, d.path, Options{Protocol: "line"}, 300*time.Millisecond)
		waitUntil(t, "waiting for the device", func() bool { return m.said("is it plugged in") })
		d.plug()
		waitUntil(t, "open", func() bool { return m.said("device open") })
		d.send(library + "\r\n")
		waitUntil(t, "the card, masked", func() bool { return m.said("card read: " + card + "…") })
		waitUntil(t, "nothing arriving", func() bool { return m.said("nothing has arrived for 300ms") })
		d.send("\xf0\x80\xfe\x00\x9c\xe6\x18\xff\xf8\x80\x86\x1e\xe0\xfc\x80\xf8\x00\x7e")
		waitUntil(t, "wrong baud", func() bool { return m.said("probably does not send at 9600 baud") })
		d.send("hello\r\n")
		waitUntil(t, "not a card", func() bool { return m.said("not a card: ") })
		d.unplug()
		waitUntil(t, "gone", func() bool { return m.said("gone") })
	})
	t.Run("em4100: checksum failures and lifts", func(t *testing.T) {
		d := newDevice(t)
		d.plug()
		m := startMonitor(t, d.path, Options{Protocol: "em4100", RemovalGap: 200 * time.Millisecond}, time.Minute)
		waitUntil(t, "open", func() bool { return m.said("device open") })
		d.send(emBadSum)
		waitUntil(t, "the checksum failure", func() bool { return m.said("checksum failure: checksum failure (1 since") })
		d.send(emFrame, emFrame)
		waitUntil(t, "the card", func() bool { return m.said("card read: ") })
		waitUntil(t, "the lift", func() bool { return m.said("card lifted off the reader: ") })
	})
}
