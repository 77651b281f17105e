// Package display is a screen the kiosk draws on and a patient's hands on it, for the tests and
// the bench: keys, typing, touches and screenshots on either of the kiosk's two display stacks.
//
//   - Wayland, the product's: cage (headless wlroots, pixman renderer). wtype presses keys and a
//     virtual pointer of our own touches (pointer.go), through cage's virtual-keyboard and
//     virtual-pointer protocols (cage ≥ 0.1.5); grim takes screenshots. cage gives the newest
//     window the focus, as it does on a unit.
//   - X11, for development and the first test tier: Xvfb, xdotool, ImageMagick's import.
//
// A real screen, keyboard or touch panel can't be attached on these machines (no GPU, no
// uinput): these protocols are the nearest real thing, the same paths a compositor's own input
// takes into GTK.
package display

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
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
	// Hold touches the screen at x, y and runs while with the finger still down, then lifts it.
	Hold(pid, x, y int, while func() error) error
	// Windows counts the windows a patient can see (mapped, on the screen), and lists them.
	Windows() (int, string, error)
	// Shot saves the whole screen as a PNG.
	Shot(path string) error
	// Primary is the text a middle click would paste: what was last selected. ErrNoSelection
	// where no client but the focused one may read it (cage).
	Primary() (string, error)
	// Close stops a display this package started; the ambient one stays.
	Close()
}

// FromEnv is the display this process runs on: WAYLAND_DISPLAY if set, else DISPLAY.
func FromEnv() (Display, error) {
	if w := os.Getenv("WAYLAND_DISPLAY"); w != "" {
		if !filepath.IsAbs(w) {
			w = filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), w)
		}
		return &wayland{socket: w}, nil
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

// Settled saves a screenshot of d at path once the screen has settled: two shots in a row
// (taken as fast as the tool goes) with the same pixels, within the given time. A page's own
// report that it has drawn comes before the compositor has the frame (on Wayland by a frame or
// more), so a single shot can show the screen before. It says whether the screen is blank: all
// but a few pixels (at most one in 500, a cursor's worth) of one colour.
func Settled(d Display, path string, within time.Duration) (blank bool, err error) {
	var last [sha256.Size]byte
	for deadline := time.Now().Add(within); ; {
		if err := d.Shot(path); err != nil {
			return false, err
		}
		img, err := decode(path)
		if err != nil {
			return false, err
		}
		sum := sha256.Sum256(img.Pix)
		if sum == last || time.Now().After(deadline) {
			return isBlank(img), nil
		}
		last = sum
	}
}

func decode(path string) (*image.RGBA, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba, nil
}

// PointerArea is where a compositor that draws the pointer (cage draws the virtual pointer of
// Hold and Click) may have drawn it when its hot spot is at at: cursor images are 32 px at most,
// and a hand's hot spot, its fingertip, is up to 16 px in from the left and top.
func PointerArea(at image.Point) image.Rectangle {
	return image.Rectangle{at.Sub(image.Pt(16, 16)), at.Add(image.Pt(32, 32))}
}

// PixelAt is the colour of the screenshot at path at x, y.
func PixelAt(path string, x, y int) (color.RGBA, error) {
	img, err := decode(path)
	if err != nil {
		return color.RGBA{}, err
	}
	return img.RGBAAt(x, y), nil
}

// Differ reports whether the screenshots at a and b differ anywhere within r, not counting the
// except rectangles.
func Differ(a, b string, r image.Rectangle, except ...image.Rectangle) (bool, error) {
	ia, err := decode(a)
	if err != nil {
		return false, err
	}
	ib, err := decode(b)
	if err != nil {
		return false, err
	}
	if ia.Bounds() != ib.Bounds() {
		return true, nil
	}
	r = r.Intersect(ia.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ia.RGBAAt(x, y) != ib.RGBAAt(x, y) && !slices.ContainsFunc(except, image.Pt(x, y).In) {
				return true, nil
			}
		}
	}
	return false, nil
}

// Dominant is the colour most of a screenshot has (a screen's background), and its share of the
// pixels.
func Dominant(path string) (color.RGBA, float64, error) {
	img, err := decode(path)
	if err != nil {
		return color.RGBA{}, 0, err
	}
	c, share := dominant(img)
	return c, share, nil
}

func dominant(img *image.RGBA) (color.RGBA, float64) {
	counts := map[color.RGBA]int{}
	total := 0
	for i := 0; i+3 < len(img.Pix); i += 4 * 3 { // every third pixel
		counts[color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 0xff}]++
		total++
	}
	var most color.RGBA
	for c, n := range counts {
		if n > counts[most] {
			most = c
		}
	}
	return most, float64(counts[most]) / float64(max(total, 1))
}

// isBlank: all but a few pixels (at most one in 500, a cursor's worth) of one colour.
func isBlank(img *image.RGBA) bool {
	_, share := dominant(img)
	return share >= 0.998
}

// selection runs a clipboard tool (xclip): its output, or "" when it says nothing
// offers the selection (it exits 1); an error only when the tool can't run.
func selection(env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return string(out), nil
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
