package display

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// x11 is an X server: Xvfb, driven by xdotool. There is no window manager: a key press or a
// touch first gives the kiosk's visible window the focus.
type x11 struct {
	display string
	stop    func()
}

func (x *x11) Stack() string { return "x11" }

// Primary reads the PRIMARY selection with xclip.
func (x *x11) Primary() (string, error) {
	return selection(x.Env(), "xclip", "-o", "-selection", "primary")
}
func (x *x11) Env() []string { return []string{"DISPLAY=" + x.display} }
func (x *x11) Close() {
	if x.stop != nil {
		x.stop()
	}
}

// startXvfb starts an Xvfb of w×h on a free display number, which Xvfb chooses itself and
// writes to a pipe once it listens (-displayfd): two test processes choosing at once can't end
// up on one display.
func startXvfb(w, h int) (*x11, error) {
	r, wr, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{wr}
	err = cmd.Start()
	wr.Close()
	if err != nil {
		return nil, fmt.Errorf("Xvfb (apt-get install xvfb): %w", err)
	}
	x := &x11{stop: func() { cmd.Process.Kill(); cmd.Wait() }}
	r.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		x.Close()
		return nil, fmt.Errorf("Xvfb did not start: %w", err)
	}
	x.display = ":" + strings.TrimSpace(n)
	return x, nil
}

// xdotool runs xdotool here. A window that goes away while xdotool walks the window tree (a
// browser being wiped) makes it fail with BadWindow: that is tried again.
func (x *x11) xdotool(args ...string) (string, error) {
	for try := 1; ; try++ {
		out, err := run(x.Env(), "xdotool", args...)
		if err == nil || !strings.Contains(out, "BadWindow") || try == 5 {
			return out, err
		}
	}
}

// focus gives the keyboard to pid's visible window (the last one mapped, if several).
func (x *x11) focus(pid int) error {
	out, err := x.xdotool("search", "--all", "--onlyvisible", "--pid", fmt.Sprint(pid), "--name", "^carekiosk$")
	ids := strings.Fields(out)
	if len(ids) == 0 {
		return fmt.Errorf("no visible window of process %d (%v)", pid, err)
	}
	_, err = x.xdotool("windowfocus", "--sync", ids[len(ids)-1])
	return err
}

func (x *x11) Key(pid int, chords ...string) error {
	if err := x.focus(pid); err != nil {
		return err
	}
	_, err := x.xdotool(append([]string{"key", "--delay", "30"}, chords...)...)
	return err
}

func (x *x11) Type(pid int, text string) error {
	if err := x.focus(pid); err != nil {
		return err
	}
	_, err := x.xdotool("type", "--delay", "20", text)
	return err
}

func (x *x11) Click(pid, px, py int) error {
	if err := x.focus(pid); err != nil {
		return err
	}
	_, err := x.xdotool("mousemove", fmt.Sprint(px), fmt.Sprint(py), "click", "1")
	return err
}

func (x *x11) Hold(pid, px, py int, while func() error) error {
	if err := x.focus(pid); err != nil {
		return err
	}
	if _, err := x.xdotool("mousemove", fmt.Sprint(px), fmt.Sprint(py), "mousedown", "1"); err != nil {
		return err
	}
	err := while()
	if _, uerr := x.xdotool("mouseup", "1"); err == nil {
		err = uerr
	}
	return err
}

func (x *x11) Shot(path string) error {
	_, err := run(x.Env(), "import", "-window", "root", path)
	return err
}

// Windows counts the mapped windows with a name on the screen. The pre-warmed standby is mapped
// beyond the screen's right edge (x ≥ 8000, kiosk/hooks.c), where no patient can see or reach it.
func (x *x11) Windows() (int, string, error) {
	out, err := x.xdotool("search", "--onlyvisible", "--name", ".")
	if err != nil && strings.TrimSpace(out) != "" {
		return 0, "", err
	}
	n := 0
	var list strings.Builder
	for _, id := range strings.Fields(out) {
		name, _ := x.xdotool("getwindowname", id)
		geometry, _ := x.xdotool("getwindowgeometry", id)
		var px, py int
		for _, l := range strings.Split(geometry, "\n") {
			fmt.Sscanf(strings.TrimSpace(l), "Position: %d,%d", &px, &py)
		}
		if strings.TrimSpace(name) == "" || px >= 8000 {
			continue
		}
		n++
		fmt.Fprintf(&list, "%s %q at %d,%d\n", id, strings.TrimSpace(name), px, py)
	}
	return n, list.String(), nil
}
