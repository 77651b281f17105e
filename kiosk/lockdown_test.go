package kiosk

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/config"
)

func TestSwallowed(t *testing.T) {
	cases := []struct {
		name string
		key  Key
		want bool
	}{
		{"ctrl+n new window", Key{Val: 'n', Ctrl: true}, true},
		{"ctrl+w close", Key{Val: 'w', Ctrl: true}, true},
		{"ctrl+shift+w close", Key{Val: 'w', Ctrl: true, Shift: true}, true},
		{"ctrl+t tab", Key{Val: 't', Ctrl: true}, true},
		{"ctrl+o open", Key{Val: 'o', Ctrl: true}, true},
		{"ctrl+s save", Key{Val: 's', Ctrl: true}, true},
		{"ctrl+p print", Key{Val: 'p', Ctrl: true}, true},
		{"ctrl+u view source", Key{Val: 'u', Ctrl: true}, true},
		{"ctrl+h history", Key{Val: 'h', Ctrl: true}, true},
		{"ctrl+j downloads", Key{Val: 'j', Ctrl: true}, true},
		{"ctrl+l address bar", Key{Val: 'l', Ctrl: true}, true},
		{"alt+d address bar", Key{Val: 'd', Alt: true}, true},
		{"ctrl+f find", Key{Val: 'f', Ctrl: true}, true},
		{"ctrl+shift+i inspector", Key{Val: 'i', Ctrl: true, Shift: true}, true},
		{"ctrl+shift+c element picker", Key{Val: 'c', Ctrl: true, Shift: true}, true},
		{"ctrl+shift+d gtk inspector", Key{Val: 'd', Ctrl: true, Shift: true}, true},
		{"F1 help", Key{Val: keyF1}, true},
		{"F3 find next", Key{Val: keyF3}, true},
		{"ctrl+F5", Key{Val: keyF5, Ctrl: true}, true},
		{"shift+F5", Key{Val: keyF5, Shift: true}, true},
		{"F6 address bar", Key{Val: keyF6}, true},
		{"F7 caret browsing", Key{Val: keyF7}, true},
		{"F11 full screen", Key{Val: keyF11}, true},
		{"F12 developer tools", Key{Val: keyF12}, true},
		{"alt+F4 close", Key{Val: keyF4, Alt: true}, true},
		{"alt+left back", Key{Val: keyLeft, Alt: true}, true},
		{"super", Key{Val: 'e', Super: true}, true},
		{"ctrl+. emoji chooser", Key{Val: '.', Ctrl: true}, true},
		{"ctrl+; emoji chooser", Key{Val: ';', Ctrl: true}, true},
		{"typing a full stop stays", Key{Val: '.'}, false},
		{"plain F5 reload stays", Key{Val: keyF5}, false},
		{"typing stays", Key{Val: 'a'}, false},
		{"shift typing stays", Key{Val: 'a', Shift: true}, false},
		{"ctrl+c copy stays", Key{Val: 'c', Ctrl: true}, false},
		{"ctrl+v paste stays", Key{Val: 'v', Ctrl: true}, false},
		{"ctrl+a select all stays", Key{Val: 'a', Ctrl: true}, false},
		{"tab stays", Key{Val: 0xff09}, false},
		{"enter stays", Key{Val: 0xff0d}, false},
		{"escape stays", Key{Val: keyEscape}, false},
	}
	for _, tc := range cases {
		if got := Swallowed(tc.key); got != tc.want {
			t.Errorf("%s: Swallowed = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestZoomKeysStay(t *testing.T) {
	for _, tc := range []struct {
		key  Key
		want int
	}{
		{Key{Val: '+', Ctrl: true, Shift: true}, 1},
		{Key{Val: '=', Ctrl: true}, 1},
		{Key{Val: 0xffab, Ctrl: true}, 1},
		{Key{Val: '-', Ctrl: true}, -1},
		{Key{Val: '0', Ctrl: true}, 0},
	} {
		got, ok := Zoom(tc.key)
		if !ok || got != tc.want {
			t.Errorf("Zoom(%+v) = %d, %v; want %d, true", tc.key, got, ok, tc.want)
		}
		if Swallowed(tc.key) {
			t.Errorf("zoom key %+v is swallowed", tc.key)
		}
	}
	if _, ok := Zoom(Key{Val: '+'}); ok {
		t.Errorf("plain + is a zoom key")
	}
}

func TestRateLimit(t *testing.T) {
	r := RateLimit{Max: 3, Per: 10 * time.Second}
	t0 := time.Unix(0, 0)
	for i, want := range []bool{true, true, true, false, false} {
		if got := r.Allow(t0.Add(time.Duration(i) * time.Second)); got != want {
			t.Errorf("dialog %d: Allow = %v, want %v", i, got, want)
		}
	}
	if !r.Allow(t0.Add(11 * time.Second)) {
		t.Errorf("after the window the limit does not recover")
	}
}

// TestContentRules checks the rule list WebKit compiles, by applying its filters the way the
// content blocker does (first match of the last applicable rule wins).
func TestContentRules(t *testing.T) {
	blocked := contentBlocker(t, "records.example.org", "*.nhs.example")
	for url, want := range map[string]bool{
		"https://records.example.org/":                false,
		"https://records.example.org:8443/x":          false,
		"https://a.nhs.example/login":                 false,
		"https://a.b.nhs.example/":                    false,
		"data:image/png;base64,AAAA":                  false,
		"blob:https://records.example.org/1":          false,
		"http://records.example.org/":                 true,
		"https://records.example.org.evil.test/":      true,
		"https://evilrecords.example.org/":            true,
		"https://nhs.example/":                        true,
		"https://evil.test/?https://a.nhs.example":    true,
		"wss://records.example.org/socket":            false,
		"ws://records.example.org/socket":             true,
		"https://127.0.0.2/":                          true,
		"webkit-pdfjs-viewer://pdfjs/web/viewer.html": false,
		"webkit-pdfjs-viewer://other/x":               true,
	} {
		if got := blocked(url); got != want {
			t.Errorf("%s: blocked = %v, want %v", url, got, want)
		}
	}
	if strings.Contains(ContentRules(nil), "ignore-previous-rules\"},{\"trigger\":{\"url-filter\":\"^https") {
		t.Errorf("no hosts, yet https is allowed")
	}
}

// TestContentRulesUserInfo: a user name and password that spell an allowed host (and port)
// before another host do not make that other host allowed.
func TestContentRulesUserInfo(t *testing.T) {
	blocked := contentBlocker(t, "records.example.org", "*.nhs.example")
	for _, url := range []string{
		"https://records.example.org:pw@evil.test/x.png",
		"https://records.example.org:443@evil.test/",
		"wss://records.example.org:8443@evil.test/socket",
		"https://a.nhs.example:pw@evil.test/",
		"wss://a.nhs.example:443@evil.test/",
	} {
		if !blocked(url) {
			t.Errorf("%s: blocked = false, want true", url)
		}
	}
}

// contentBlocker applies the ContentRules of allowed hosts to a URL the way the content blocker
// does (first match of the last applicable rule wins) and says whether it is blocked.
func contentBlocker(t *testing.T, hosts ...string) func(url string) bool {
	t.Helper()
	var rules []struct {
		Trigger struct {
			URLFilter string `json:"url-filter"`
		} `json:"trigger"`
		Action struct{ Type string } `json:"action"`
	}
	if err := json.Unmarshal([]byte(ContentRules(config.NewHosts(hosts))), &rules); err != nil {
		t.Fatal(err)
	}
	return func(url string) bool {
		b := false
		for _, r := range rules {
			if regexp.MustCompile(r.Trigger.URLFilter).MatchString(url) {
				b = r.Action.Type == "block"
			}
		}
		return b
	}
}
