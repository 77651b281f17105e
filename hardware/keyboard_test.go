package hardware

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Key capability bitmaps as sysfs shows them on amd64 (64-bit words).
const (
	capsKeyboard = "1000000000007 ff800000000007ff febeffdfffefffff fffffffffffffffe" // a USB keyboard
	capsPower    = "10000000000000 0"                                                 // a power button: KEY_POWER only
	capsDigits   = "10003ffe"                                                         // a reader with only Esc, the digits, "-", "=", Backspace (1 to 14) and Enter (28)
	capsNoZ      = "ffffeffffffffffe"                                                 // keys 1 to 63 but KEY_Z (44)
)

func TestKeyboardAttached(t *testing.T) {
	type device struct{ name, caps string } // caps "" : no capabilities file (unplugged meanwhile)
	tests := []struct {
		name    string
		devices []device
		except  string // "reader": the by-id link to event3; "missing": a link to nothing
		want    bool
		wantErr string
	}{
		{name: "no input devices"},
		{name: "a keyboard", devices: []device{{"event0", capsPower}, {"event2", capsKeyboard}}, want: true},
		{name: "no keyboard", devices: []device{{"event0", capsPower}, {"event1", capsDigits}, {"event2", capsNoZ}, {"event5", "0"}}},
		{name: "only the grabbed reader", devices: []device{{"event0", capsPower}, {"event3", capsKeyboard}}, except: "reader"},
		{name: "the reader and a keyboard", devices: []device{{"event3", capsKeyboard}, {"event4", capsKeyboard}}, except: "reader", want: true},
		{name: "the reader unplugged", devices: []device{{"event4", capsKeyboard}}, except: "missing", want: true},
		{name: "a device unplugged while read", devices: []device{{"event1", ""}, {"event4", capsKeyboard}}, want: true},
		{name: "mice and joysticks are not event devices", devices: []device{{"mouse0", capsKeyboard}, {"js0", capsKeyboard}}},
		{name: "a keyboard found first", devices: []device{{"event0", capsKeyboard}, {"event1", "zz"}}, want: true},
		{name: "a bitmap that is not one", devices: []device{{"event1", "zz 0"}}, wantErr: "event1/device/capabilities/key: not a key capability bitmap (word \"zz\")"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			sys := filepath.Join(root, "sys")
			os.MkdirAll(filepath.Join(sys, "class", "input"), 0o755)
			for _, d := range tc.devices {
				dir := filepath.Join(sys, "class", "input", d.name, "device", "capabilities")
				os.MkdirAll(dir, 0o755)
				if d.caps != "" {
					os.WriteFile(filepath.Join(dir, "key"), []byte(d.caps+"\n"), 0o644)
				}
			}
			dev := filepath.Join(root, "dev", "input")
			os.MkdirAll(filepath.Join(dev, "by-id"), 0o755)
			os.WriteFile(filepath.Join(dev, "event3"), nil, 0o600)
			except := ""
			switch tc.except {
			case "reader":
				except = filepath.Join(dev, "by-id", "usb-Reader-event-kbd")
				os.Symlink("../event3", except)
			case "missing":
				except = filepath.Join(dev, "by-id", "usb-Reader-event-kbd")
				os.Symlink("../event9", except)
			}
			got, err := KeyboardAttached(sys, except)
			if got != tc.want || (err == nil) != (tc.wantErr == "") || err != nil && !strings.HasSuffix(err.Error(), tc.wantErr) {
				t.Errorf("KeyboardAttached = %v, %v; want %v, %q", got, err, tc.want, tc.wantErr)
			}
		})
	}
	if _, err := KeyboardAttached(filepath.Join(t.TempDir(), "nosys"), ""); err == nil || !strings.Contains(err.Error(), "listing input devices") {
		t.Errorf("KeyboardAttached without sysfs = %v, want an error", err)
	}
}
