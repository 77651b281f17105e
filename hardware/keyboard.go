package hardware

import (
	"errors"
	"fmt"
	"io/fs"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// KeyboardAttached reports whether a keyboard someone can type on is plugged in, for the
// on-screen keyboard, which a kiosk without one shows. A keyboard is an input device whose key
// capabilities include every letter key, A to Z, as read from
// class/input/event*/device/capabilities/key under sysfs (normally "/sys"; a tree of its own in
// tests). The device at except is not counted: the keyboard-wedge card reader that the kiosk
// grabs, which has a keyboard's keys. except may be any path that leads to its node, such as
// /dev/input/by-id/…-event-kbd or a udev link: links are resolved to the eventN node, whose name
// is the one under class/input. An except of "", or one that does not exist (the reader is
// unplugged), leaves out nothing.
//
// A device that claims letter keys without having any is counted: some wireless mouse
// receivers offer a keyboard interface, and nothing in sysfs tells them apart. The error says
// that sysfs has no input class, that except cannot be resolved, or that a capabilities file
// cannot be read or parsed (a device unplugged while it is read is skipped); the answer is
// false with it.
func KeyboardAttached(sysfs, except string) (bool, error) {
	skip := ""
	if except != "" {
		node, err := filepath.EvalSymlinks(except)
		switch {
		case err == nil:
			skip = filepath.Base(node)
		case !errors.Is(err, fs.ErrNotExist):
			return false, fmt.Errorf("finding the input device %s: %w", except, err)
		}
	}
	class := filepath.Join(sysfs, "class", "input")
	entries, err := os.ReadDir(class)
	if err != nil {
		return false, fmt.Errorf("listing input devices: %w", err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "event") || e.Name() == skip {
			continue
		}
		path := filepath.Join(class, e.Name(), "device", "capabilities", "key")
		caps, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("reading the keys of input device %s: %w", e.Name(), err)
		}
		ok, err := hasLetters(string(caps))
		if err != nil {
			return false, fmt.Errorf("%s: %w", path, err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// hasLetters reports whether a key capability bitmap, as sysfs shows it, has every letter key.
// The kernel writes the bitmap as hexadecimal words of the reading process's long, the most
// significant first, leading zero words left out (input_print_bitmap in
// drivers/input/input.c): bit n of the map is bit n mod w of the word n/w from the end.
func hasLetters(caps string) (bool, error) {
	fields := strings.Fields(caps)
	slices.Reverse(fields)
	words := make([]uint64, len(fields))
	for i, f := range fields {
		w, err := strconv.ParseUint(f, 16, bits.UintSize)
		if err != nil {
			return false, fmt.Errorf("not a key capability bitmap (word %q)", f)
		}
		words[i] = w
	}
	for code, chars := range usKeys {
		if chars[0] < 'a' || chars[0] > 'z' {
			continue
		}
		i, bit := int(code)/bits.UintSize, uint(code)%bits.UintSize
		if i >= len(words) || words[i]&(1<<bit) == 0 {
			return false, nil
		}
	}
	return true, nil
}
