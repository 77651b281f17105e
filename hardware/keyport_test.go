package hardware

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	evdev "github.com/holoplot/go-evdev"
)

// Event types and codes of linux/input-event-codes.h, written out here rather than taken from
// keys.go or go-evdev, so that a wrong entry there fails these tests.
const (
	evSyn, evKey, evRel, evMsc  = 0, 1, 2, 4
	mscScan, synDropped         = 4, 3
	keyLeftShift, keyRightShift = 42, 54
	keyLeftCtrl, keyCapsLock    = 29, 58
	keyF1, keyKP1, keyKPEnter   = 59, 79, 96
)

// usRows are the rows of a US keyboard: each row's characters alone and with Shift, from its
// first key code on. Enter (28) and Space (57) are in usCode.
var usRows = []struct {
	plain, shifted string
	first          uint16
}{
	{"1234567890-=", "!@#$%^&*()_+", 2},
	{"qwertyuiop[]", "QWERTYUIOP{}", 16},
	{"asdfghjkl;'`", "ASDFGHJKL:\"~", 30},
	{"zxcvbnm,./", "ZXCVBNM<>?", 44},
}

// usCode returns the key code that types c on a US keyboard, and whether it needs Shift.
func usCode(t testing.TB, c byte) (uint16, bool) {
	switch c {
	case '\n':
		return 28, false
	case ' ':
		return 57, false
	}
	for _, r := range usRows {
		if i := strings.IndexByte(r.plain, c); i >= 0 {
			return r.first + uint16(i), false
		}
		if i := strings.IndexByte(r.shifted, c); i >= 0 {
			return r.first + uint16(i), true
		}
	}
	t.Fatalf("no US key types %q", c)
	return 0, false
}

// keyStream builds the records a keyboard's evdev device gives: the kernel's struct input_event
// on 64-bit Linux, 24 bytes little-endian — struct timeval (tv_sec, tv_usec: two 64-bit
// integers), __u16 type, __u16 code, __s32 value — each key as a USB keyboard sends it:
// MSC_SCAN, then EV_KEY, then SYN_REPORT.
type keyStream struct {
	t    testing.TB
	b    []byte
	usec int64
}

// record appends one input_event.
func (s *keyStream) record(typ, code uint16, value int32) *keyStream {
	s.usec += 1000
	var r [24]byte
	binary.LittleEndian.PutUint64(r[0:], uint64(1764000000+s.usec/1e6))
	binary.LittleEndian.PutUint64(r[8:], uint64(s.usec%1e6))
	binary.LittleEndian.PutUint16(r[16:], typ)
	binary.LittleEndian.PutUint16(r[18:], code)
	binary.LittleEndian.PutUint32(r[20:], uint32(value))
	s.b = append(s.b, r[:]...)
	return s
}

// key appends a key event (value 1 press, 0 release, 2 autorepeat) as a keyboard reports it.
func (s *keyStream) key(code uint16, value int32) *keyStream {
	return s.record(evMsc, mscScan, 0x70000+int32(code)).record(evKey, code, value).record(evSyn, 0, 0)
}

// tap presses and releases a key.
func (s *keyStream) tap(code uint16) *keyStream { return s.key(code, 1).key(code, 0) }

// text types text as a US keyboard-wedge reader does, pressing Shift around shifted characters.
func (s *keyStream) text(text string) *keyStream {
	for i := range len(text) {
		code, shift := usCode(s.t, text[i])
		if shift {
			s.key(keyLeftShift, 1)
		}
		s.tap(code)
		if shift {
			s.key(keyLeftShift, 0)
		}
	}
	return s
}

// streamSource reads input_event records from a pipe as go-evdev's ReadOne reads them from a
// device: binary.Read of an evdev.InputEvent, little-endian. At the end of the stream it
// returns end, if set: the kernel's evdev read fails with ENODEV once its device is unplugged,
// where a pipe just ends.
type streamSource struct {
	f   *os.File
	end error
}

func (s *streamSource) ReadOne() (*evdev.InputEvent, error) {
	ev := &evdev.InputEvent{}
	err := binary.Read(s.f, binary.LittleEndian, ev)
	if errors.Is(err, io.EOF) && s.end != nil {
		err = s.end
	}
	if err != nil {
		return nil, err
	}
	return ev, nil
}

func (s *streamSource) Close() error { return s.f.Close() }

func TestInputEventLayout(t *testing.T) {
	s := (&keyStream{t: t}).record(evKey, 2, 1)
	if len(s.b) != 24 || binary.Size(evdev.InputEvent{}) != 24 {
		t.Fatalf("a record is %d bytes and go-evdev's InputEvent %d, want 24 (amd64)", len(s.b), binary.Size(evdev.InputEvent{}))
	}
}

// errEnd ends the streams of TestKeyPortTypes, so that a Read loop knows it has them all.
var errEnd = errors.New("end of the test stream")

func TestKeyPortTypes(t *testing.T) {
	stream := func() *keyStream { return &keyStream{t: t} }
	tests := []struct {
		name   string
		stream *keyStream
		want   string
	}{
		{"digits and Enter", stream().text(library + "\n"), library + "\n"},
		{"Shift for % ^ ? and capitals", stream().text("%B12^SMITH/JANE^29?;12=34?\n"), "%B12^SMITH/JANE^29?;12=34?\n"},
		{"every US character", stream().text("1234567890-=qwertyuiop[]asdfghjkl;'`zxcvbnm,./ !@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:\"~ZXCVBNM<>?"),
			"1234567890-=qwertyuiop[]asdfghjkl;'`zxcvbnm,./ !@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:\"~ZXCVBNM<>?"},
		{"right Shift", stream().key(keyRightShift, 1).tap(6).key(keyRightShift, 0).tap(6), "%5"},
		{"Shift held across keys, released", stream().key(keyLeftShift, 1).tap(30).tap(48).key(keyLeftShift, 0).tap(30), "ABa"},
		{"both Shifts, one released", stream().key(keyLeftShift, 1).key(keyRightShift, 1).key(keyLeftShift, 0).tap(30).key(keyRightShift, 0).tap(30), "Aa"},
		{"autorepeat types nothing", stream().key(2, 1).key(2, 2).key(2, 2).key(2, 2).key(2, 0).tap(28), "1\n"},
		{"a repeated Shift stays held", stream().key(keyLeftShift, 1).key(keyLeftShift, 2).tap(2).key(keyLeftShift, 0), "!"},
		{"releases, SYN and MSC alone type nothing", stream().key(2, 0).record(evSyn, 0, 0).record(evMsc, mscScan, 0x7001e).record(evRel, 0, 5), ""},
		{"unknown codes type SUB", stream().tap(keyF1).tap(0x2ff).tap(250).text("1"), "\x1a\x1a\x1a1"},
		{"a key with Ctrl held types SUB", stream().key(keyLeftCtrl, 1).tap(36).key(keyLeftCtrl, 0).tap(36), "\x1aj"},
		{"Caps Lock", stream().tap(keyCapsLock).tap(30).tap(2).text("A").tap(keyCapsLock).tap(30), "A1aa"},
		{"keypad", stream().tap(keyKP1).tap(keyKPEnter), "1\n"},
		{"events lost", stream().key(keyLeftShift, 1).tap(2).record(evSyn, synDropped, 0).tap(2), "!\x1a1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			go func() { w.Write(tc.stream.b); w.Close() }()
			k := newKeyPort(&streamSource{f: r, end: errEnd})
			defer k.Close()
			var got []byte
			buf := make([]byte, 7) // smaller than most streams: Read must keep what does not fit
			for {
				n, err := k.Read(buf)
				got = append(got, buf[:n]...)
				if errors.Is(err, errEnd) {
					break
				}
				if err != nil && !errors.Is(err, io.EOF) {
					t.Fatalf("Read: %v", err)
				}
			}
			if string(got) != tc.want {
				t.Errorf("typed %q, want %q", got, tc.want)
			}
		})
	}
}

// TestKeyPortSilence: a Read with nothing typed returns (0, io.EOF) after readTimeout, as a
// serial port's does, however many events that type nothing arrive meanwhile; Close ends a
// source blocked in ReadOne.
func TestKeyPortSilence(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	k := newKeyPort(&streamSource{f: r})
	buf := make([]byte, 64)
	for _, s := range []*keyStream{{t: t}, (&keyStream{t: t}).key(keyLeftShift, 1).key(keyLeftShift, 0).key(2, 0)} {
		w.Write(s.b)
		start := time.Now()
		n, err := k.Read(buf)
		if n != 0 || err != io.EOF || time.Since(start) < readTimeout/2 {
			t.Errorf("Read = (%d, %v) after %v, want (0, EOF) after about %v", n, err, time.Since(start), readTimeout)
		}
	}
	w.Write((&keyStream{t: t}).text("7").b)
	if n, err := k.Read(buf); string(buf[:n]) != "7" || err != nil {
		t.Errorf("Read = (%q, %v), want (\"7\", nil)", buf[:n], err)
	}
	closed := make(chan error)
	go func() { closed <- k.Close() }()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not return within 2s while the source was blocked reading")
	}
}

// keyDevice is a keyboard reader for a Reader's tests: a regular file at path stands for the
// device node (watch.go checks that it is still there), and a pipe carries its input_event
// records. Its open is the Reader's openKeys.
type keyDevice struct {
	t    *testing.T
	path string

	mu   sync.Mutex
	next *os.File // the read end the next open gets
	w    *os.File
}

func newKeyDevice(t *testing.T) *keyDevice {
	return &keyDevice{t: t, path: filepath.Join(t.TempDir(), "usb-reader-event-kbd")}
}

func (d *keyDevice) plug() {
	d.t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		d.t.Fatal(err)
	}
	d.t.Cleanup(func() { r.Close(); w.Close() })
	if err := os.WriteFile(d.path, nil, 0o600); err != nil {
		d.t.Fatal(err)
	}
	d.mu.Lock()
	d.next, d.w = r, w
	d.mu.Unlock()
}

// unplug removes the device node, and ends its stream as the kernel does: reads fail with ENODEV.
func (d *keyDevice) unplug() {
	d.t.Helper()
	if err := os.Remove(d.path); err != nil {
		d.t.Fatal(err)
	}
	d.w.Close()
}

func (d *keyDevice) open(dev string) (keySource, error) {
	if _, err := os.Stat(dev); err != nil {
		return nil, fmt.Errorf("device %s cannot be opened: %w", dev, bare(err))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.next == nil {
		return nil, fmt.Errorf("device %s is grabbed by another program", dev)
	}
	r := d.next
	d.next = nil
	return &streamSource{f: r, end: syscall.ENODEV}, nil
}

func (d *keyDevice) send(s *keyStream) {
	d.t.Helper()
	if _, err := d.w.Write(s.b); err != nil {
		d.t.Fatalf("writing %d bytes of events: %v", len(s.b), err)
	}
}

func (d *keyDevice) text(text string) { d.send((&keyStream{t: d.t}).text(text)) }

func TestKeyboardReader(t *testing.T) {
	keyboard := func(d *keyDevice) func(*Reader) { return func(r *Reader) { r.openKeys = d.open } }
	t.Run("line: cards, a key that is no text, unplug and replug", func(t *testing.T) {
		d := newKeyDevice(t)
		rn := start(t, Options{Kind: KindKeyboard, Device: d.path, Protocol: "line"}, keyboard(d))
		if ev := rn.expect(Disconnected); !strings.Contains(ev.Detail, "no such file or directory") {
			t.Errorf("Disconnected %q, want the device missing", ev.Detail)
		}
		d.plug()
		if ev := rn.expect(Connected); ev.Detail != "device "+d.path+" open and grabbed" {
			t.Errorf("Connected %q", ev.Detail)
		}
		d.text(library + "\n")
		rn.expectCard(library)
		d.send((&keyStream{t: t}).text("2991234").tap(keyF1).text("5678901\n"))
		if ev := rn.expect(Unreadable); ev.Detail != "line of 15 bytes has non-printable bytes" {
			t.Errorf("Unreadable %q", ev.Detail)
		}
		d.unplug()
		if ev := rn.expect(Disconnected); ev.Detail != "device "+d.path+" gone: no such device" {
			t.Errorf("Disconnected %q, want the device gone (ENODEV)", ev.Detail)
		}
		d.plug()
		rn.expect(Connected)
		d.text(visa + "\n")
		rn.expectCard(visa)
	})
	t.Run("magstripe: a swipe with Enter, and one ended by silence", func(t *testing.T) {
		d := newKeyDevice(t)
		d.plug()
		rn := start(t, Options{Kind: KindKeyboard, Device: d.path, Protocol: "magstripe"}, keyboard(d))
		rn.expect(Connected)
		d.text(track1 + track2 + "\n")
		rn.expectCard(magPAN)
		d.text(";" + visa + "=29121011000000000000?") // another card: the decoder drops a repeat before any silence
		rn.expectCard(visa)
		d.text("%E?;E?\n")
		if ev := rn.expect(Unreadable); !strings.Contains(ev.Detail, "could not read the card") {
			t.Errorf("Unreadable %q", ev.Detail)
		}
	})
}

func TestKeyboardMonitor(t *testing.T) {
	d := newKeyDevice(t)
	d.plug()
	m := startMonitor(t, d.path, Options{Kind: KindKeyboard, Protocol: "line"}, time.Minute, func(r *Reader) { r.openKeys = d.open })
	waitUntil(t, "the kind", func() bool { return m.said("protocol line, keyboard reader, grabbed") })
	waitUntil(t, "open", func() bool { return m.said("device open and grabbed") })
	d.text(library + "\n")
	waitUntil(t, "the card, masked", func() bool {
		return m.said("card read: " + NewKeyer(testSecret).identify([]byte(library)).Short() + "…")
	})
	s := &keyStream{t: t}
	for range 16 {
		s.tap(keyF1)
	}
	d.send(s)
	waitUntil(t, "keys that are no text", func() bool { return m.said("16 key presses arrived that type no card reader's text") })
	d.unplug()
	waitUntil(t, "gone", func() bool { return m.said("gone: no such device") })
}

func TestNewReaderKinds(t *testing.T) {
	k := NewKeyer(testSecret)
	for _, tc := range []struct {
		opts    Options
		wantErr string
	}{
		{Options{Kind: KindKeyboard, Device: "/dev/x", Protocol: "line"}, ""},
		{Options{Kind: KindKeyboard, Device: "/dev/x", Protocol: "magstripe", Baud: 256000}, ""}, // ignored
		{Options{Kind: KindKeyboard, Device: "/dev/x", Protocol: "em4100"}, `a keyboard reader cannot send protocol "em4100" (want "line" or "magstripe")`},
		{Options{Kind: "bluetooth", Device: "/dev/x", Protocol: "line"}, `unknown kind "bluetooth" (want "serial" or "keyboard")`},
		{Options{Kind: KindSerial, Device: "/dev/x", Protocol: "em4100"}, ""},
	} {
		_, err := NewReader(tc.opts, k, nil)
		if got := fmt.Sprint(err); tc.wantErr == "" && err != nil || tc.wantErr != "" && !strings.Contains(got, tc.wantErr) {
			t.Errorf("NewReader(%+v) = %v, want %q", tc.opts, err, tc.wantErr)
		}
	}
	if got := Protocols(KindSerial); strings.Join(got, " ") != "em4100 line magstripe" {
		t.Errorf("Protocols(serial) = %v", got)
	}
	if got := Protocols("x"); got != nil {
		t.Errorf("Protocols(x) = %v, want none", got)
	}
}

// TestOpenEvdevRefuses: what openEvdev says of a path that is not an input device. (Its success
// path, the grab, needs a real input device, which this host cannot make.)
func TestOpenEvdevRefuses(t *testing.T) {
	file := filepath.Join(t.TempDir(), "event0")
	os.WriteFile(file, nil, 0o600)
	for _, tc := range []struct{ dev, want string }{
		{filepath.Join(t.TempDir(), "event9"), "cannot be opened: no such file or directory"},
		{file, "cannot be opened: not a character device"},
		{"/dev/null", "is not an input device (/dev/input/event*): cannot get driver version: inappropriate ioctl for device"},
	} {
		if _, err := openEvdev(tc.dev); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("openEvdev(%s) = %v, want %q", tc.dev, err, tc.want)
		}
	}
}

// FuzzTypist: whatever events arrive, a typist types only what a card reader's text can hold
// (printable ASCII, Enter, Tab) or keySub. The input is input_event records without their time:
// type, code, value, 8 bytes each.
func FuzzTypist(f *testing.F) {
	var seed []byte
	for rec := (&keyStream{t: f}).text("%B12^A/B^?;12=3?\n").b; len(rec) > 0; rec = rec[24:] {
		seed = append(seed, rec[16:24]...)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		k := newTypist()
		for ; len(data) >= 8; data = data[8:] {
			ev := evdev.InputEvent{Type: evdev.EvType(binary.LittleEndian.Uint16(data)),
				Code: evdev.EvCode(binary.LittleEndian.Uint16(data[2:])), Value: int32(binary.LittleEndian.Uint32(data[4:]))}
			if c, ok := k.key(&ev); ok && !(c >= ' ' && c <= '~' || c == '\n' || c == '\t' || c == keySub) {
				t.Fatalf("event %+v typed %q", ev, c)
			}
		}
	})
}
