package main

import (
	"errors"
	"flag"
	"os"
	"time"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/doctor"
)

// runDoctor checks the installation: one line per check, exit 1 if any fails.
func runDoctor(args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ExitOnError)
	path := fs.String("config", config.DefaultPath, "config file")
	listen := fs.Duration("listen", 5*time.Second, "how long to listen for a card on the reader")
	fs.Parse(args)
	if fs.NArg() > 0 {
		return errors.New("usage: carekiosk doctor [-config FILE] [-listen 5s]")
	}
	env := doctor.Defaults(*path)
	env.Listen = *listen
	if doctor.Failed(doctor.Run(env, os.Stdout)) {
		os.Exit(1)
	}
	return nil
}
