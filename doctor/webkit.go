package doctor

import "github.com/carekiosk/carekiosk/internal/webkit"

// webkitLibrary is the name webview_go dlopens at run time (with RTLD_NOLOAD, to find the WebKit
// the binary is linked with). Without it the browser starts but its calls into WebKit silently
// do nothing, so doctor opens exactly this name the way the loader would.
const webkitLibrary = webkit.Library

// checkBrowser finds carekiosk-shell, the program each session's browser runs as.
func checkBrowser(e *Env, st *state) Result {
	r := Result{Check: "browser"}
	p, err := e.Browser()
	if err != nil {
		r.Level, r.Msg = Fail, err.Error()
		r.Fix = "install carekiosk-shell beside carekiosk or in ../lib/carekiosk/ (make install does)"
		return r
	}
	r.Level, r.Msg = OK, p
	return r
}

// checkWebKit dlopens the unversioned WebKitGTK library.
func checkWebKit(e *Env, st *state) Result {
	r := Result{Check: "webkit"}
	if err := e.Dlopen(webkitLibrary); err != nil {
		r.Level, r.Msg = Fail, "cannot load "+webkitLibrary+": "+err.Error()
		r.Fix = "apt install " + webkit.DevPackage + " (it provides " + webkitLibrary + ", which the browser opens by that name)"
		return r
	}
	r.Level, r.Msg = OK, webkitLibrary+" loads"
	return r
}
