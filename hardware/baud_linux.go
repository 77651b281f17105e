package hardware

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// setCustomBaud sets the tty dev, already open (its settings live as long as one descriptor
// does), to any rate — 256000, the LD2450's factory rate, is not among the termios Bnnn
// constants that tarm/serial knows. It uses the termios2 interface (TCGETS2/TCSETS2, the
// BOTHER flag and explicit input and output speeds; ioctl_tty(2):
// https://man7.org/linux/man-pages/man2/ioctl_tty.2.html), through a second descriptor that
// it closes at once: the settings belong to the tty, not to the descriptor. On Linux
// unix.Termios has the layout of the kernel's struct termios2.
func setCustomBaud(dev string, baud int) error {
	f, err := os.OpenFile(dev, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return fmt.Errorf("setting %d baud: %w", baud, bare(err))
	}
	defer f.Close()
	fd := int(f.Fd())
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS2)
	if err != nil {
		return fmt.Errorf("setting %d baud: TCGETS2: %w", baud, err)
	}
	const ibshift = 16 // the input speed's bits are the output's, shifted (IBSHIFT)
	t.Cflag &^= unix.CBAUD | unix.CBAUD<<ibshift
	t.Cflag |= unix.BOTHER | unix.BOTHER<<ibshift
	t.Ispeed, t.Ospeed = uint32(baud), uint32(baud)
	if err := unix.IoctlSetTermios(fd, unix.TCSETS2, t); err != nil {
		return fmt.Errorf("setting %d baud: TCSETS2: %w", baud, err)
	}
	return nil
}

// portBaud returns the output rate the tty dev is set to (for tests and diagnostics).
func portBaud(dev string) (int, error) {
	f, err := os.OpenFile(dev, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	t, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS2)
	if err != nil {
		return 0, err
	}
	return int(t.Ospeed), nil
}
