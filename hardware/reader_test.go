package hardware

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/syncbuf"
	"github.com/creack/pty"
)

// Card numbers the tests send. No log line and no event may contain any of them.
const (
	visa    = "4111111111111111" // Luhn-valid
	library = "29912345678901"   // 14 digits, Luhn-valid
	badLuhn = "4111111111111112"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// wait bounds every wait for an event; tests never sleep to synchronise.
const wait = 5 * time.Second

// device is a card reader on a pseudo-terminal, at a path the test controls: a symlink in a
// temporary directory pointing to the pty's slave, as udev's carekiosk-reader link does.
type device struct {
	t      testing.TB
	path   string
	master *os.File
}

func newDevice(t *testing.T) *device {
	return &device{t: t, path: filepath.Join(t.TempDir(), "carekiosk-reader")}
}

// plug makes a new pty and points the device path at its slave.
func (d *device) plug() {
	d.t.Helper()
	m, s, err := pty.Open()
	if err != nil {
		d.t.Fatalf("pty.Open: %v", err)
	}
	name := s.Name()
	s.Close() // the Reader opens the slave itself
	d.t.Cleanup(func() { m.Close() })
	if err := os.Symlink(name, d.path); err != nil {
		d.t.Fatal(err)
	}
	d.master = m
}

// unplug removes the device path, then closes the master: the kernel hangs the slave up. The
// path goes first so that a retry cannot reach a pty number reused by someone else.
func (d *device) unplug() {
	d.t.Helper()
	if err := os.Remove(d.path); err != nil {
		d.t.Fatal(err)
	}
	d.master.Close()
}

// send writes each string to the master as one write.
func (d *device) send(writes ...string) {
	d.t.Helper()
	for _, s := range writes {
		if _, err := d.master.Write([]byte(s)); err != nil {
			d.t.Fatalf("writing %d bytes to the pty: %v", len(s), err)
		}
	}
}

// run is a Reader running for one test.
type run struct {
	t      *testing.T
	r      *Reader
	events chan Event
	logs   *syncbuf.Buffer
	stop   func() // cancels Run and waits for it to return
}

// start runs a Reader on opts until the test ends. The cleanup checks that Run returns promptly
// and that no log line or leftover event holds a card number.
func start(t *testing.T, opts Options, setup ...func(*Reader)) *run {
	t.Helper()
	if opts.Protocol == "" {
		opts.Protocol = "line"
	}
	if opts.Retry == 0 {
		opts.Retry = 10 * time.Millisecond
	}
	logs := &syncbuf.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r, err := NewReader(opts, NewKeyer(testSecret), log)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	for _, f := range setup {
		f(r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	events := make(chan Event, 16)
	done := make(chan struct{})
	go func() {
		r.Run(ctx, events)
		close(done)
	}()
	var once sync.Once
	rn := &run{t: t, r: r, events: events, logs: logs}
	rn.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(2 * time.Second):
				t.Errorf("Run did not return within 2s of its context ending")
			}
		})
	}
	t.Cleanup(func() {
		rn.stop()
		if r.Connected() {
			t.Errorf("Connected() = true after Run returned")
		}
		for len(events) > 0 {
			checkClean(t, "leftover event", fmtEvent(<-events))
		}
		checkClean(t, "log", logs.String())
		if t.Failed() {
			t.Logf("reader log:\n%s", logs.String())
		}
	})
	return rn
}

func fmtEvent(ev Event) string { return ev.Kind.String() + " " + string(ev.Card) + " " + ev.Detail }

// checkClean fails the test if s holds a card number the tests send, or a long piece of one.
func checkClean(t *testing.T, what, s string) {
	t.Helper()
	for _, name := range []string{"SMITH", "JANE"} { // the name on track 1 (magstripe_test.go)
		if strings.Contains(s, name) {
			t.Errorf("%s holds the name on a card: %q", what, s)
			return
		}
	}
	for _, n := range []string{visa, library, badLuhn, magPAN, emID, emID2} {
		for i := 0; i+8 <= len(n); i++ {
			if strings.Contains(s, n[i:i+8]) {
				t.Errorf("%s holds a card number: %q", what, s)
				return
			}
		}
	}
}

// next returns the next event, failing the test after wait.
func (rn *run) next() Event {
	rn.t.Helper()
	select {
	case ev := <-rn.events:
		checkClean(rn.t, "event", fmtEvent(ev))
		return ev
	case <-time.After(wait):
		rn.t.Fatalf("no event within %v", wait)
		return Event{}
	}
}

// expect takes the next event and checks its kind.
func (rn *run) expect(kind EventKind) Event {
	rn.t.Helper()
	ev := rn.next()
	if ev.Kind != kind {
		rn.t.Fatalf("got event %v (%q), want %v", ev.Kind, ev.Detail, kind)
	}
	return ev
}

// expectCard takes the next event and checks that it is the card number.
func (rn *run) expectCard(number string) {
	rn.t.Helper()
	ev := rn.expect(Card)
	if want := NewKeyer(testSecret).identify([]byte(number)); ev.Card != want {
		rn.t.Fatalf("got card %s, want %s", ev.Card.Short(), want.Short())
	}
}

func TestReaderLines(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		writes []string
		want   []EventKind
		cards  []string // the numbers of the Card events in want, in order
	}{
		{name: "CR", writes: []string{visa + "\r"}, want: []EventKind{Card}, cards: []string{visa}},
		{name: "LF", writes: []string{visa + "\n"}, want: []EventKind{Card}, cards: []string{visa}},
		{name: "CR LF", writes: []string{visa + "\r\n"}, want: []EventKind{Card}, cards: []string{visa}},
		{name: "LF CR is one terminator too", writes: []string{visa + "\n\r"}, want: []EventKind{Card}, cards: []string{visa}},
		{name: "two lines in one write", writes: []string{library + "\r\n" + visa + "\r\n"},
			want: []EventKind{Card, Card}, cards: []string{library, visa}},
		{name: "split across writes", writes: []string{"29", "9123", "45678", "901\r", "\n"},
			want: []EventKind{Card}, cards: []string{library}},
		{name: "surrounding spaces", writes: []string{"  " + library + " \r\n"}, want: []EventKind{Card}, cards: []string{library}},
		{name: "blank lines", writes: []string{"\r\n\n\r\r"}},
		{name: "spaces only", writes: []string{"   \r\n"}, want: []EventKind{Unreadable}},
		{name: "garbage", writes: []string{"\x00\xff\x1b[2J\x7f\r\n"}, want: []EventKind{Unreadable}},
		{name: "non-printable inside a number", writes: []string{"4111\x001111\t11111111\n"}, want: []EventKind{Unreadable}},
		{name: "not the pattern", writes: []string{"hello kiosk\n", "12345\n"}, want: []EventKind{Unreadable, Unreadable}},
		{name: "own pattern", opts: Options{Pattern: `LIB-[0-9]{4}|[0-9]{16}`},
			writes: []string{"LIB-0042\n", "LIB-42\n", library + "\n"},
			want:   []EventKind{Card, Unreadable, Unreadable}, cards: []string{"LIB-0042"}},
		{name: "Luhn", opts: Options{Luhn: true}, writes: []string{badLuhn + "\n", visa + "\n"},
			want: []EventKind{Unreadable, Card}, cards: []string{visa}},
		{name: "no Luhn check", writes: []string{badLuhn + "\n"}, want: []EventKind{Card}, cards: []string{badLuhn}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each has its own pty and never unplugs it
			dev := newDevice(t)
			dev.plug()
			opts := tc.opts
			opts.Device = dev.path
			rn := start(t, opts)
			rn.expect(Connected)
			if !rn.r.Connected() {
				t.Errorf("Connected() = false after the Connected event")
			}
			// A card after the writes shows that nothing else came out of them.
			dev.send(append(tc.writes, visa+"\r\n")...)
			cards := tc.cards
			for _, kind := range tc.want {
				if kind == Card {
					rn.expectCard(cards[0])
					cards = cards[1:]
					continue
				}
				if ev := rn.expect(kind); ev.Detail == "" {
					t.Errorf("%v event without detail", kind)
				}
			}
			rn.expectCard(visa)
		})
	}
}

func TestReaderUnreadableDetail(t *testing.T) {
	dev := newDevice(t)
	dev.plug()
	rn := start(t, Options{Device: dev.path, Luhn: true})
	rn.expect(Connected)
	dev.send("hello kiosk\r\n", badLuhn+"\n")
	for _, want := range []string{
		"line of 11 bytes does not match the card pattern",
		"line of 16 bytes fails the Luhn check",
	} {
		if ev := rn.expect(Unreadable); ev.Detail != want {
			t.Errorf("got detail %q, want %q", ev.Detail, want)
		}
	}
	if logs := rn.logs.String(); !strings.Contains(logs, "read is not a card") || !strings.Contains(logs, "bytes=11") {
		t.Errorf("log does not report the line by its length:\n%s", logs)
	}
}

func TestReaderEndlessLine(t *testing.T) {
	dev := newDevice(t)
	dev.plug()
	var d *lineDecoder
	rn := start(t, Options{Device: dev.path}, func(r *Reader) {
		newDecoder := r.decoder
		r.decoder = func(o Options) (decoder, error) {
			dec, err := newDecoder(o)
			d = dec.(*lineDecoder) // written by Run's goroutine: read only after it returns
			return dec, err
		}
	})
	rn.expect(Connected)
	// The pty blocks the writer while the Reader catches up, so write from another goroutine.
	wrote := make(chan error, 1)
	go func() {
		_, err := dev.master.Write(append(bytes.Repeat([]byte("7"), 100<<10), "\r\n"+visa+"\r\n"...))
		wrote <- err
	}()
	ev := rn.expect(Unreadable)
	if want := "line of 102400 bytes is longer than 256"; ev.Detail != want {
		t.Errorf("got detail %q, want %q", ev.Detail, want)
	}
	rn.expectCard(visa)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	rn.stop()
	if cap(d.buf) != maxLine {
		t.Errorf("decoder buffer capacity %d after 100 KB, want %d", cap(d.buf), maxLine)
	}
}

func TestReaderUnplug(t *testing.T) {
	dev := newDevice(t)
	dev.plug()
	rn := start(t, Options{Device: dev.path, Retry: time.Hour})
	rn.expect(Connected)
	dev.send(visa + "\n")
	rn.expectCard(visa)
	dev.master.Close() // the path stays, dangling, as the pty's node goes
	ev := rn.expect(Disconnected)
	if !strings.Contains(ev.Detail, "gone") {
		t.Errorf("Disconnected detail %q does not say the device is gone", ev.Detail)
	}
	if rn.r.Connected() {
		t.Errorf("Connected() = true after the Disconnected event")
	}
}

func TestReaderReplug(t *testing.T) {
	dev := newDevice(t)
	dev.plug()
	rn := start(t, Options{Device: dev.path})
	for i := range 3 {
		rn.expect(Connected)
		dev.send(library + "\r\n")
		rn.expectCard(library)
		dev.unplug()
		rn.expect(Disconnected)
		if rn.r.Connected() {
			t.Errorf("replug %d: Connected() = true after the Disconnected event", i)
		}
		dev.plug()
	}
	rn.expect(Connected)
	dev.send(visa + "\n")
	rn.expectCard(visa)
}

func TestReaderReplaced(t *testing.T) {
	dev := newDevice(t)
	dev.plug()
	rn := start(t, Options{Device: dev.path})
	rn.expect(Connected)
	old := dev.master
	if err := os.Remove(dev.path); err != nil {
		t.Fatal(err)
	}
	dev.plug() // the old pty stays open: only the path now names another device
	if ev := rn.expect(Disconnected); !strings.Contains(ev.Detail, "replaced") && !strings.Contains(ev.Detail, "no such file") {
		t.Errorf("Disconnected detail %q", ev.Detail)
	}
	rn.expect(Connected)
	dev.send(visa + "\n")
	rn.expectCard(visa)
	old.Close()
}

func TestReaderAbsentAtStart(t *testing.T) {
	dev := newDevice(t)
	failed := make(chan struct{}, 1)
	rn := start(t, Options{Device: dev.path}, func(r *Reader) {
		r.openFailed = func() {
			select {
			case failed <- struct{}{}:
			default:
			}
		}
	})
	ev := rn.expect(Disconnected)
	if want := "device " + dev.path + " cannot be opened: no such file or directory"; ev.Detail != want {
		t.Errorf("got detail %q, want %q", ev.Detail, want)
	}
	if rn.r.Connected() {
		t.Errorf("Connected() = true with no device")
	}
	for range 5 { // let it retry, quietly
		select {
		case <-failed:
		case <-time.After(wait):
			t.Fatalf("no retry within %v", wait)
		}
	}
	dev.plug()
	rn.expect(Connected) // and no second Disconnected before it
	dev.send(visa + "\r\n")
	rn.expectCard(visa)
	logs := rn.logs.String()
	if n := strings.Count(logs, "reader: disconnected"); n != 1 {
		t.Errorf("log says disconnected %d times over 5 retries, want once:\n%s", n, logs)
	}
	if strings.Contains(logs, "still disconnected") {
		t.Errorf("log repeats an unchanged reason:\n%s", logs)
	}
}

func TestReaderNotADevice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, []byte(visa+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rn := start(t, Options{Device: path})
	ev := rn.expect(Disconnected)
	if !strings.Contains(ev.Detail, "not a character device") {
		t.Errorf("got detail %q, want it to say not a character device", ev.Detail)
	}
}

func TestNewReaderOptions(t *testing.T) {
	k := NewKeyer(testSecret)
	tests := []struct {
		name    string
		opts    Options
		keyer   *Keyer
		wantErr string // "" for success
	}{
		{name: "line", opts: Options{Device: "/dev/x", Protocol: "line"}, keyer: k},
		{name: "all set", opts: Options{Device: "/dev/x", Baud: 115200, Protocol: "line", Pattern: `[0-9]{14}`, Luhn: true, Retry: time.Second}, keyer: k},
		{name: "magstripe", opts: Options{Device: "/dev/x", Protocol: "magstripe", Pattern: `[0-9]{16}`, Luhn: true}, keyer: k},
		{name: "em4100", opts: Options{Device: "/dev/x", Protocol: "em4100", RemovalGap: time.Second}, keyer: k},
		{name: "magstripe bad pattern", opts: Options{Device: "/dev/x", Protocol: "magstripe", Pattern: `(`}, keyer: k, wantErr: "card pattern: error parsing regexp"},
		{name: "unknown protocol", opts: Options{Device: "/dev/x", Protocol: "morse"}, keyer: k, wantErr: `unknown protocol "morse" (want "em4100" or "line" or "magstripe")`},
		{name: "no protocol", opts: Options{Device: "/dev/x"}, keyer: k, wantErr: `unknown protocol ""`},
		{name: "bad pattern", opts: Options{Device: "/dev/x", Protocol: "line", Pattern: `[0-9`}, keyer: k, wantErr: "line pattern: error parsing regexp"},
		{name: "baud 256000", opts: Options{Device: "/dev/x", Protocol: "line", Baud: 256000}, keyer: k, wantErr: "baud 256000 is not a rate Linux can set"},
		{name: "no device", opts: Options{Protocol: "line"}, keyer: k, wantErr: "no device"},
		{name: "no keyer", opts: Options{Device: "/dev/x", Protocol: "line"}, wantErr: "no keyer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(tc.opts, tc.keyer, nil)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				if r.Device() != "/dev/x" || r.Connected() {
					t.Errorf("got Device %q, Connected %v; want /dev/x, false", r.Device(), r.Connected())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestEventKindString(t *testing.T) {
	for kind, want := range map[EventKind]string{Card: "card", Unreadable: "unreadable",
		Connected: "connected", Disconnected: "disconnected", Removed: "removed", 7: "EventKind(7)"} {
		if got := kind.String(); got != want {
			t.Errorf("EventKind(%d).String() = %q, want %q", int(kind), got, want)
		}
	}
}
