package hardware

import evdev "github.com/holoplot/go-evdev"

// keySub is what a key that types no text gives — a function key, a key pressed with Ctrl, Alt
// or Meta held, a code of no US key — in place of a character: ASCII SUB, the substitute for an
// invalid character. The decoders refuse a read that holds one (a non-printable byte), so a
// card with a key they cannot read is never taken for a shorter number.
const keySub = 0x1a

// usKeys are the characters of the keys a reader types, on the US layout that keyboard-wedge
// readers assume: the key alone, then with Shift. Enter (and keypad Enter) ends a line; the
// keypad's digits type digits (a reader's keypad codes assume Num Lock on).
var usKeys = map[evdev.EvCode]string{
	evdev.KEY_1: "1!", evdev.KEY_2: "2@", evdev.KEY_3: "3#", evdev.KEY_4: "4$", evdev.KEY_5: "5%",
	evdev.KEY_6: "6^", evdev.KEY_7: "7&", evdev.KEY_8: "8*", evdev.KEY_9: "9(", evdev.KEY_0: "0)",
	evdev.KEY_MINUS: "-_", evdev.KEY_EQUAL: "=+", evdev.KEY_TAB: "\t\t",
	evdev.KEY_Q: "qQ", evdev.KEY_W: "wW", evdev.KEY_E: "eE", evdev.KEY_R: "rR", evdev.KEY_T: "tT",
	evdev.KEY_Y: "yY", evdev.KEY_U: "uU", evdev.KEY_I: "iI", evdev.KEY_O: "oO", evdev.KEY_P: "pP",
	evdev.KEY_LEFTBRACE: "[{", evdev.KEY_RIGHTBRACE: "]}", evdev.KEY_ENTER: "\n\n",
	evdev.KEY_A: "aA", evdev.KEY_S: "sS", evdev.KEY_D: "dD", evdev.KEY_F: "fF", evdev.KEY_G: "gG",
	evdev.KEY_H: "hH", evdev.KEY_J: "jJ", evdev.KEY_K: "kK", evdev.KEY_L: "lL",
	evdev.KEY_SEMICOLON: ";:", evdev.KEY_APOSTROPHE: "'\"", evdev.KEY_GRAVE: "`~",
	evdev.KEY_BACKSLASH: "\\|",
	evdev.KEY_Z:         "zZ", evdev.KEY_X: "xX", evdev.KEY_C: "cC", evdev.KEY_V: "vV", evdev.KEY_B: "bB",
	evdev.KEY_N: "nN", evdev.KEY_M: "mM", evdev.KEY_COMMA: ",<", evdev.KEY_DOT: ".>",
	evdev.KEY_SLASH: "/?", evdev.KEY_SPACE: "  ",
	evdev.KEY_KP0: "00", evdev.KEY_KP1: "11", evdev.KEY_KP2: "22", evdev.KEY_KP3: "33",
	evdev.KEY_KP4: "44", evdev.KEY_KP5: "55", evdev.KEY_KP6: "66", evdev.KEY_KP7: "77",
	evdev.KEY_KP8: "88", evdev.KEY_KP9: "99", evdev.KEY_KPDOT: "..", evdev.KEY_KPMINUS: "--",
	evdev.KEY_KPPLUS: "++", evdev.KEY_KPASTERISK: "**", evdev.KEY_KPSLASH: "//",
	evdev.KEY_KPENTER: "\n\n",
}

// modifiers are the modifier keys: true for the Shifts, false for Ctrl, Alt and Meta, with
// which a key types no text.
var modifiers = map[evdev.EvCode]bool{
	evdev.KEY_LEFTSHIFT: true, evdev.KEY_RIGHTSHIFT: true,
	evdev.KEY_LEFTCTRL: false, evdev.KEY_RIGHTCTRL: false, evdev.KEY_LEFTALT: false,
	evdev.KEY_RIGHTALT: false, evdev.KEY_LEFTMETA: false, evdev.KEY_RIGHTMETA: false,
}

// typist turns one keyboard's key events into the characters they type on a US layout. It
// keeps which modifiers are held and Caps Lock, so it serves one device for one connection.
//
// Only key presses type (EV_KEY, value 1). Releases (0) and autorepeats (2) type nothing: a
// reader presses and releases every character, so a repeat means a key held down, not the same
// character again. Every other event type — EV_SYN ending each packet, EV_MSC scan codes, LEDs
// — types nothing either, but SYN_DROPPED: the kernel's buffer overflowed and events were lost,
// so the read under way types keySub (it is not a card) and no modifier counts as held.
type typist struct {
	held map[evdev.EvCode]bool // the modifier keys held down
	caps bool                  // Caps Lock is on: letters are upper case without Shift
}

func newTypist() *typist { return &typist{held: map[evdev.EvCode]bool{}} }

// key returns the character that ev types, and whether it types one.
func (t *typist) key(ev *evdev.InputEvent) (byte, bool) {
	if ev.Type == evdev.EV_SYN && ev.Code == evdev.SYN_DROPPED {
		clear(t.held)
		return keySub, true
	}
	if ev.Type != evdev.EV_KEY {
		return 0, false
	}
	if _, ok := modifiers[ev.Code]; ok {
		switch ev.Value {
		case 1:
			t.held[ev.Code] = true
		case 0:
			delete(t.held, ev.Code)
		}
		return 0, false
	}
	if ev.Value != 1 {
		return 0, false
	}
	if ev.Code == evdev.KEY_CAPSLOCK {
		t.caps = !t.caps
		return 0, false
	}
	shift := false
	for code := range t.held {
		if !modifiers[code] {
			return keySub, true // Ctrl, Alt or Meta held
		}
		shift = true
	}
	chars, ok := usKeys[ev.Code]
	if !ok {
		return keySub, true
	}
	if c := chars[0]; c >= 'a' && c <= 'z' && t.caps {
		shift = !shift
	}
	if shift {
		return chars[1], true
	}
	return chars[0], true
}
