package doctor

import "github.com/carekiosk/carekiosk/shellproc"

// checkContainment says how the running kiosk keeps track of its browsers' processes: in a
// cgroup per shell (its unit delegates it a cgroup v2 subtree), or — weaker — by their session
// directory, where a process that left it unseen would outlive a wipe. Nothing to say when no
// kiosk runs: it decides when it starts.
func checkContainment(e *Env, st *state) Result {
	if st.running == nil {
		return Result{}
	}
	r := Result{Check: "containment"}
	switch m := st.running.Containment; m {
	case shellproc.Cgroup:
		r.Level, r.Msg = OK, "each browser runs in a cgroup of its own, killed whole at the end of its session"
	default:
		r.Level = Warn
		r.Msg = "browsers are found by their session directory (" + m + "), not contained in cgroups: the kiosk's log says why"
		r.Fix = "run the kiosk from its unit (Delegate=yes) on a system with the unified cgroup hierarchy (systemd.unified_cgroup_hierarchy=1 on the kernel command line where it is not the default)"
	}
	return r
}
