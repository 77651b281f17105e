package doctor

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// checkDisplay finds the display the browser will draw on and connects to it: WAYLAND_DISPLAY
// (a socket in XDG_RUNTIME_DIR, or an absolute path), else DISPLAY (an X server's socket, or
// TCP for host:N), else a compositor socket found under Env.WaylandSockets — over ssh a
// technician has no display of their own, and the kiosk's cage is the one to find.
func checkDisplay(e *Env, st *state) Result {
	r := Result{Check: "display"}
	var tried []string
	try := func(network, addr, what string) bool {
		c, err := net.DialTimeout(network, addr, 2*time.Second)
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s (%v)", what, err))
			return false
		}
		c.Close()
		r.Level, r.Msg = OK, "connected to "+what
		return true
	}
	if w := e.Getenv("WAYLAND_DISPLAY"); w != "" {
		if !filepath.IsAbs(w) {
			w = filepath.Join(e.Getenv("XDG_RUNTIME_DIR"), w)
		}
		if try("unix", w, "Wayland display "+w) {
			return r
		}
	}
	if d := e.Getenv("DISPLAY"); d != "" {
		host, num, ok := strings.Cut(d, ":")
		num, _, _ = strings.Cut(num, ".")
		n, err := strconv.Atoi(num)
		switch {
		case !ok || err != nil:
			tried = append(tried, fmt.Sprintf("DISPLAY=%q (not a display name like :0)", d))
		case host == "" || host == "unix":
			if try("unix", filepath.Join(e.X11Dir, "X"+num), "X display "+d) {
				return r
			}
		default:
			if try("tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), "X display "+d) {
				return r
			}
		}
	}
	if e.Getenv("WAYLAND_DISPLAY") == "" && e.Getenv("DISPLAY") == "" {
		for _, g := range e.WaylandSockets {
			matches, _ := filepath.Glob(g)
			for _, m := range matches {
				if strings.HasSuffix(m, ".lock") {
					continue
				}
				if try("unix", m, "the Wayland compositor at "+m) {
					return r
				}
			}
		}
	}
	r.Level = Fail
	if len(tried) == 0 {
		r.Msg = "no display: WAYLAND_DISPLAY and DISPLAY are unset and no compositor socket was found"
	} else {
		r.Msg = "cannot connect: " + strings.Join(tried, "; ")
	}
	r.Fix = "start the kiosk (systemctl start carekiosk: cage makes the display), or run doctor with DISPLAY or WAYLAND_DISPLAY set"
	return r
}
