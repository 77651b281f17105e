package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/control"
)

// TestCardHash: card-hash prints the card's HMAC under the unit's key — the allowlist's
// format — and never the card number; while the kiosk runs it refuses, saying why.
func TestCardHash(t *testing.T) {
	const number = "29912345678901"
	k := newKiosk(t, quick) // not started: the card tools read its config and reader
	cmd := exec.Command(binary, "card-hash", "-config", k.Config, "-timeout", "20s")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Keep sending until it reads: the command opens the pty some time after it starts.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-time.After(200 * time.Millisecond):
			k.Reader.Write([]byte(number + "\r\n"))
		}
	}
	all := out.String() + errOut.String()
	if strings.Contains(all, number) || strings.Contains(all, number[:8]) {
		t.Errorf("card-hash printed the card number: %q", all)
	}
	key, kerr := os.ReadFile(filepath.Join(k.Dir, "state", "card.key"))
	if err != nil || kerr != nil {
		t.Fatalf("card-hash: %v (%v); printed %q", err, kerr, all)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(number))
	if got, want := strings.TrimSpace(out.String()), hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("card-hash printed %q, want the HMAC %q", got, want)
	}

	// A kiosk running (here, something answering on its control socket): refused.
	l, lerr := control.Listen(filepath.Join(k.Dir, "control.sock"))
	if lerr != nil {
		t.Fatal(lerr)
	}
	defer l.Close()
	go control.Serve(l, func(control.Request) control.Reply { return control.Reply{Status: []byte("{}")} }, slog.New(slog.DiscardHandler))
	for _, c := range []string{"card-hash", "reader"} {
		o, err := runCLI(c, "-config", k.Config)
		if err == nil || !strings.Contains(o, "the kiosk is running") {
			t.Errorf("carekiosk %s with the kiosk running: %v, %q; want a refusal that says why", c, err, o)
		}
	}
}
