// Package assets holds the kiosk's own user interface, embedded in the binary: the overlay script
// that draws it over every page, its style sheet, the screens' templates and their translations.
package assets

import "embed"

// FS is the embedded UI: kiosk.js, kiosk.css, blank.html, screens/*.html, i18n/*.json.
//
//go:embed kiosk.js kiosk.css blank.html screens i18n
var FS embed.FS
