package kiosk

import _ "embed"

// lockdownScript is injected into every page of a session, in the kiosk's isolated world.
//
//go:embed lockdown.js
var lockdownScript string

// focusScript tells the shell where the focus is, for the on-screen keyboard (keyboard.go); it
// is injected into every frame beside lockdownScript while the keyboard is on.
//
//go:embed focus.js
var focusScript string
