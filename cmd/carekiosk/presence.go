package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/hardware"
	"github.com/carekiosk/carekiosk/presence"
)

// startPresence runs the optional presence sensor of cfg until ctx ends, raising and clearing
// the manager's presence alert (alert). It returns the sensor's state in words for the
// technician screen ("" without a sensor). A sensor that cannot run is logged, and the kiosk
// goes on without it.
func startPresence(ctx context.Context, cfg *config.Config, alert func(on bool), log *slog.Logger) func() string {
	p := cfg.Presence
	if p.Device == "" {
		return func() string { return "" }
	}
	s, err := hardware.NewSensor(hardware.SensorOptions{Device: p.Device, Baud: p.Baud}, log)
	if err != nil {
		log.Error("presence sensor: off", "err", err)
		return func() string { return "off: " + err.Error() }
	}
	zone := func(z config.Zone) presence.Zone {
		return presence.Zone{XMin: z.XMin, XMax: z.XMax, YMin: z.YMin, YMax: z.YMax}
	}
	w := presence.NewWatcher(zone(p.UserZone), zone(p.OverlookZone), p.AlertAfter.D())
	go s.Run(ctx, func(r hardware.Report) {
		if on, changed := w.Update(r, time.Now()); changed {
			log.Info("presence sensor: someone else near the screen", "alert", on)
			alert(on)
		}
	}, func() {
		if w.Lost() && ctx.Err() == nil {
			alert(false)
		}
	})
	return s.State
}
