package doctor

import "strings"

// checkSandbox: page code runs in WebKit's web processes, each in a bubblewrap sandbox made
// of unprivileged user namespaces. Without bwrap, or with the kernel refusing the carekiosk
// user a user namespace, no browser starts and the kiosk stays out of service. (The running
// kiosk proves it at start, shellproc.CheckSandbox; doctor names the setting that stops it.)
func checkSandbox(e *Env, st *state) Result {
	r := Result{Check: "sandbox"}
	version, err := e.Command("bwrap", "--version")
	if err != nil {
		r.Level, r.Msg, r.Fix = Fail, "bwrap is not installed: no browser can start", "apt install bubblewrap xdg-dbus-proxy"
		return r
	}
	var problems, fixes []string
	if v, err := e.Sysctl("user.max_user_namespaces"); err == nil && v == "0" {
		problems = append(problems, "user.max_user_namespaces is 0")
		fixes = append(fixes, "set user.max_user_namespaces to 1000 or more in /etc/sysctl.d/")
	}
	if v, err := e.Sysctl("kernel.unprivileged_userns_clone"); err == nil && v == "0" {
		problems = append(problems, "kernel.unprivileged_userns_clone is 0")
		fixes = append(fixes, "set kernel.unprivileged_userns_clone=1 in /etc/sysctl.d/")
	}
	if v, err := e.Sysctl("kernel.apparmor_restrict_unprivileged_userns"); err == nil && v == "1" {
		problems = append(problems, "AppArmor restricts unprivileged user namespaces")
		fixes = append(fixes, "give /usr/bin/bwrap an AppArmor profile that allows userns (docs/install.md)")
	}
	if len(problems) > 0 {
		r.Level = Fail
		r.Msg = "the web processes' sandbox can't start: " + strings.Join(problems, "; ")
		r.Fix = strings.Join(fixes, "; ")
		return r
	}
	r.Level, r.Msg = OK, version+", and unprivileged user namespaces are allowed"
	return r
}
