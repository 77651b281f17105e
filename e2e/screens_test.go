package e2e

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/ui"
	"github.com/carekiosk/carekiosk/wire"
)

// shown is one screen or prompt to render: what to draw, the name the overlay reports for it,
// and the translations that must be in its text.
type shown struct {
	file string // the screenshot's name
	name string // the screen or prompt the overlay reports
	ui   func(r *ui.Renderer) (*wire.UI, error)
	keys []string
	qrs  int
}

func screen(v ui.View, focus string) func(r *ui.Renderer) (*wire.UI, error) {
	return func(r *ui.Renderer) (*wire.UI, error) { return r.Screen(v, focus) }
}

func overSession(warning ui.Warning, prompt string) func(r *ui.Renderer) (*wire.UI, error) {
	return func(r *ui.Renderer) (*wire.UI, error) {
		now := time.Now()
		return r.Session(now.Add(17*time.Minute+42*time.Second), warning, now.Add(25*time.Second), prompt)
	}
}

// TestScreens renders every screen and prompt of the kiosk in a real shell, in every language,
// in landscape (1280×1024) and portrait (1080×1920): it saves each as a PNG in CAREKIOSK_SHOTS
// and checks, from the overlay itself, its text, its language and its touch targets.
func TestScreens(t *testing.T) {
	help := testHelp()
	orgQRs := 1 // the provider's
	for _, o := range help.Organisations {
		if o.URL != "" {
			orgQRs++
		}
	}
	kioskScreens := []shown{
		{"welcome", "welcome", screen(ui.Welcome{ReaderOK: true}, ""), []string{"welcome.title", "welcome.touch", "welcome.help", "lang.en", "lang.cy"}, 0},
		{"welcome-reader-down", "welcome", screen(ui.Welcome{ReaderOK: false}, ""), []string{"welcome.reader_down"}, 0},
		{"privacy", "privacy", screen(ui.Privacy{}, "ready"), []string{"privacy.title", "privacy.look", "privacy.shield", "privacy.end", "privacy.quick", "privacy.ready", "privacy.cancel", "privacy.phone_title"}, 1},
		{"help", "help", screen(ui.HelpScreen{}, "help-close"), []string{"help.title", "help.advice_password", "help.advice_seen", "help.advice_pressure", "help.quick_text", "help.provider_title", "help.orgs_title", "help.close"}, orgQRs},
		{"ending", "ending", screen(ui.Ending{}, ""), []string{"ending.title"}, 0},
		{"ended", "ended", screen(ui.Ended{}, "ok"), []string{"ended.title", "ended.cleared", "ended.password"}, 0},
		{"quick-exit", "neutral", screen(ui.Neutral{}, "ok"), []string{"neutral.title", "neutral.ok"}, 0},
		{"card-refused", "refused", screen(ui.Refused{}, "ok"), []string{"refused.title", "refused.text"}, 0},
		{"pin-pad", "pin", screen(ui.PINPad{Digits: 3}, ""), []string{"pin.title", "pin.shield", "pin.delete", "pin.ok", "pin.cancel"}, 0},
		{"pin-pad-wrong", "pin", screen(ui.PINPad{TriesLeft: 2}, ""), []string{"pin.title", "pin.shield"}, 0},
		{"card-check-down", "card-check-down", screen(ui.CheckDown{}, "ok"), []string{"checkdown.title", "checkdown.text"}, 0},
		{"out-of-service", "out-of-service", screen(ui.OutOfService{}, ""), []string{"oos.title", "oos.text"}, 0},
		{"technician", "technician", screen(ui.Technician{State: "welcome", ReaderDevice: "/dev/carekiosk-reader", ReaderOK: true,
			Sessions: 12, LastEnd: "quick-exit", WipeVerified: true, Problem: "",
			TechnicianInfo: ui.TechnicianInfo{Sensor: "/dev/carekiosk-radar — connected", Config: "records.example.nhs.uk; idle 2m, max 20m; reader line at 9600",
				Version: "v1.0.0", Unit: "3f2a9c1e0b7d4a65"}}, "tech-close"), []string{"tech.title", "tech.note", "tech.reader", "tech.version", "tech.unit"}, 1},
	}
	prompts := []shown{
		{"session-bar", "session", overSession("", ""), []string{"bar.time_left", "bar.help", "bar.end", "bar.quick_exit"}, 0},
		{"idle-warning", "warning", overSession("idle", ""), []string{"warning.idle.title", "warning.idle.text", "warning.still_here"}, 0},
		{"time-warning", "warning", overSession("time", ""), []string{"warning.time.title", "warning.time.text"}, 0},
		{"password-reminder", "password", overSession("", ui.PromptPassword), []string{"password.title", "password.text", "password.ok"}, 0},
		{"sign-in", "auth", overSession("", ui.PromptAuth), []string{"auth.title", "auth.text", "auth.user", "auth.password", "auth.sign_in", "auth.cancel"}, 0},
		{"presence-alert", "presence", overSession("", ui.PromptPresence), []string{"presence.title", "presence.text", "presence.ok", "bar.quick_exit"}, 0},
		{"blocked", "blocked", overSession("", ui.PromptBlocked), []string{"blocked.title", "blocked.text", "blocked.back"}, 0},
		{"failed", "failed", overSession("", ui.PromptFailed), []string{"failed.title", "failed.text"}, 0},
		{"help-in-session", "help", overSession("", ui.PromptHelp), []string{"help.title", "blocked.back", "bar.quick_exit"}, orgQRs},
	}
	base, err := ui.New("en")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range sizes {
		t.Run(size.name, func(t *testing.T) {
			x := startScreen(t, size.w, size.h)
			srv := startProvider(t)
			base.SetContent(ui.Content{StartURL: srv.URL + "/record?next=1", Help: help})
			sh := startShell(t, x, srv)
			sh.zoomIn(size.zoom)
			check := func(list []shown) {
				for _, lang := range ui.Languages() {
					r := base.In(lang)
					for _, s := range list {
						u, err := s.ui(r)
						if err != nil {
							t.Fatalf("%s %s: %v", s.file, lang, err)
						}
						sh.show(u, s.name)
						got := sh.read()
						file := s.file + "-" + lang + "-" + size.name
						screenshot(t, x, file)
						checkShown(t, file, r, s, u, got, size.w*100/zoomPercent(size.zoom), size.h*100/zoomPercent(size.zoom))
					}
				}
			}
			check(kioskScreens)
			sh.send(wire.Command{Cmd: wire.CmdNavigate, URL: srv.URL + "/record"})
			sh.await(wire.EvLoad, "", 30*time.Second)
			time.Sleep(500 * time.Millisecond) // the page settles under the replayed screen
			check(prompts)
		})
	}
}

// checkShown checks what the overlay reported for one screen.
func checkShown(t *testing.T, file string, r *ui.Renderer, s shown, u *wire.UI, got uiState, w, h int) {
	t.Helper()
	if got.Screen != s.name || got.Lang != r.Lang() || !got.Mounted {
		t.Errorf("%s: overlay reports screen %q lang %q mounted %v, want %q %q", file, got.Screen, got.Lang, got.Mounted, s.name, r.Lang())
	}
	if got.Width != w || got.Height != h {
		t.Errorf("%s: the page is %dx%d, want the whole %dx%d screen", file, got.Width, got.Height, w, h)
	}
	for _, k := range s.keys {
		want, err := r.Text(k)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.Text, want) {
			t.Errorf("%s: the text does not say %q (%s); it says:\n%s", file, want, k, got.Text)
		}
	}
	if strings.Contains(got.Text, "Blood test") || strings.Contains(got.Text, "Riverside Surgery — online") {
		t.Errorf("%s: the overlay's text holds the page's content", file)
	}
	for _, c := range got.Colours {
		ratio, err := contrast(c.Fg, c.Bg)
		if err != nil {
			t.Errorf("%s: %q: %v", file, c.Text, err)
			continue
		}
		large := c.Size >= 24 || c.Size >= 18.66 && c.Weight >= 700
		if want := map[bool]float64{false: 4.5, true: 3}[large]; ratio < want {
			t.Errorf("%s: %q is %s on %s, contrast %.2f:1, want at least %.1f:1 (WCAG 2.2 AA)", file, c.Text, c.Fg, c.Bg, ratio, want)
		}
	}
	if got.BarHeight > 64 {
		t.Errorf("%s: the kiosk bar is %.0f px high, more than the 64 px the page leaves it: it covers the page", file, got.BarHeight)
	}
	if len(got.Colours) == 0 {
		t.Errorf("%s: no text colours reported", file)
	}
	if len(got.QRs) != s.qrs {
		t.Errorf("%s: %d QR codes %v, want %d", file, len(got.QRs), got.QRs, s.qrs)
	}
	for _, b := range got.Buttons {
		if b.W < 48 || b.H < 48 {
			t.Errorf("%s: button %q is %.0fx%.0f px, want at least 48x48", file, b.Action, b.W, b.H)
		}
		if b.X < 0 || b.X+b.W > float64(w) {
			t.Errorf("%s: button %q is off the screen (x %.0f, width %.0f)", file, b.Action, b.X, b.W)
		}
	}
	focused := ""
	for _, b := range got.Buttons {
		if b.Focused {
			focused = b.Action
		}
	}
	if focused != u.Focus {
		t.Errorf("%s: the keyboard focus is on %q, want %q", file, focused, u.Focus)
	}
	if u.Focus != "" && !contains(actions(got), u.Focus) {
		t.Errorf("%s: no %q button to focus in %v", file, u.Focus, actions(got))
	}
}

func actions(u uiState) []string {
	var a []string
	for _, b := range u.Buttons {
		a = append(a, b.Action)
	}
	return a
}

// testHelp is the config's default help table, with a provider.
func testHelp() ui.Help {
	h := ui.Help{ProviderName: "Riverside Surgery", ProviderPhone: "01632 960 123", ProviderURL: "https://www.riverside-surgery.example.nhs.uk/online-help"}
	for _, o := range config.DefaultOrganisations() {
		h.Organisations = append(h.Organisations, ui.Organisation{Name: o.Name, Phone: o.Phone, URL: o.URL, About: o.About})
	}
	return h
}

// zoomPercent is the zoom after n presses of Ctrl+plus from 100% (the shell's zoom levels).
func zoomPercent(n int) int { return []int{100, 110, 125, 150, 175, 200}[n] }

// contrast is the WCAG contrast ratio of CSS colours fg over bg ("rgb(…)" or "rgba(…)"), with
// fg's alpha blended over bg and bg's over white.
func contrast(fg, bg string) (float64, error) {
	parse := func(c string) ([4]float64, error) {
		var v [4]float64
		v[3] = 1
		inner := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(c, "rgba("), "rgb("), ")")
		parts := strings.Split(inner, ",")
		if len(parts) < 3 {
			return v, fmt.Errorf("colour %q", c)
		}
		for i, p := range parts {
			if _, err := fmt.Sscan(strings.TrimSpace(p), &v[i]); err != nil {
				return v, fmt.Errorf("colour %q: %v", c, err)
			}
		}
		return v, nil
	}
	f, err := parse(fg)
	if err != nil {
		return 0, err
	}
	b, err := parse(bg)
	if err != nil {
		return 0, err
	}
	blend := func(top, under [4]float64) [4]float64 {
		a := top[3]
		return [4]float64{top[0]*a + under[0]*(1-a), top[1]*a + under[1]*(1-a), top[2]*a + under[2]*(1-a), 1}
	}
	b = blend(b, [4]float64{255, 255, 255, 1})
	f = blend(f, b)
	lum := func(c [4]float64) float64 {
		ch := func(x float64) float64 {
			x /= 255
			if x <= 0.04045 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(c[0]) + 0.7152*ch(c[1]) + 0.0722*ch(c[2])
	}
	l1, l2 := lum(f), lum(b)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05), nil
}
