package config

import (
	"slices"
	"strings"

	"github.com/carekiosk/carekiosk/hardware"
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

// Shown is whether the browser draws the on-screen keyboard on this unit: OnScreen, and for
// "auto" whether no keyboard is attached, as the input devices under sysfs ("/sys") say, not
// counting the card reader at readerDevice (a keyboard wedge the kiosk grabs). If the devices
// can't be listed it says true, with the error: with the keyboard on the screen a patient can
// always type, keys or not.
func (k Keyboard) Shown(sysfs, readerDevice string) (bool, error) {
	switch k.OnScreen {
	case OnScreenAlways:
		return true, nil
	case OnScreenNever:
		return false, nil
	}
	attached, err := hardware.KeyboardAttached(sysfs, readerDevice)
	return err != nil || !attached, err
}
