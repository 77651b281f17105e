package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/session"
)

// kioskResult is what the bench measured of carekiosk.
type kioskResult struct {
	cold, card, reset, ready, ended sample
	pssWelcome, pssSession          int // KiB, whole tree
	supervisorRSS                   int // KiB
	supervisorAnon                  int // KiB
	idleCPU                         float64
	covered                         int // ends covered by the standby
}

func bench(bin, bare string, runs int, idle time.Duration) error {
	k, err := newKiosk(bin)
	if err != nil {
		return err
	}
	defer k.close()
	var r kioskResult

	progress("carekiosk: %d cold starts", runs)
	for i := 0; i < runs; i++ {
		if err := k.Start(); err != nil {
			return err
		}
		s, err := k.WaitScreen(session.Welcome, "welcome", 60*time.Second)
		if err != nil {
			k.Stop()
			return err
		}
		r.cold = append(r.cold, at(s.ScreenAt).Sub(k.Started))
		if i < runs-1 {
			k.Stop()
		}
	}
	defer k.Stop()
	time.Sleep(settle)
	r.pssWelcome, r.supervisorRSS = treePSS(k.PID()), rss(k.PID())
	r.supervisorAnon = statusField(fmt.Sprintf("/proc/%d/status", k.PID()), "RssAnon:")
	progress("carekiosk: CPU at the welcome screen for %v", idle)
	r.idleCPU = idleCPU(k.PID(), idle)

	progress("carekiosk: %d sessions (card → privacy check → portal → end)", runs)
	for i := 0; i < runs; i++ {
		var measure func()
		if i == 0 {
			measure = func() { time.Sleep(settle); r.pssSession = treePSS(k.PID()) }
		}
		c, err := k.session(fmt.Sprintf("2999%010d", i), measure)
		if err != nil {
			return err
		}
		r.card, r.reset = append(r.card, c.card), append(r.reset, c.reset)
		r.ready, r.ended = append(r.ready, c.ready), append(r.ended, c.ended)
		if c.standby {
			r.covered++
		}
	}

	ws, err := startWelcome()
	if err != nil {
		return err
	}
	progress("bare webview_go: %d cold starts, each after killing the last", runs)
	bareRes, err := runBaseline("bare webview_go", []string{bare}, ws, runs, idle)
	if err != nil {
		return err
	}
	var cogRes *browserResult
	if cog, err := exec.LookPath("cog"); err == nil {
		progress("cog: %d cold starts, each after killing the last", runs)
		c, err := runBaseline("cog", []string{cog, "-P", "headless"}, ws, runs, idle)
		if err != nil {
			progress("cog failed, left out: %v", err)
		} else {
			cogRes = &c
		}
	}
	report(r, bareRes, cogRes, runs, idle)
	return nil
}

// stackName says which display stack the figures were taken on.
func stackName() string {
	if screen.Stack() == "wayland" {
		return "headless cage (Wayland, pixman)"
	}
	return "Xvfb (X11)"
}

func report(r kioskResult, b browserResult, cog *browserResult, runs int, idle time.Duration) {
	host, _ := os.Hostname()
	fmt.Printf("## make bench — %s, %s, %d CPUs, %s\n\n", time.Now().Format("2006-01-02 15:04"), host, runtime.NumCPU(), cpuModel())
	fmt.Printf("%d runs of each timed figure on %s; median / p95 (nearest rank). \"Visible\": the page's own report, two animation frames after drawing.\n\n", runs, stackName())
	cogH := ""
	if cog != nil {
		cogH = " cog (WPE, headless) |"
	}
	fmt.Printf("| figure | carekiosk | bare webview_go (kill + restart) | carekiosk ÷ bare |%s target | met |\n", cogH)
	fmt.Printf("|---|---|---|---|%s---|---|\n", map[bool]string{true: "---|", false: ""}[cog != nil])
	row := func(name, ours, base, ratio, cogv, target, met string) {
		c := ""
		if cog != nil {
			c = " " + cogv + " |"
		}
		fmt.Printf("| %s | %s | %s | %s |%s %s | %s |\n", name, ours, base, ratio, c, target, met)
	}
	mp := func(s sample) string { return ms(s.median()) + " / " + ms(s.p95()) }
	ratio := func(a, b time.Duration) string {
		if a == 0 || b == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f×", float64(a)/float64(b))
	}
	cogS := func(f func(browserResult) string) string {
		if cog == nil {
			return ""
		}
		return f(*cog)
	}
	yes := func(ok bool) string { return map[bool]string{true: "yes", false: "**no**"}[ok] }
	row("cold start → welcome visible", mp(r.cold), mp(b.cold), ratio(r.cold.p95(), b.cold.p95()),
		cogS(func(c browserResult) string { return mp(c.cold) }), "—", "")
	row("card (last byte into the pty) → privacy check visible", mp(r.card), "—", "—", "—", "≤ 100 ms p95", yes(r.card.p95() <= 100*time.Millisecond))
	row(fmt.Sprintf("**reset**: session end → clean screen visible (the standby's; the session's window gone; %d/%d ends covered)", r.covered, runs),
		mp(r.reset), mp(b.reset), ratio(r.reset.p95(), b.reset.p95()), cogS(func(c browserResult) string { return mp(c.reset) }),
		"≤ 50 ms p95", yes(r.reset.p95() <= 50*time.Millisecond))
	row("session end → wipe verified, next card taken (polled, ± 2 ms)", mp(r.ready), mp(b.reset), ratio(r.ready.p95(), b.reset.p95()), "—", "—", "")
	row("session end → \"everything was cleared\" visible, after the verified wipe", mp(r.ended), mp(b.reset), ratio(r.ended.p95(), b.reset.p95()), "—", "—", "")
	mib := func(k int) string { return fmt.Sprintf("%.1f MiB", float64(k)/1024) }
	kr := func(a, b int) string { return fmt.Sprintf("%.2f×", float64(a)/float64(b)) }
	row("whole-tree PSS at the welcome screen", mib(r.pssWelcome), mib(b.pss), kr(r.pssWelcome, b.pss),
		cogS(func(c browserResult) string { return mib(c.pss) }), "≤ bare baseline", yes(r.pssWelcome <= b.pss))
	row("whole-tree PSS in a session (portal + standby)", mib(r.pssSession), "—", "—", "—", "—", "")
	row(fmt.Sprintf("supervisor RSS (of it anonymous: %s; the rest is the binary's and libc's pages; no WebKit is loaded)", mib(r.supervisorAnon)),
		mib(r.supervisorRSS), "—", "—", "—", "≤ 30 MiB", yes(r.supervisorRSS <= 30*1024))
	pct := func(f float64) string { return fmt.Sprintf("%.2f %%", f) }
	row(fmt.Sprintf("CPU idle at the welcome screen, whole tree, over %v (%% of one core)", idle), pct(r.idleCPU), pct(b.idleCPU),
		fmt.Sprintf("%.2f×", r.idleCPU/max(b.idleCPU, 0.001)), cogS(func(c browserResult) string { return pct(c.idleCPU) }), "≤ 1 %", yes(r.idleCPU <= 1))
	fmt.Println()
	if cog != nil {
		fmt.Println("cog: Debian 12's cog has no X11 platform (drm, wl and headless only), so it runs with `-P headless`: it renders and paints frames but shows nothing on a screen.")
	} else {
		fmt.Println("cog: not installed (`apt-get install cog`), left out.")
	}
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown CPU"
}
