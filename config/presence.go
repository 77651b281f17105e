package config

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/hardware"
)

// Presence is the optional [presence] table: an HLK-LD2450 radar beside the screen that sees
// who is in front of it. Without Device the feature is off. A sensor that is missing or
// unplugged is logged and shown on the technician screen; it never stops the kiosk.
type Presence struct {
	// Device is the sensor's serial device, absolute; "" (the default) means no sensor.
	Device string `toml:"device"`
	// Baud is the sensor's serial speed: one the LD2450 can be set to (hardware.SensorRates:
	// 9600 to 460800). Default 256000, the factory setting; the kiosk sets it on the port
	// itself, although Linux has no B256000 constant.
	Baud int `toml:"baud"`
	// AlertAfter is how long a second person must stay in OverlookZone before the session is
	// warned. At least 200ms (two sensor reports); default 2s.
	AlertAfter Duration `toml:"alert_after"`
	// UserZone is where the patient stands, in front of the screen; OverlookZone is where
	// someone else could read it (around and behind the patient). Both in millimetres, in the
	// sensor's frame: x across (negative to its left), y straight out from it.
	UserZone     Zone `toml:"user_zone"`
	OverlookZone Zone `toml:"overlook_zone"`
}

// Zone is a rectangle in the sensor's frame, in millimetres: XMin ≤ x ≤ XMax, YMin ≤ y ≤ YMax.
type Zone struct {
	XMin int `toml:"x_min"`
	XMax int `toml:"x_max"`
	YMin int `toml:"y_min"`
	YMax int `toml:"y_max"`
}

// Contains reports whether the point (x, y), in mm, is inside z (edges included).
func (z Zone) Contains(x, y int) bool {
	return x >= z.XMin && x <= z.XMax && y >= z.YMin && y <= z.YMax
}

// DefaultPresence is the [presence] table of a file that has none: no sensor, and the zones
// of a sensor mounted under the screen: the patient within 40cm of its axis up to 1m out, the
// overlook zone 1.5m either side and up to 3m out.
func DefaultPresence() Presence {
	return Presence{
		Baud:         hardware.DefaultSensorBaud,
		AlertAfter:   Duration(2 * time.Second),
		UserZone:     Zone{XMin: -400, XMax: 400, YMin: 0, YMax: 1000},
		OverlookZone: Zone{XMin: -1500, XMax: 1500, YMin: 0, YMax: 3000},
	}
}

// presence validates the [presence] table; nothing but Device is checked when it is "".
func (v *validator) presence(p Presence) {
	if p.Device == "" {
		return
	}
	v.absolute("presence.device", p.Device)
	if rates := hardware.SensorRates(); !slices.Contains(rates, p.Baud) {
		use := make([]string, len(rates))
		for i, b := range rates {
			use[i] = strconv.Itoa(b)
		}
		v.report("presence.baud", "%d is not a speed the LD2450 supports; use %d (its factory setting) or another of %s", p.Baud, hardware.DefaultSensorBaud, strings.Join(use, ", "))
	}
	v.atLeast("presence.alert_after", p.AlertAfter, 200*time.Millisecond)
	v.zone("presence.user_zone", p.UserZone)
	v.zone("presence.overlook_zone", p.OverlookZone)
}

// zone checks that a zone is not empty and lies within the sensor's range (±6m across, 0–8m out).
func (v *validator) zone(key string, z Zone) {
	switch {
	case z.XMin >= z.XMax:
		v.reportNear(key+".x_min", key, "%d must be less than x_max (%d)", z.XMin, z.XMax)
	case z.YMin >= z.YMax:
		v.reportNear(key+".y_min", key, "%d must be less than y_max (%d)", z.YMin, z.YMax)
	case z.XMin < -6000 || z.XMax > 6000 || z.YMin < 0 || z.YMax > 8000:
		v.reportNear(key+".x_min", key, "out of the sensor's range: x from -6000 to 6000, y from 0 to 8000 (mm)")
	}
}
