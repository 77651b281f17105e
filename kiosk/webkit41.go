//go:build webkit2_41

package kiosk

// The browser's GTK/WebKit hooks link WebKitGTK 4.1 (internal/webkit says why there are two).

// #cgo pkg-config: gtk+-3.0 webkit2gtk-4.1
import "C"
