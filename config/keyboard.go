package config

import (
	"slices"
	"strings"
)

// Keyboard is the [keyboard] table: the on-screen keyboard of touch units.
type Keyboard struct {
	// OnScreen is when the kiosk draws its own keyboard under the page while a field has the
	// focus: "auto" (the default) when the unit has no keyboard attached — a card reader the
	// kiosk reads as a keyboard does not count — "always", or "never".
	OnScreen string `toml:"on_screen"`
}

// OnScreen values.
const (
	OnScreenAuto   = "auto"
	OnScreenAlways = "always"
	OnScreenNever  = "never"
)

var onScreenValues = []string{OnScreenAuto, OnScreenAlways, OnScreenNever}

// validateKeyboard checks [keyboard].
func (v *validator) validateKeyboard(k Keyboard) {
	if !slices.Contains(onScreenValues, k.OnScreen) {
		v.report("keyboard.on_screen", "%q is not a choice; use \"%s\"", k.OnScreen, strings.Join(onScreenValues, "\", \""))
	}
}
