package main

import (
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/carekiosk/carekiosk/assets"
	"github.com/carekiosk/carekiosk/internal/procfs"
	"github.com/carekiosk/carekiosk/shellproc"
	"github.com/carekiosk/carekiosk/ui"
)

// welcomeServer serves the kiosk's welcome screen as a plain page to the baseline browsers. The
// page itself reports its first paint: two animation frames after it runs, it fetches
// /shown?run=N, and the server notes the time.
type welcomeServer struct {
	url  string
	page []byte
	mu   sync.Mutex
	seen map[string]time.Time
}

func startWelcome() (*welcomeServer, error) {
	r, err := ui.New("en")
	if err != nil {
		return nil, err
	}
	u, err := r.Screen(ui.Welcome{ReaderOK: true}, "")
	if err != nil {
		return nil, err
	}
	css, err := assets.FS.ReadFile("kiosk.css")
	if err != nil {
		return nil, err
	}
	page := fmt.Sprintf(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>welcome</title>
<style>html,body{margin:0;height:100%%;background:#f0f4f5} %s</style></head><body><div class="screen s-welcome">%s</div>
<script>requestAnimationFrame(() => requestAnimationFrame(() => fetch("/shown" + location.search)));</script></body></html>`,
		css, template.HTML(u.HTML))
	ws := &welcomeServer{page: []byte(page), seen: map[string]time.Time{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/welcome", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(ws.page)
	})
	mux.HandleFunc("/shown", func(w http.ResponseWriter, r *http.Request) {
		ws.mu.Lock()
		if _, ok := ws.seen[r.URL.Query().Get("run")]; !ok {
			ws.seen[r.URL.Query().Get("run")] = time.Now()
		}
		ws.mu.Unlock()
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go http.Serve(l, mux)
	ws.url = "http://" + l.Addr().String() + "/welcome"
	return ws, nil
}

// shown waits for run's first paint.
func (ws *welcomeServer) shown(run string, within time.Duration) (time.Time, error) {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		ws.mu.Lock()
		t, ok := ws.seen[run]
		ws.mu.Unlock()
		if ok {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("run %s: no first paint within %v", run, within)
}

// browserResult is what the bench measured of one baseline browser.
type browserResult struct {
	name        string
	cold, reset sample
	pss         int     // KiB, whole tree, at welcome
	idleCPU     float64 // % of one core
}

// runBaseline starts argv+URL cold runs times, each time the way other kiosks reset: SIGKILL
// the running browser's process group, delete its profile, start a fresh one. cold is exec →
// first paint; reset is kill → first paint of the next. The accessibility bus and session bus a
// bare GTK browser autolaunches leave its process group; they are killed with it (found by the
// profile directory they hold), or they pile up run after run until the machine has no inotify
// instance left for the kiosk.
func runBaseline(name string, argv []string, ws *welcomeServer, runs int, idle time.Duration) (browserResult, error) {
	res := browserResult{name: name}
	var prev *exec.Cmd
	var prevHome string
	stopPrev := func() {
		if prev != nil {
			syscall.Kill(-prev.Process.Pid, syscall.SIGKILL)
			prev.Wait()
			killUsers(prevHome)
			os.RemoveAll(prevHome)
		}
	}
	defer stopPrev()
	for i := 0; i < runs; i++ {
		run := name + "-" + strconv.Itoa(i)
		killed := time.Now()
		stopPrev()
		home, err := os.MkdirTemp("", "bench-baseline-")
		if err != nil {
			return res, err
		}
		cmd := exec.Command(argv[0], append(argv[1:], ws.url+"?run="+url.QueryEscape(run))...)
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, "cache"),
			"XDG_DATA_HOME="+filepath.Join(home, "data"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"))
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		started := time.Now()
		if err := cmd.Start(); err != nil {
			return res, err
		}
		prev, prevHome = cmd, home
		t, err := ws.shown(run, 30*time.Second)
		if err != nil {
			return res, fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
		}
		res.cold = append(res.cold, t.Sub(started))
		if i > 0 {
			res.reset = append(res.reset, t.Sub(killed))
		}
	}
	time.Sleep(settle)
	res.pss = treePSS(prev.Process.Pid)
	res.idleCPU = idleCPU(prev.Process.Pid, idle)
	return res, nil
}

// killUsers kills the processes that hold dir (shellproc.Uses): those a baseline browser
// started that left its process group.
func killUsers(dir string) {
	for _, p := range procfs.All() {
		if p.PID != os.Getpid() && shellproc.Uses(p.PID, dir) {
			syscall.Kill(p.PID, syscall.SIGKILL)
		}
	}
}

// settle is how long a browser is left after its first paint before memory is measured.
const settle = 3 * time.Second

// idleCPU is the CPU root's tree uses over d, in % of one core.
func idleCPU(root int, d time.Duration) float64 {
	before := treeTicks(root)
	time.Sleep(d)
	used := treeTicks(root) - before
	return float64(used) / clockTicks / d.Seconds() * 100
}
