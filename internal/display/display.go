// Package display is a screen the kiosk draws on and a patient's hands on it, for the tests and
// the bench: keys, typing, touches and screenshots on either of the kiosk's two display stacks.
//
//   - Wayland, the product's: cage (headless wlroots, pixman renderer). wtype presses keys and
//     wlrctl touches through cage's virtual-keyboard and virtual-pointer protocols (cage ≥ 0.1.5),
//     grim takes screenshots. cage gives the newest window the focus, as it does on a unit.
//   - X11, for development and the first test tier: Xvfb, xdotool, ImageMagick's import.
//
// A real screen, keyboard or touch panel can't be attached on these machines (no GPU, no
// uinput): these protocols are the nearest real thing, the same paths a compositor's own input
// takes into GTK.
package display

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strings"
)

// Display is one screen with a keyboard and a pointer.
type Display interface {
	// Stack is "wayland" or "x11".
	Stack() string
	// Env is what a client needs in its environment to draw here.
	Env() []string
	// Key presses chords, xdotool style ("Return", "ctrl+shift+i", "super+e"), in the window of
	// process pid (X11) or the focused one (Wayland: the compositor's choice, as on a unit).
	Key(pid int, chords ...string) error
	// Type types text into the focused field of pid's window.
	Type(pid int, text string) error
	// Click touches the screen at x, y (pid's window gets the focus first on X11).
	Click(pid, x, y int) error
	// Windows counts the windows a patient can see (mapped, on the screen), and lists them.
	Windows() (int, string, error)
	// Shot saves the whole screen as a PNG.
	Shot(path string) error
	// Close stops a display this package started; the ambient one stays.
	Close()
}

// FromEnv is the display this process runs on: WAYLAND_DISPLAY if set, else DISPLAY.
func FromEnv() (Display, error) {
	if w := os.Getenv("WAYLAND_DISPLAY"); w != "" {
		return &wayland{runtime: os.Getenv("XDG_RUNTIME_DIR"), socket: w}, nil
	}
	if d := os.Getenv("DISPLAY"); d != "" {
		return &x11{display: d}, nil
	}
	return nil, fmt.Errorf("no display: neither WAYLAND_DISPLAY nor DISPLAY is set (scripts/with-display makes one)")
}

// Start starts a private display of w×h on the same stack as the ambient one.
func Start(w, h int) (Display, error) {
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		return startCage(w, h)
	}
	return startXvfb(w, h)
}

// Blank reports whether a screenshot shows nothing: all but a few pixels (at most one in 500,
// a cursor's worth) of one colour. A screen the kiosk drew has text on it.
func Blank(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	img, err := png.Decode(bufio.NewReader(f))
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	b := img.Bounds()
	counts := map[[3]uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
		}
	}
	most, total := 0, 0
	for _, n := range counts {
		total += n
		most = max(most, n)
	}
	return total-most <= total/500, nil
}

// Size reads the size of a screenshot.
func Size(path string) (image.Point, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return image.Point{}, err
	}
	c, err := png.DecodeConfig(bytes.NewReader(b))
	return image.Point{c.Width, c.Height}, err
}

// run runs a tool with env added to this process's environment.
func run(env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return string(out), nil
}
