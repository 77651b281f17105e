// Package webkit names the WebKitGTK API a build of carekiosk is for — 4.0 (Debian 12, libsoup 2)
// or 4.1 (Debian 13, Ubuntu 24.04, libsoup 3), the same C API on two HTTP stacks — so that the
// doctor, the tests and the packaging agree with the browser's cgo line. The build tag
// webkit2_41 chooses 4.1; `make` sets it from what is installed (scripts/webkit).
package webkit
