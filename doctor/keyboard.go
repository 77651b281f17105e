package doctor

import "github.com/carekiosk/carekiosk/config"

// checkKeyboard says whether patients get the on-screen keyboard ([keyboard] on_screen) and why:
// a touch unit without one, or with on_screen = "never", leaves patients nothing to type with.
func checkKeyboard(e *Env, st *state) Result {
	r := Result{Check: "keyboard", Level: OK}
	k := st.cfg.Keyboard
	shown, err := k.Shown(e.Sysfs, st.cfg.Reader.Device)
	switch {
	case err != nil:
		r.Level = Warn
		r.Msg = "can't tell whether a keyboard is attached (" + err.Error() + "), so the on-screen keyboard shows"
		r.Fix = `set [keyboard] on_screen to "always" or "never" to decide it yourself`
	case k.OnScreen == config.OnScreenAlways:
		r.Msg = `the on-screen keyboard shows for every field (on_screen = "always")`
	case k.OnScreen == config.OnScreenNever:
		attached, _ := config.Keyboard{OnScreen: config.OnScreenAuto}.Shown(e.Sysfs, st.cfg.Reader.Device)
		r.Msg = `no on-screen keyboard (on_screen = "never")`
		if attached {
			r.Level = Fail
			r.Msg += ", and no keyboard is attached: patients can't type"
			r.Fix = `attach a keyboard, or set [keyboard] on_screen = "auto"`
		}
	case shown:
		r.Msg = `no keyboard is attached: the on-screen keyboard shows for fields (on_screen = "auto")`
	default:
		r.Msg = `a keyboard is attached: no on-screen keyboard (on_screen = "auto"; reload the kiosk after unplugging it)`
	}
	return r
}
