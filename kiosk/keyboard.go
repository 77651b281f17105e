package kiosk

/*
#include <stdlib.h>
#include "hooks.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/carekiosk/carekiosk/keyboard"
	"github.com/carekiosk/carekiosk/wire"
)

// hideAfter: a field that loses the focus hides the keyboard only if no other field takes it
// within this long, so that moving from one field to the next doesn't make it flicker.
const hideAfter = 200 * time.Millisecond

// evField is focus.js's message: a field took the focus (Name "text" or "password") or lost it ("").
const evField = "field"

// GDK keyvals of the keys that type no character.
const (
	keyBackSpace = 0xff08
	keyTab       = 0xff09
	keyReturn    = 0xff0d
)

// onScreen is the shell's on-screen keyboard: a keyboard.Board drawn by keyboard.c under the web
// view, shown while a field that takes typing has the focus (focus.js, and kiosk.js for the
// kiosk's own prompts). Its methods run on the GTK thread.
type onScreen struct {
	s       *shell
	grid    *C.GtkWidget
	board   keyboard.Board
	shown   bool
	private bool // the field is a password field: no key shows it was touched
	focus   int  // counts focus changes, so that a late hide can't undo a newer focus
}

// newOnScreen puts a keyboard, hidden, under s's web view.
func newOnScreen(s *shell) *onScreen {
	k := &onScreen{s: s, grid: C.ck_kbd_new(s.win.w)}
	k.draw()
	return k
}

// draw lays the board's keys out anew: each row centred in keyboard.Columns half keys.
func (k *onScreen) draw() {
	C.ck_kbd_clear(k.grid)
	for r, row := range k.board.Rows() {
		width := 0
		for _, key := range row {
			width += key.Width
		}
		left := (keyboard.Columns - width) / 2
		for c, key := range row {
			withCString(key.Label, func(label *C.char) {
				withCString(key.Name, func(name *C.char) {
					C.ck_kbd_key(k.grid, label, name, C.int(r<<8|c), C.int(left), C.int(r), C.int(key.Width), cbool(key.Action != keyboard.Type || key.Name == "space"))
				})
			})
			left += key.Width
		}
	}
}

// field: the focus went to a field of kind "text" or "password", or left one ("").
func (k *onScreen) field(kind string) {
	k.focus++
	if kind != "" {
		k.set(true, kind == "password")
		return
	}
	focus := k.focus
	time.AfterFunc(hideAfter, func() {
		k.s.dispatch(func() {
			if k.focus == focus {
				k.set(false, false)
			}
		})
	})
}

// pageChanged: a new page replaced the one whose field had the focus.
func (k *onScreen) pageChanged() {
	k.focus++
	k.set(false, false)
}

func (k *onScreen) set(shown, private bool) {
	if shown == k.shown && private == k.private {
		return
	}
	if shown && !k.shown {
		k.board.Reset()
		k.draw()
	}
	k.shown, k.private = shown, private
	C.ck_kbd_show(k.grid, cbool(shown), cbool(private))
	detail := "hidden"
	if shown {
		detail = map[bool]string{false: "text", true: "password"}[private]
	}
	go k.s.send(wire.Event{Ev: wire.EvKeyboard, Detail: detail})
}

// language follows the language of the kiosk's screens.
func (k *onScreen) language(lang string) {
	if k.board.SetLanguage(lang) {
		k.draw()
	}
}

// touch: the key at id (row<<8 | column) was touched.
func (k *onScreen) touch(id int) {
	key, changed, ok := k.board.Press(id>>8, id&0xff)
	if !ok {
		return
	}
	switch key.Action {
	case keyboard.Type:
		for _, r := range key.Text {
			C.ck_kbd_type(k.s.win.w, C.ck_unicode_keyval(C.guint32(r)))
		}
	case keyboard.Backspace:
		C.ck_kbd_type(k.s.win.w, keyBackSpace)
	case keyboard.Enter:
		C.ck_kbd_type(k.s.win.w, keyReturn)
	case keyboard.Tab:
		C.ck_kbd_type(k.s.win.w, keyTab)
	}
	if changed {
		k.draw()
	}
}

// keyPlace is where a key is drawn, in the window's coordinates.
type keyPlace struct {
	Name       string
	X, Y, W, H int
}

// state is the keyboard as the read-ui answer reports it, for the tests.
func (k *onScreen) state() any {
	cs := C.ck_kbd_keys(k.grid)
	defer C.free(unsafe.Pointer(cs))
	var keys []keyPlace
	for _, line := range strings.Split(C.GoString(cs), "\n") {
		var p keyPlace
		if _, err := fmt.Sscanf(line, "%s %d %d %d %d", &p.Name, &p.X, &p.Y, &p.W, &p.H); err == nil {
			keys = append(keys, p)
		}
	}
	return map[string]any{"shown": k.shown, "private": k.private, "keys": keys}
}

//export ckKeyboard
func ckKeyboard(id C.int) {
	current.activity()
	current.osk.touch(int(id))
}

// withKeyboard adds the on-screen keyboard's state to the overlay's read-ui answer, as its
// "keyboard" member.
func (s *shell) withKeyboard(detail string) string {
	if s.osk == nil {
		return detail
	}
	var m map[string]any
	if json.Unmarshal([]byte(detail), &m) != nil {
		return detail
	}
	m["keyboard"] = s.osk.state()
	b, err := json.Marshal(m)
	if err != nil {
		return detail
	}
	return string(b)
}
