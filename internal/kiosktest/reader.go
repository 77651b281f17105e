package kiosktest

import (
	"io"
	"os"
	"time"

	"github.com/creack/pty"
)

// Plug connects a card reader: a fresh pty whose slave the config's device links to.
func (k *Kiosk) Plug() error {
	master, slave, err := pty.Open()
	if err != nil {
		return err
	}
	k.ptys = append(k.ptys, master, slave)
	os.Remove(k.Device)
	k.Reader = master
	return os.Symlink(slave.Name(), k.Device)
}

// Unplug pulls the reader out: its pty goes away.
func (k *Kiosk) Unplug() {
	k.Reader.Close()
	os.Remove(k.Device)
}

// Swipe sends a card number as a line reader would and returns when its last byte is in.
func (k *Kiosk) Swipe(number string) (time.Time, error) {
	_, err := io.WriteString(k.Reader, number+"\r\n")
	return time.Now(), err
}
