package display

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// wayland is a Wayland compositor — cage — driven through its virtual-keyboard (wtype) and
// virtual-pointer (pointer.go) protocols. cage focuses the newest window itself, as on a unit,
// so pid is not needed to aim.
type wayland struct {
	socket string // the compositor's socket, by absolute path
	stop   func()
}

func (w *wayland) Stack() string { return "wayland" }

// Env names the compositor's socket by absolute path: a client may have a runtime directory of
// its own (each browser of the kiosk does).
func (w *wayland) Env() []string {
	return []string{"WAYLAND_DISPLAY=" + w.socket}
}
func (w *wayland) Close() {
	if w.stop != nil {
		w.stop()
	}
}

// headless is the environment that runs cage with no screen, GPU or input device.
var headless = []string{"WLR_BACKENDS=headless", "WLR_RENDERER=pixman", "WLR_LIBINPUT_NO_DEVICES=1"}

// startCage starts a headless cage of w×h with a runtime directory of its own. Its client is a
// shell that says the compositor's socket and waits: cage stops when its client does.
func startCage(width, height int) (*wayland, error) {
	dir, err := os.MkdirTemp("", "carekiosk-cage-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("cage", "-d", "--", "sh", "-c", `echo "$WAYLAND_DISPLAY"; exec sleep infinity`)
	cmd.Env = append(append(os.Environ(), headless...), "XDG_RUNTIME_DIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cage (apt-get install cage): %w", err)
	}
	// cage and its client in a group of their own, stopped together: cage 0.2.0 does not always
	// stop on a signal while its client lives.
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	w := &wayland{stop: func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		os.RemoveAll(dir)
	}}
	line, err := bufio.NewReader(out).ReadString('\n')
	if line = strings.TrimSpace(line); err != nil || line == "" {
		w.Close()
		return nil, fmt.Errorf("cage did not start: %v", err)
	}
	w.socket = filepath.Join(dir, line)
	if err := w.resize(width, height); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// resize gives the headless output a mode of w×h (cage ≥ 0.2.0 has output management).
func (w *wayland) resize(width, height int) error {
	out, err := run(w.Env(), "wlr-randr")
	if err != nil {
		return err
	}
	name, _, _ := strings.Cut(out, " ")
	_, err = run(w.Env(), "wlr-randr", "--output", name, "--custom-mode", fmt.Sprintf("%dx%d", width, height))
	return err
}

// modifiers are xdotool's modifier names in wtype's words.
var modifiers = map[string]string{"ctrl": "ctrl", "shift": "shift", "alt": "alt", "super": "logo"}

// wtype runs wtype with args. Its first key on a fresh virtual keyboard (each run makes one) can
// be lost while the compositor and the client take in its keymap, so each run starts with a
// throwaway press of Shift, which types nothing (a page sees a keydown of "Shift" at most), and
// a pause for the keymap to arrive.
func (w *wayland) wtype(args ...string) error {
	_, err := run(w.Env(), "wtype", append([]string{"-k", "Shift_L", "-s", "100"}, args...)...)
	return err
}

func (w *wayland) Key(_ int, chords ...string) error {
	var args []string
	for _, chord := range chords {
		parts := strings.Split(chord, "+")
		key, mods := parts[len(parts)-1], parts[:len(parts)-1]
		for _, m := range mods {
			args = append(args, "-M", modifiers[m])
		}
		args = append(args, "-k", key)
		for i := len(mods) - 1; i >= 0; i-- {
			args = append(args, "-m", modifiers[mods[i]])
		}
		args = append(args, "-s", "30")
	}
	return w.wtype(args...)
}

func (w *wayland) Type(_ int, text string) error { return w.wtype("-d", "20", text) }

// ErrNoSelection: cage has no data-control protocol, and only the focused client (the kiosk)
// is offered the selections: nothing outside can read them.
var ErrNoSelection = errors.New("the compositor lets no other client read the selections (cage has no data-control)")

func (w *wayland) Primary() (string, error) { return "", ErrNoSelection }

// Click touches x, y with a virtual pointer (pointer.go).
func (w *wayland) Click(_ int, x, y int) error { return w.Hold(0, x, y, nil) }

// Hold touches x, y with a virtual pointer and runs while before letting go (pointer.go).
func (w *wayland) Hold(_ int, x, y int, while func() error) error {
	size, err := w.size()
	if err != nil {
		return err
	}
	return touch(w.socket, x, y, size.X, size.Y, while)
}

// size is the output's current mode, as wlr-randr reports it ("1280x1024 px (current)").
func (w *wayland) size() (image.Point, error) {
	out, err := run(w.Env(), "wlr-randr")
	if err != nil {
		return image.Point{}, err
	}
	for _, l := range strings.Split(out, "\n") {
		var p image.Point
		if strings.Contains(l, "(current)") {
			if _, err := fmt.Sscanf(strings.TrimSpace(l), "%dx%d px", &p.X, &p.Y); err == nil {
				return p, nil
			}
		}
	}
	return image.Point{}, fmt.Errorf("wlr-randr names no current mode:\n%s", out)
}

func (w *wayland) Shot(path string) error {
	_, err := run(w.Env(), "grim", path)
	return err
}

// ErrUnlisted: the compositor has no protocol that lists windows (cage has no
// foreign-toplevel management), so the windows on it can't be counted from outside.
var ErrUnlisted = errors.New("the compositor can't list its windows (cage has no foreign-toplevel management)")

func (w *wayland) Windows() (int, string, error) { return 0, "", ErrUnlisted }
