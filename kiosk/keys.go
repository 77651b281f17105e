package kiosk

// Key is a key press as GTK reports it: the keyval in lower case and the modifiers that matter.
type Key struct {
	Val              uint // a GDK keyval, lower-cased (GDK_KEY_a is 'a')
	Ctrl, Shift, Alt bool
	Super            bool
}

// GDK keyvals of the function keys and a few others.
const (
	keyF1     = 0xffbe
	keyF3     = 0xffc0
	keyF5     = 0xffc2
	keyF6     = 0xffc3
	keyF7     = 0xffc4
	keyF11    = 0xffc8
	keyF12    = 0xffc9
	keyF4     = 0xffc1
	keyHome   = 0xff50
	keyLeft   = 0xff51
	keyRight  = 0xff53
	keyEscape = 0xff1b
)

// Swallowed reports whether a key press must never reach the page or GTK: keys that open,
// save, print, close, inspect or leave — new/close window or tab, open, save, print, view
// source, history, downloads, address bar, find bar, developer tools and the GTK inspector,
// help, caret browsing, full screen, Alt+F4, the emoji chooser. Zoom, typing, Tab and Enter stay.
func Swallowed(k Key) bool {
	switch k.Val {
	case keyF1, keyF3, keyF6, keyF7, keyF11, keyF12:
		return true
	case keyF5:
		return k.Ctrl || k.Shift || k.Alt // plain F5 reloads the page: harmless
	case keyF4:
		return k.Alt || k.Ctrl
	case keyHome, keyLeft, keyRight:
		return k.Alt // browser-style home/back/forward: the kiosk bar is the way out
	}
	if k.Super {
		return true
	}
	if k.Alt && k.Val == 'd' {
		return true // address bar
	}
	if !k.Ctrl {
		return false
	}
	if k.Shift && (k.Val == 'c' || k.Val == 'm') {
		return true // inspector element picker, responsive design mode
	}
	switch k.Val {
	case 'n', 'w', 't', 'o', 's', 'p', 'u', 'h', 'j', 'l', 'f', 'g', 'q', 'd', 'e', 'k', 'b', 'y', 'i':
		return true // new, close, tab, open, save, print, source, history, downloads, location, find, quit, bookmarks, …
	case '.', ';':
		return true // GTK's emoji chooser, a popover of its own over an editable field
	}
	return false
}

// Zoom is what a zoom key asks for: +1 in, -1 out, 0 reset; ok false for any other key.
func Zoom(k Key) (step int, ok bool) {
	if !k.Ctrl || k.Alt {
		return 0, false
	}
	switch k.Val {
	case '+', '=', 0xffab: // plus, equals (unshifted plus), keypad plus
		return 1, true
	case '-', 0xffad: // minus, keypad minus
		return -1, true
	case '0', 0xffb0:
		return 0, true
	}
	return 0, false
}
