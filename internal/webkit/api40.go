//go:build !webkit2_41

package webkit

const (
	// API is the WebKitGTK API version this build links.
	API = "4.0"
	// Library is the unversioned name webview_go dlopens (with RTLD_NOLOAD, to find the WebKit
	// the browser is linked with); only the -dev package puts it in the loader's path.
	Library = "libwebkit2gtk-4.0.so"
	// Runtime is the shared object the browser is linked with.
	Runtime = "libwebkit2gtk-4.0.so.37"
	// Soup is the HTTP library of this API; a browser with the other one loaded aborts at start.
	Soup = "libsoup-2.4.so.1"
	// DevPackage is the Debian package that provides Library.
	DevPackage = "libwebkit2gtk-4.0-dev"
)
