package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/internal/canary"
	"github.com/carekiosk/carekiosk/internal/procfs"
	"github.com/carekiosk/carekiosk/shellproc"
)

// soak runs n whole sessions in one kiosk and checks after each: nothing of the session left
// under session_dir or the kiosk's HOME, none of its canaries anywhere there, no process of its
// group or with its HOME alive. It reports the supervisor's RSS growth and the tree's PSS at the
// welcome screen every 50 sessions.
func soak(bin string, n int) error {
	k, err := newKiosk(bin)
	if err != nil {
		return err
	}
	defer k.close()
	if err := k.Start(); err != nil {
		return err
	}
	defer k.Stop()

	var (
		rss0, rssMax, rssLast int
		pssAt                 []string
		residue, orphans      int
		card, reset           sample
	)
	begun := time.Now()
	for i := 1; i <= n; i++ {
		c, err := k.session(fmt.Sprintf("2999%010d", i), nil)
		if err != nil {
			return fmt.Errorf("session %d: %w", i, err)
		}
		card, reset = append(card, c.card), append(reset, c.reset)
		if left := k.residue(c.id, k.portal.canaries()); len(left) > 0 {
			residue++
			progress("session %d (%s): residue %v", i, c.id, left)
		}
		if alive := orphansOf(c.shellPID, filepath.Join(k.Sessions(), c.id)); len(alive) > 0 {
			orphans++
			progress("session %d (%s): processes still alive %v", i, c.id, alive)
		}
		rssLast = rss(k.PID())
		if i == 1 {
			rss0 = rssLast
		}
		rssMax = max(rssMax, rssLast)
		if i == 1 || i%50 == 0 || i == n {
			time.Sleep(time.Second) // the standby is gone, the welcome screen settled
			pssAt = append(pssAt, fmt.Sprintf("%d: %.1f", i, float64(treePSS(k.PID()))/1024))
			progress("%d/%d sessions, %.2f s each, supervisor RSS %.1f MiB", i, n, time.Since(begun).Seconds()/float64(i), float64(rssLast)/1024)
		}
	}
	took := time.Since(begun)
	growth := float64(rssLast-rss0) / 1024
	fmt.Printf("## make soak N=%d — %s\n\n", n, time.Now().Format("2006-01-02 15:04"))
	fmt.Printf("| check | result | target |\n|---|---|---|\n")
	fmt.Printf("| sessions (card → privacy → \"I'm ready\" → portal plants a cookie, localStorage and IndexedDB canary → end-session) | %d in %s, %.2f s each | — |\n", n, took.Round(time.Second), took.Seconds()/float64(n))
	fmt.Printf("| sessions with residue (a file of the session under session_dir or HOME, or any canary anywhere there) | %d | 0 |\n", residue)
	fmt.Printf("| sessions with orphan processes (its process group, or its HOME) | %d | 0 |\n", orphans)
	fmt.Printf("| supervisor RSS after session 1 → last (max) | %.1f → %.1f MiB (%.1f), growth %+.1f MiB | ≤ 5 MiB growth |\n", float64(rss0)/1024, float64(rssLast)/1024, float64(rssMax)/1024, growth)
	fmt.Printf("| whole-tree PSS at the welcome screen, MiB, after session … | %s | flat |\n", strings.Join(pssAt, ", "))
	fmt.Printf("| card → privacy check visible, median / p95 | %s / %s | ≤ 100 ms p95 |\n", ms(card.median()), ms(card.p95()))
	fmt.Printf("| reset, median / p95 | %s / %s | ≤ 50 ms p95 |\n", ms(reset.median()), ms(reset.p95()))
	fmt.Println()
	if residue > 0 || orphans > 0 || growth > 5 {
		return fmt.Errorf("the soak failed its checks")
	}
	return nil
}

// residue lists what is left of session id: its directory, and files under session_dir or the
// kiosk's HOME holding any canary.
func (k *kiosk) residue(id string, canaries []string) []string {
	var left []string
	if _, err := os.Lstat(filepath.Join(k.Sessions(), id)); err == nil {
		left = append(left, "its directory")
	}
	for _, root := range []string{k.Sessions(), k.Home} {
		left = append(left, canary.Find(root, canaries)...)
	}
	return left
}

// orphansOf lists live processes of group pgid or using dir (shellproc.Uses).
func orphansOf(pgid int, dir string) []int {
	var alive []int
	for _, p := range procfs.All() {
		if !p.Zombie() && (p.PGrp == pgid || shellproc.Uses(p.PID, dir)) {
			alive = append(alive, p.PID)
		}
	}
	return alive
}
