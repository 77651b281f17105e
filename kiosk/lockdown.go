package kiosk

import _ "embed"

// lockdownScript is injected into every page of a session, in the kiosk's isolated world.
//
//go:embed lockdown.js
var lockdownScript string
