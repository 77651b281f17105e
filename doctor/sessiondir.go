package doctor

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// checkSessionDir checks session_dir: a directory on a tmpfs (so nothing of a session reaches
// a disk), mode 0700, and empty while no kiosk runs (a running kiosk keeps its browsers'
// directories there).
func checkSessionDir(e *Env, st *state) Result {
	dir := st.cfg.SessionDir
	r := Result{Check: "session_dir"}
	fi, err := os.Stat(dir)
	if err != nil {
		r.Level, r.Msg = Fail, err.Error()
		r.Fix = "systemd-tmpfiles --create (the package's tmpfiles.d rule makes it), or mkdir -m 700 " + dir + " on a tmpfs"
		return r
	}
	var problems, fixes []string
	if !fi.IsDir() {
		r.Level, r.Msg, r.Fix = Fail, dir+" is not a directory", "session_dir must be a directory on a tmpfs"
		return r
	}
	if magic, err := e.FSType(dir); err != nil {
		problems = append(problems, "cannot tell its file system: "+err.Error())
	} else if magic != unix.TMPFS_MAGIC {
		problems = append(problems, fmt.Sprintf("not on a tmpfs (file system magic %#x), so sessions would reach a disk", magic))
		fixes = append(fixes, "put session_dir under /run, or mount a tmpfs there")
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		problems = append(problems, fmt.Sprintf("mode %#o, want 0700", perm))
		fixes = append(fixes, "chmod 700 "+dir)
	}
	if st.running == nil {
		if entries, err := os.ReadDir(dir); err != nil {
			problems = append(problems, err.Error())
		} else if len(entries) > 0 {
			problems = append(problems, fmt.Sprintf("holds %d entries while no kiosk runs", len(entries)))
			fixes = append(fixes, "carekiosk run removes them when it starts; to remove them now: rm -rf "+dir+"/*")
		}
	}
	if len(problems) > 0 {
		r.Level, r.Msg, r.Fix = Fail, dir+": "+strings.Join(problems, "; "), strings.Join(fixes, "; ")
		return r
	}
	r.Level, r.Msg = OK, dir+" is a tmpfs directory, mode 0700"
	if st.running == nil {
		r.Msg += ", empty"
	}
	return r
}

// FSType returns the statfs magic number of the file system path is on.
func FSType(path string) (int64, error) {
	var s unix.Statfs_t
	if err := unix.Statfs(path, &s); err != nil {
		return 0, err
	}
	return int64(s.Type), nil
}
