package doctor

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/control"
	"github.com/carekiosk/carekiosk/session"
	"github.com/carekiosk/carekiosk/shellproc"
)

// Defaults returns the Env of the real system for the config file at path.
func Defaults(path string) *Env {
	return &Env{
		ConfigPath: path,
		Listen:     5 * time.Second,
		Getenv:     os.Getenv,
		Command: func(name string, args ...string) (string, error) {
			out, err := exec.Command(name, args...).Output()
			return strings.TrimSpace(string(out)), err
		},
		Browser: func() (string, error) {
			self, err := os.Executable()
			if err != nil {
				return "", err
			}
			return shellproc.FindShell(self)
		},
		Dlopen:         Dlopen,
		FSType:         FSType,
		Running:        running,
		WaylandSockets: []string{"/run/carekiosk/wayland-*", "/run/user/*/wayland-*"},
		X11Dir:         "/tmp/.X11-unix",
		Unit:           "carekiosk",
		ClockSynced:    ClockSynced,
		Swaps:          ActiveSwaps,
		Sysctl:         Sysctl,
		Sysfs:          "/sys",
	}
}

// running asks the kiosk of cfg for its status.
func running(cfg *config.Config) (session.Status, error) {
	var s session.Status
	r, err := control.Call(cfg.ControlSocket, control.Request{Cmd: "status"})
	if err != nil {
		return s, err
	}
	err = json.Unmarshal(r.Status, &s)
	return s, err
}
