package kiosk

/*
#include <stdlib.h>
#include "hooks.h"
*/
import "C"

import (
	"time"
	"unsafe"
)

// The callbacks below are called by hooks.c on the GTK thread. They reach the one shell of this
// process through current: a shell process has exactly one window.

//export ckAllowed
func ckAllowed(uri *C.char) C.int {
	if current.policy.Allows(C.GoString(uri)) {
		return 1
	}
	return 0
}

//export ckHostAllowed
func ckHostAllowed(host *C.char) C.int {
	if current.policy.Hosts.Match(C.GoString(host)) {
		return 1
	}
	return 0
}

//export ckPDFViewer
func ckPDFViewer(uri *C.char) C.int {
	if current.pdfShown && PDFViewer(C.GoString(uri)) {
		return 1
	}
	return 0
}

//export ckResponse
func ckResponse(mainFrame C.gboolean, mime *C.char) {
	current.response(mainFrame != 0, C.GoString(mime))
}

//export ckAuth
func ckAuth() { current.authAsked() }

//export ckKey
func ckKey(keyval, mods C.guint) C.int {
	k := Key{Val: uint(keyval), Shift: mods&C.GDK_SHIFT_MASK != 0, Ctrl: mods&C.GDK_CONTROL_MASK != 0,
		Alt: mods&C.GDK_MOD1_MASK != 0, Super: mods&C.GDK_SUPER_MASK != 0}
	if step, ok := Zoom(k); ok {
		return [...]C.int{C.CK_KEY_ZOOM_OUT, C.CK_KEY_ZOOM_RESET, C.CK_KEY_ZOOM_IN}[step+1]
	}
	if Swallowed(k) {
		return C.CK_KEY_SWALLOW
	}
	return C.CK_KEY_PASS
}

//export ckDialogAllowed
func ckDialogAllowed() C.int {
	if current.dialogs.Allow(time.Now()) {
		return 1
	}
	return 0
}

//export ckPrintAllowed
func ckPrintAllowed() C.int {
	if current.prints.Allow(time.Now()) {
		return 1
	}
	current.printLimited()
	return 0
}

//export ckFilterReady
func ckFilterReady(ok C.int, msg *C.char) { current.filterReady(ok != 0, C.GoString(msg)) }

//export ckRefused
func ckRefused(uri, what *C.char) { current.refused(C.GoString(uri), C.GoString(what)) }

//export ckLoaded
func ckLoaded(uri *C.char) { current.loaded(C.GoString(uri)) }

//export ckFailed
func ckFailed(uri, msg *C.char) { current.failed(C.GoString(uri), C.GoString(msg)) }

//export ckActivity
func ckActivity() { current.activity() }

//export ckMessage
func ckMessage(s *C.char) { current.message(C.GoString(s)) }

//export ckQuickExit
func ckQuickExit() { current.quickExit() }

//export ckPrinted
func ckPrinted(ok C.int, msg *C.char) { current.printed(ok != 0, C.GoString(msg)) }

//export ckCrashed
func ckCrashed(reason C.int) { current.crashed(int(reason)) }

// window is the shell's GtkWindow; every method must run on the GTK thread.
type window struct{ w *C.GtkWidget }

func gtkInit() bool { return C.ck_gtk_init() != 0 }

// sandbox puts every web process in WebKit's bubblewrap sandbox; false if WebKit refused.
func sandbox() bool { return C.ck_sandbox() != 0 }

func newWindow(windowed bool, width, height int) window {
	return window{C.ck_window_new(cbool(windowed), C.int(width), C.int(height))}
}

func (w window) ptr() unsafe.Pointer { return unsafe.Pointer(w.w) }

// setup says false if WebKit's preconnect could not be turned off (see no_preconnect).
// setup locks the view down: script is the kiosk's overlay (top frame), frames the scripts of
// every frame (lockdown.js, and focus.js with the on-screen keyboard); accelerated allows GPU
// compositing, else WebKit renders in software.
func (w window) setup(script, frames, rules, filterDir string, printing, accelerated bool) bool {
	var ok C.int
	withCString(script, func(s *C.char) {
		withCString(frames, func(l *C.char) {
			withCString(rules, func(r *C.char) {
				withCString(filterDir, func(d *C.char) { ok = C.ck_setup(w.w, s, l, r, d, cbool(printing), cbool(accelerated)) })
			})
		})
	})
	return ok != 0
}

func (w window) show() { C.ck_show(w.w) }

// standby maps the window off the screen where it can (see ck_standby), else leaves it hidden;
// it says whether it did.
func (w window) standby(offscreen bool) bool { return C.ck_standby(w.w, cbool(offscreen)) != 0 }

// raise brings the window back on top of windows mapped since (see ck_raise).
func (w window) raise() { C.ck_raise(w.w) }

func (w window) hide() { C.ck_hide(w.w) }

func (w window) trust(pem, host string) bool {
	var ok C.int
	withCString(pem, func(p *C.char) {
		withCString(host, func(h *C.char) { ok = C.ck_trust(w.w, p, h) })
	})
	return ok != 0
}

func (w window) eval(js string) { withCString(js, func(s *C.char) { C.ck_eval(w.w, s) }) }

func (w window) loadURI(uri string) { withCString(uri, func(s *C.char) { C.ck_load_uri(w.w, s) }) }

func (w window) loadHTML(html string) { withCString(html, func(s *C.char) { C.ck_load_html(w.w, s) }) }

// authAnswer answers the site that asked for HTTP authentication: sign in with user and
// password (the page reloads), or cancel (ok false).
func (w window) authAnswer(user, password string, ok bool) {
	if !ok {
		C.ck_auth_answer(w.w, nil, nil)
		return
	}
	withCString(user, func(u *C.char) {
		withCString(password, func(p *C.char) { C.ck_auth_answer(w.w, u, p) })
	})
}

func withCString(s string, f func(*C.char)) {
	cs := C.CString(s)
	defer C.free(unsafe.Pointer(cs))
	f(cs)
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
