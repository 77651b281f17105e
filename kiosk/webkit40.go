//go:build !webkit2_41

package kiosk

// The browser's GTK/WebKit hooks link WebKitGTK 4.0 (internal/webkit says why there are two).

// #cgo pkg-config: gtk+-3.0 webkit2gtk-4.0
import "C"
