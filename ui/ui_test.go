package ui

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/assets"
)

// TestTranslationsComplete: every language has every key of every other, with no empty text,
// and every key a template names exists.
func TestTranslationsComplete(t *testing.T) {
	langs := Languages()
	if !slices.Contains(langs, "en") || !slices.Contains(langs, "cy") {
		t.Fatalf("languages = %v, want en and cy", langs)
	}
	texts := map[string]map[string]string{}
	all := map[string]bool{}
	for _, l := range langs {
		b, err := assets.FS.ReadFile("i18n/" + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", l, err)
		}
		texts[l] = m
		for k := range m {
			all[k] = true
		}
	}
	used := templateKeys(t)
	for k := range used {
		all[k] = true
	}
	for _, l := range langs {
		for k := range all {
			if v, ok := texts[l][k]; !ok {
				t.Errorf("%s.json: missing %q", l, k)
			} else if strings.TrimSpace(v) == "" {
				t.Errorf("%s.json: %q is empty", l, k)
			}
		}
	}
}

// templateKeys lists the keys the templates name literally ({{t "key"}}).
func templateKeys(t *testing.T) map[string]bool {
	keys := map[string]bool{}
	re := regexp.MustCompile(`\bt "([^"]+)"`)
	files, _ := fs.Glob(assets.FS, "screens/*.html")
	for _, f := range files {
		b, _ := assets.FS.ReadFile(f)
		for _, m := range re.FindAllSubmatch(b, -1) {
			keys[string(m[1])] = true
		}
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d keys in the templates", len(keys))
	}
	return keys
}

// TestEveryScreenRenders renders every screen and prompt in every language: a key a template
// builds at run time (the dialogs') is missing only if this fails.
func TestEveryScreenRenders(t *testing.T) {
	r, err := New("en")
	if err != nil {
		t.Fatal(err)
	}
	r.SetContent(Content{StartURL: "https://records.example.org/start?x=1", Help: testHelp()})
	for _, l := range Languages() {
		rl := r.In(l)
		if rl.Lang() != l {
			t.Fatalf("In(%q).Lang() = %q", l, rl.Lang())
		}
		for s, v := range map[string]View{"welcome": Welcome{ReaderOK: false, Dev: true}, "privacy": Privacy{}, "help": HelpScreen{},
			"ending": Ending{}, "ended": Ended{}, "neutral": Neutral{}, "refused": Refused{}, "out-of-service": OutOfService{},
			"technician": Technician{State: "welcome", ReaderDevice: "/dev/ttyUSB0", ReaderOK: false, Sessions: 3, LastEnd: "quick-exit", WipeVerified: true, Problem: "",
				TechnicianInfo: TechnicianInfo{Sensor: "/dev/ttyUSB1 — connected", Config: "auth any", Version: "v1", Unit: "0123456789abcdef"}}} {
			u, err := rl.Screen(v, "")
			if err != nil {
				t.Errorf("%s %s: %v", l, s, err)
				continue
			}
			if u.Lang != l || u.Screen != s || !strings.Contains(u.HTML, "<") {
				t.Errorf("%s %s: %+v", l, s, u)
			}
		}
		now := time.Now()
		for _, w := range []Warning{"", WarningIdle, WarningTime, WarningClosing} {
			for _, p := range []string{"", PromptHelp, PromptPassword, PromptPresence, PromptBlocked, PromptFailed} {
				u, err := rl.Session(now.Add(time.Minute), w, now.Add(time.Minute), p)
				if err != nil {
					t.Errorf("%s session %q %q: %v", l, w, p, err)
					continue
				}
				if (w != "" || PromptButton(p) != "") != (u.Warning != "") {
					t.Errorf("%s session %q %q: warning %q", l, w, p, u.Warning)
				}
			}
		}
	}
}

func TestQRCodesAreLabelledSVG(t *testing.T) {
	r, err := New("cy")
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.qr("https://www.getsafeonline.org/")
	if err != nil {
		t.Fatal(err)
	}
	s := string(h)
	if !strings.HasPrefix(s, `<svg role="img" aria-label="Cod QR: www.getsafeonline.org"`) || !strings.Contains(s, `<path fill="#000" d="M`) {
		t.Errorf("qr = %.200s…", s)
	}
}

func TestSite(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.getsafeonline.org/":         "www.getsafeonline.org",
		"https://records.example.org/start?id=7": "records.example.org/start",
		"not a url":                              "not a url",
	} {
		if got := Site(in); got != want {
			t.Errorf("Site(%q) = %q, want %q", in, got, want)
		}
	}
}

// testHelp is a help table like the config's default.
func testHelp() Help {
	return Help{ProviderName: "Example Surgery", ProviderPhone: "01234 567890", ProviderURL: "https://surgery.example.org/help",
		Organisations: []Organisation{{Name: "Get Safe Online", URL: "https://www.getsafeonline.org"}, {Name: "Men's Advice Line", Phone: "0808 801 0327", URL: "https://www.mensadviceline.org.uk"}}}
}

// TestAuthPrompt: the sign-in prompt for a site's HTTP authentication, in every language, has a
// name and a password field, the password reminder, a way out, and nothing that offers to
// remember; the name field takes the focus. A warning goes over it.
func TestAuthPrompt(t *testing.T) {
	r, err := New("en")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, l := range Languages() {
		u, err := r.In(l).Session(now.Add(time.Minute), "", time.Time{}, PromptAuth)
		if err != nil {
			t.Fatal(err)
		}
		reminder, _ := r.In(l).translate("auth.text")
		for _, want := range []string{`type="password"`, `name="user"`, `data-form="auth"`, `type="submit"`, `data-action="auth-cancel"`, reminder} {
			if !strings.Contains(u.Warning, strings.ReplaceAll(want, "'", "&#39;")) {
				t.Errorf("%s: the sign-in prompt has no %s:\n%s", l, want, u.Warning)
			}
		}
		if strings.Contains(u.Warning, "checkbox") || strings.Contains(strings.ToLower(u.Warning), "remember") {
			t.Errorf("%s: the sign-in prompt offers to remember:\n%s", l, u.Warning)
		}
		if u.Prompt != PromptAuth || u.Focus != "auth-user" || u.Bar == "" {
			t.Errorf("%s: prompt %q focus %q bar %v, want auth, auth-user, the bar", l, u.Prompt, u.Focus, u.Bar != "")
		}
		if w, _ := r.In(l).Session(now.Add(time.Minute), "idle", now.Add(time.Minute), PromptAuth); w.Prompt != "warning" {
			t.Errorf("%s: the idle warning does not go over the sign-in prompt: %q", l, w.Prompt)
		}
	}
	if !strings.Contains(r.In("en").mustTranslate(t, "auth.text"), "Cover your password") {
		t.Errorf("the English sign-in prompt does not carry the password reminder")
	}
}

func (r *Renderer) mustTranslate(t *testing.T, key string) string {
	t.Helper()
	s, err := r.translate(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
