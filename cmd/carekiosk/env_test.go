package main

import (
	"slices"
	"testing"
)

// TestDisplay: a relative Wayland display is a socket in XDG_RUNTIME_DIR, and the shells get it
// by absolute path, since each has an XDG_RUNTIME_DIR of its own.
func TestDisplay(t *testing.T) {
	for _, tc := range []struct {
		name, wayland, runtime, x11 string
		want                        display
	}{
		{"relative wayland", "wayland-1", "/run/user/7", "", display{Wayland: "/run/user/7/wayland-1"}},
		{"absolute wayland", "/run/carekiosk/wayland-0", "/run/user/7", "", display{Wayland: "/run/carekiosk/wayland-0"}},
		{"x11", "", "/run/user/7", ":90", display{X11: ":90"}},
		{"none", "", "", "", display{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("WAYLAND_DISPLAY", tc.wayland)
			t.Setenv("XDG_RUNTIME_DIR", tc.runtime)
			t.Setenv("DISPLAY", tc.x11)
			if got := displayFromEnv(); got != tc.want {
				t.Errorf("displayFromEnv() = %+v, want %+v", got, tc.want)
			}
			env := displayEnv()
			if tc.want.Wayland != "" && !slices.Contains(env, "WAYLAND_DISPLAY="+tc.want.Wayland) {
				t.Errorf("displayEnv() = %q, want WAYLAND_DISPLAY=%s", env, tc.want.Wayland)
			}
			if tc.want.X11 != "" && !slices.Contains(env, "DISPLAY="+tc.want.X11) {
				t.Errorf("displayEnv() = %q, want DISPLAY=%s", env, tc.want.X11)
			}
		})
	}
}
