package shellproc

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// probeArgs make bwrap build the namespaces WebKit's sandbox puts each web process in (user,
// mount, PID, network, IPC, UTS) and mount a /proc of its own there — the step a unit's /proc
// protections can refuse — then run true.
var probeArgs = []string{"--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
	"--proc", "/proc", "--dev", "/dev", "true"}

// CheckSandbox proves that WebKit's bubblewrap sandbox can start here, as this process: without
// it no web process starts, and the kiosk must say why rather than restart browsers in a loop.
// Its error names the cause (no bwrap; bwrap's own message, such as no user namespaces).
func CheckSandbox() error {
	bwrap, err := exec.LookPath("bwrap")
	if err != nil {
		return errors.New("the web sandbox can't start: bwrap is not installed (apt install bubblewrap)")
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bwrap, probeArgs...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("the web sandbox can't start: %s", msg)
	}
	return nil
}
