// Package carekiosk is the root of the carekiosk module: the software of a public kiosk on which
// patients open their online health and social care records. See README.md and the packages
// beneath: cmd/carekiosk (the binary), kiosk (the browser shell), session (the state machine and
// the manager that wipes), hardware (card readers), config, assets.
package carekiosk
