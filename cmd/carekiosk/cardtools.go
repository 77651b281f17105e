package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/control"
	"github.com/carekiosk/carekiosk/hardware"
)

// technicianReader loads the config at path and returns a Reader of its [reader] with the
// unit's key. It refuses while the kiosk runs: two processes reading one serial device would
// each get part of every card.
func technicianReader(path string) (*hardware.Reader, *hardware.Keyer, error) {
	cfg, _, err := loadForRun(path, false)
	if err != nil {
		return nil, nil, err
	}
	if _, err := control.Call(cfg.ControlSocket, control.Request{Cmd: "status"}); err == nil {
		return nil, nil, fmt.Errorf("the kiosk is running (it answers on %s) and reads %s itself: stop it first (systemctl stop carekiosk), then try again", cfg.ControlSocket, cfg.Reader.Device)
	}
	keyer, err := hardware.LoadKeyer(cfg.StateDir)
	if err != nil {
		return nil, nil, err
	}
	r, err := hardware.NewReader(cfg.Reader.Options(), keyer, nil)
	return r, keyer, err
}

// cardHash reads one card and prints its identity, for [auth] allowlist and technician_cards.
func cardHash(args []string) error {
	fs := flag.NewFlagSet("card-hash", flag.ExitOnError)
	path := fs.String("config", config.DefaultPath, "config file")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up after this long without a card")
	fs.Parse(args)
	if fs.NArg() > 0 {
		return fmt.Errorf("usage: carekiosk card-hash [-config FILE] [-timeout 2m]")
	}
	r, _, err := technicianReader(*path)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	events := make(chan hardware.Event, 16)
	go r.Run(ctx, events)
	fmt.Fprintf(os.Stderr, "present the card to enrol on %s …\n", r.Device())
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("no card read within %s", *timeout)
		case ev := <-events:
			switch ev.Kind {
			case hardware.Card:
				fmt.Println(ev.Card) // the HMAC under this unit's key, never the number
				return nil
			case hardware.Unreadable:
				fmt.Fprintf(os.Stderr, "not a card (%s): try again\n", ev.Detail)
			case hardware.Disconnected:
				fmt.Fprintf(os.Stderr, "reader not connected: %s; waiting for it\n", ev.Detail)
			}
		}
	}
}

// readerView is the technician's live view of the card reader.
func readerView(args []string) error {
	fs := flag.NewFlagSet("reader", flag.ExitOnError)
	path := fs.String("config", config.DefaultPath, "config file")
	quiet := fs.Duration("quiet-after", 10*time.Second, "say so when nothing arrives for this long")
	fs.Parse(args)
	if fs.NArg() > 0 {
		return fmt.Errorf("usage: carekiosk reader [-config FILE] [-quiet-after 10s]")
	}
	r, _, err := technicianReader(*path)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return r.Monitor(ctx, hardware.MonitorOptions{QuietAfter: *quiet}, func(line string) {
		fmt.Printf("%s  %s\n", time.Now().Format(time.TimeOnly), line)
	})
}
