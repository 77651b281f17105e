package demo

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/syncbuf"
)

// startPortal starts a real portal on a free loopback port, logging at debug level into the
// returned buffer, and closes it when the test ends.
func startPortal(t *testing.T) (*Portal, *syncbuf.Buffer) {
	t.Helper()
	logs := &syncbuf.Buffer{}
	p, err := Start("127.0.0.1:0", slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p, logs
}

// newClient returns a client that trusts only the portal's certificate, keeps cookies when jar
// is true, and never follows redirects, so tests see each 303.
func newClient(t *testing.T, p *Portal, jar bool) *http.Client {
	t.Helper()
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(p.CertificatePEM()) {
		t.Fatal("CertificatePEM holds no certificate")
	}
	c := &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: 10 * time.Second,
	}
	if jar {
		j, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Jar = j
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// do sends req and returns the response with its body read.
func do(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return resp, string(body)
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, c, req)
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, c, req)
}

// signIn signs c in as user and fails the test unless the portal redirects to /record.
func signIn(t *testing.T, c *http.Client, p *Portal, user, pass string) *http.Response {
	t.Helper()
	resp, _ := postForm(t, c, p.URL(), url.Values{"username": {user}, "password": {pass}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/record" {
		t.Fatalf("sign-in: got %d to %q, want 303 to /record", resp.StatusCode, resp.Header.Get("Location"))
	}
	return resp
}

func sessionCookieOf(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == cookieName {
			return c
		}
	}
	return nil
}

// recordPaths are the pages that need a signed-in session.
var recordPaths = []string{
	"record", "record/consultations", "record/results", "record/medicines", "record/letters",
	"record/letters/1", "record/letters/4",
}
