package session

import "github.com/carekiosk/carekiosk/wire"

// A browser whose GTK main loop stops turning (a deadlock, a SIGSTOP) still holds its socket and
// its process, so nothing else would notice it. The manager pings every shell that is ready over
// the wire; the shell answers from its GTK thread. A shell that leaves Options.PingMisses pings
// in a row unanswered is hung: it is killed, and its exit is handled as a crash — a session in
// it ends as browser-crashed and is wiped, a standby or welcome screen is replaced.

// ping sends each ready shell a ping, killing those that stopped answering.
func (g *Manager) ping() {
	seen := map[*shell]bool{}
	for _, sh := range []*shell{g.cur, g.next, g.sessShell()} {
		if sh == nil || !sh.ready || seen[sh] {
			continue
		}
		seen[sh] = true
		if sh.missed >= g.o.PingMisses {
			g.o.Log.Error("the browser stopped answering: killing it", "shell", sh.ID, "pings_missed", sh.missed)
			sh.missed = 0
			sh.Kill() // its exit follows, as for a crash
			continue
		}
		sh.missed++
		sh.Send(wire.Command{Cmd: wire.CmdPing})
	}
}

// sessShell is the browser of the session under way that is still to be wiped, or nil.
func (g *Manager) sessShell() *shell {
	if g.sess == nil {
		return nil
	}
	return g.sess.sh
}
