package demo

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestStartAddress(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"localhost:0", true},
		{":0", true},
		{"0.0.0.0:0", false},
		{"192.0.2.1:0", false},
		{"[::1]:0", false},
		{"example.com:0", false},
		{"no-port", false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			p, err := Start(tc.addr, nil)
			if err == nil {
				defer p.Close()
			}
			if got := err == nil; got != tc.ok {
				t.Fatalf("Start(%q): got err=%v, want ok=%v", tc.addr, err, tc.ok)
			}
			if !tc.ok {
				return
			}
			if !regexp.MustCompile(`^https://127\.0\.0\.1:[0-9]+/$`).MatchString(p.URL()) {
				t.Errorf("URL: got %q, want https://127.0.0.1:PORT/", p.URL())
			}
			if got, want := p.LogoutURL(), p.URL()+"logout"; got != want {
				t.Errorf("LogoutURL: got %q, want %q", got, want)
			}
			if got := p.Host(); got != "127.0.0.1" {
				t.Errorf("Host: got %q, want 127.0.0.1", got)
			}
		})
	}
}

func TestCloseStopsServing(t *testing.T) {
	p, err := Start("127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, p, false)
	if resp, _ := get(t, c, p.URL()); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / before Close: got %d, want 200", resp.StatusCode)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	c.CloseIdleConnections()
	if resp, err := c.Get(p.URL()); err == nil {
		resp.Body.Close()
		t.Error("GET / after Close: got a response, want an error")
	}
}

func TestSignInRecordLogout(t *testing.T) {
	p, _ := startPortal(t)
	c := newClient(t, p, true)

	resp, body := get(t, c, p.URL())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /: got %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{
		"Riverside Demo Surgery", "Demo — not a real record", "Demo: any username and password work",
		`name="username"`, `type="password"`, `autocomplete="current-password"`,
		`type="checkbox" value="on"`, `name="remember"`, `>Sign in</button>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("sign-in page: missing %q", want)
		}
	}

	resp = signIn(t, c, p, "alex.morgan@example.org", "correct horse")
	ck := sessionCookieOf(resp)
	if ck == nil {
		t.Fatal("sign-in: no session cookie")
	}
	if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Errorf("session cookie: got HttpOnly=%v Secure=%v SameSite=%v Path=%q, want HttpOnly Secure Lax /",
			ck.HttpOnly, ck.Secure, ck.SameSite, ck.Path)
	}
	if ck.MaxAge != 0 || !ck.Expires.IsZero() {
		t.Errorf("session cookie without Remember me: got MaxAge=%d Expires=%v, want a browser-session cookie", ck.MaxAge, ck.Expires)
	}
	if len(ck.Value) < 40 {
		t.Errorf("session cookie value: got %d characters, want a long random value", len(ck.Value))
	}
	if got := p.Sessions(); got != 1 {
		t.Errorf("Sessions after sign-in: got %d, want 1", got)
	}

	pages := []struct {
		path string
		want []string
	}{
		{"record", []string{"Your record", "Alex Morgan", "/record/consultations", "/record/results", "/record/medicines", "/record/letters"}},
		{"record/consultations", []string{"Consultations", "NHS Health Check", "Flu vaccination"}},
		{"record/results", []string{"<table", "Haemoglobin", "115 to 165", "Normal range", "Cholesterol"}},
		{"record/medicines", []string{"Cetirizine 10 mg tablets", "Repeat"}},
		{"record/letters", []string{`href="/record/letters/1"`, `href="/record/letters/4"`, "Hearing assessment"}},
		{"record/letters/1", []string{"Your flu vaccination", "Dear Alex Morgan,"}},
		{"record/letters/4", []string{"Hearing assessment", "Dear Dr Okafor,", "Re: Alex Morgan"}},
	}
	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) {
			resp, body := get(t, c, p.URL()+pg.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /%s: got %d, want 200", pg.path, resp.StatusCode)
			}
			for _, want := range append(pg.want, `href="/logout"`, `aria-current="page"`) {
				if !strings.Contains(strings.ToLower(body), strings.ToLower(want)) {
					t.Errorf("GET /%s: missing %q", pg.path, want)
				}
			}
		})
	}

	if resp, _ := get(t, c, p.URL()); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/record" {
		t.Errorf("GET / signed in: got %d to %q, want 303 to /record", resp.StatusCode, resp.Header.Get("Location"))
	}

	resp, body = get(t, c, p.LogoutURL())
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You have signed out") {
		t.Errorf("GET /logout: got %d, want 200 with \"You have signed out\"", resp.StatusCode)
	}
	if out := sessionCookieOf(resp); out == nil || out.MaxAge >= 0 {
		t.Errorf("logout cookie: got %v, want the session cookie expired", out)
	}
	if got := p.Sessions(); got != 0 {
		t.Errorf("Sessions after logout: got %d, want 0", got)
	}
	if strings.Contains(body, `href="/record`) {
		t.Error("signed-out page links into the record")
	}

	for _, path := range recordPaths {
		resp, _ := get(t, c, p.URL()+path)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Errorf("GET /%s after logout: got %d to %q, want 303 to /", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}

	// The old cookie, replayed by hand, is dead on the server too.
	bare := newClient(t, p, false)
	req, _ := http.NewRequest(http.MethodGet, p.URL()+"record", nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: ck.Value})
	if resp, _ := do(t, bare, req); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("replayed cookie after logout: got %d, want 303", resp.StatusCode)
	}
}

func TestLogoutPost(t *testing.T) {
	p, _ := startPortal(t)
	c := newClient(t, p, true)
	signIn(t, c, p, "sam", "pw")
	resp, body := postForm(t, c, p.LogoutURL(), url.Values{})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "You have signed out") {
		t.Errorf("POST /logout: got %d, want 200 with \"You have signed out\"", resp.StatusCode)
	}
	if got := p.Sessions(); got != 0 {
		t.Errorf("Sessions after POST /logout: got %d, want 0", got)
	}
}

func TestSignInRefused(t *testing.T) {
	p, _ := startPortal(t)
	c := newClient(t, p, true)
	tests := []struct {
		name, user, pass, want string
	}{
		{"both empty", "", "", "Enter your username and password."},
		{"no username", "", "secret", "Enter your username."},
		{"no password", "sam", "", "Enter your password."},
		{"blank username", "   ", "secret", "Enter your username."},
		{"blank password", "sam", " \t", "Enter your password."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := postForm(t, c, p.URL(), url.Values{"username": {tc.user}, "password": {tc.pass}})
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status: got %d, want 200 (the page again)", resp.StatusCode)
			}
			if !strings.Contains(body, tc.want) || !strings.Contains(body, `name="password"`) {
				t.Errorf("body: want the sign-in form with %q", tc.want)
			}
			if ck := sessionCookieOf(resp); ck != nil {
				t.Errorf("cookie: got %v, want none", ck)
			}
			if got := p.Sessions(); got != 0 {
				t.Errorf("Sessions: got %d, want 0", got)
			}
		})
	}
}

func TestRecordNeedsSession(t *testing.T) {
	p, _ := startPortal(t)
	c := newClient(t, p, false)
	for _, cookie := range []string{"", "forged-value"} {
		for _, path := range recordPaths {
			t.Run(path+"/cookie="+cookie, func(t *testing.T) {
				req, _ := http.NewRequest(http.MethodGet, p.URL()+path, nil)
				if cookie != "" {
					req.AddCookie(&http.Cookie{Name: cookieName, Value: cookie})
				}
				resp, body := do(t, c, req)
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
					t.Errorf("got %d to %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
				}
				if strings.Contains(body, "Cetirizine") || strings.Contains(body, "Haemoglobin") {
					t.Error("redirect body shows part of the record")
				}
				if ck := sessionCookieOf(resp); cookie != "" && (ck == nil || ck.MaxAge >= 0) {
					t.Errorf("forged cookie: got %v, want it expired", ck)
				}
			})
		}
	}
}

func TestRememberMe(t *testing.T) {
	p, _ := startPortal(t)
	c := newClient(t, p, true)
	resp, _ := postForm(t, c, p.URL(), url.Values{"username": {"sam"}, "password": {"pw"}, "remember": {"on"}})
	ck := sessionCookieOf(resp)
	if ck == nil {
		t.Fatal("no session cookie")
	}
	if want := int((30 * 24 * time.Hour).Seconds()); ck.MaxAge != want {
		t.Errorf("cookie with Remember me: got MaxAge=%d, want %d (a persistent cookie, as a real portal sets)", ck.MaxAge, want)
	}
}

func TestSignInAgainReplacesSession(t *testing.T) {
	p, _ := startPortal(t)
	c := newClient(t, p, true)
	signIn(t, c, p, "sam", "pw")
	signIn(t, c, p, "kim", "pw")
	if got := p.Sessions(); got != 1 {
		t.Errorf("Sessions after signing in twice: got %d, want 1", got)
	}
}

func TestNotFound(t *testing.T) {
	p, _ := startPortal(t)
	c := newClient(t, p, true)
	signIn(t, c, p, "sam", "pw")
	for _, path := range []string{"record/letters/0", "record/letters/5", "record/letters/01", "record/letters/x", "nope", "record/"} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, c, p.URL()+path)
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") {
				t.Errorf("got %d, want 404 with the not-found page", resp.StatusCode)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	p, _ := startPortal(t)
	c := newClient(t, p, true)
	signIn(t, c, p, "sam", "pw")
	for _, path := range []string{"", "record", "record/results", "record/letters/2", "style.css", "nope", "logout"} {
		t.Run("/"+path, func(t *testing.T) {
			resp, _ := get(t, c, p.URL()+path)
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q: missing %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") || strings.Contains(csp, "*") {
				t.Errorf("Content-Security-Policy %q: want nothing unsafe or external", csp)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"Cache-Control":          "no-store",
				"X-Frame-Options":        "DENY",
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
		})
	}
}

// TestSelfContained checks that no page loads a script or anything from another origin.
func TestSelfContained(t *testing.T) {
	p, _ := startPortal(t)
	anon, c := newClient(t, p, false), newClient(t, p, true)
	signIn(t, c, p, "sam", "pw")
	ref := regexp.MustCompile(`(?i)(?:href|src|action)\s*=\s*"([^"]*)"`)
	type fetch struct {
		c    *http.Client
		path string
	}
	fetches := []fetch{{anon, ""}, {anon, "style.css"}, {anon, "nope"}, {anon, "logout"}}
	for _, path := range recordPaths {
		fetches = append(fetches, fetch{c, path})
	}
	for _, f := range fetches {
		resp, body := get(t, f.c, p.URL()+f.path)
		want := http.StatusOK
		if f.path == "nope" {
			want = http.StatusNotFound
		}
		if resp.StatusCode != want {
			t.Errorf("GET /%s: got %d, want %d", f.path, resp.StatusCode, want)
		}
		low := strings.ToLower(body)
		for _, bad := range []string{"<script", "javascript:", "@import", "url(", "<iframe", " style=", "onclick", "onload"} {
			if strings.Contains(low, bad) {
				t.Errorf("GET /%s: contains %q", f.path, bad)
			}
		}
		for _, m := range ref.FindAllStringSubmatch(body, -1) {
			if u := m[1]; !strings.HasPrefix(u, "#") && (!strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//")) {
				t.Errorf("GET /%s: reference %q is not a same-origin path", f.path, u)
			}
		}
	}
}

func TestLogHoldsNoSecrets(t *testing.T) {
	p, logs := startPortal(t)
	c := newClient(t, p, true)
	const user, pass = "canary.user.7f3a9c", "pw-5e1d0b-canary"
	resp := signIn(t, c, p, user, pass)
	cookie := sessionCookieOf(resp).Value
	get(t, c, p.URL()+"record?token=query-canary-42")
	get(t, c, p.URL()+"record/letters/2")
	postForm(t, c, p.URL(), url.Values{"username": {user}, "password": {""}})
	get(t, c, p.LogoutURL())

	out := logs.String()
	for _, secret := range []string{user, pass, "Canary User", displayName(user), cookie, "query-canary-42", "token="} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"method=POST path=/ status=303", "method=GET path=/record status=200", "path=/record/letters/2", "path=/logout status=200"} {
		if !strings.Contains(out, want) {
			t.Errorf("log: missing %q:\n%s", want, out)
		}
	}
}
