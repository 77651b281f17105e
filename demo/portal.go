// Package demo is the embedded demo record portal that `carekiosk run -dev` starts, so anyone can
// try the kiosk without a real record provider. It is a small HTTPS site on 127.0.0.1 with a
// certificate made at start: a sign-in page on which any username and password work, an invented
// patient record (consultations, test results, medicines, letters) and a logout page that ends the
// server-side session. It runs no script and loads nothing from elsewhere.
package demo

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// loopback is the only address the portal serves on, and the one its certificate names besides
// localhost.
const loopback = "127.0.0.1"

// Portal is a running demo record provider: an HTTPS server on loopback with a certificate made
// at start.
type Portal struct {
	log     *slog.Logger
	ln      net.Listener
	srv     *http.Server
	certPEM []byte
	base    string
	pages   *pages
	store   *sessions

	closeOnce sync.Once
	closeErr  error
	served    chan error
}

// Start listens on addr (e.g. "127.0.0.1:0"), makes a fresh ECDSA P-256 self-signed certificate
// for 127.0.0.1 and localhost (valid from a minute ago for 24 hours, random serial) and serves.
// The private key never touches disk. The host of addr must be 127.0.0.1, localhost or empty (all
// mean 127.0.0.1): the portal never listens beyond loopback. A nil log discards the log.
func Start(addr string, log *slog.Logger) (*Portal, error) {
	return start(addr, log, time.Now)
}

func start(addr string, log *slog.Logger, now func() time.Time) (*Portal, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("demo portal address %q: %w", addr, err)
	}
	if host != "" && host != "localhost" && host != loopback {
		return nil, fmt.Errorf("demo portal address %q: host must be %s or localhost", addr, loopback)
	}
	pair, certPEM, err := NewCertificate(now())
	if err != nil {
		return nil, fmt.Errorf("demo portal certificate: %w", err)
	}
	pg, err := loadPages()
	if err != nil {
		return nil, fmt.Errorf("demo portal pages: %w", err)
	}
	ln, err := net.Listen("tcp4", net.JoinHostPort(loopback, port))
	if err != nil {
		return nil, fmt.Errorf("demo portal listening on %s: %w", addr, err)
	}
	p := &Portal{
		log:     log,
		ln:      ln,
		certPEM: certPEM,
		base:    "https://" + ln.Addr().String(),
		pages:   pg,
		store:   newSessions(now),
		served:  make(chan error, 1),
	}
	p.srv = &http.Server{
		Handler: p.logged(secured(p.routes())),
		TLSConfig: &tls.Config{
			MinVersion:   tls.VersionTLS12,
			Certificates: []tls.Certificate{pair},
		},
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	go func() { p.served <- p.srv.ServeTLS(ln, "", "") }()
	log.Info("demo portal started", "url", p.URL())
	return p, nil
}

// URL returns the sign-in page, "https://127.0.0.1:PORT/": the kiosk's start_url.
func (p *Portal) URL() string { return p.base + "/" }

// LogoutURL returns "https://127.0.0.1:PORT/logout", which ends the server-side session of the
// browser that visits it (GET or POST) and expires its cookie.
func (p *Portal) LogoutURL() string { return p.base + "/logout" }

// Host returns the host the portal serves and its certificate names: always "127.0.0.1".
func (p *Portal) Host() string { return loopback }

// CertificatePEM returns the portal's certificate (never its key) as one PEM block, for the kiosk's
// trusted_certificates. The caller must not modify it.
func (p *Portal) CertificatePEM() []byte { return p.certPEM }

// Sessions returns the number of live server-side sessions: signed in, not signed out, not
// expired.
func (p *Portal) Sessions() int { return p.store.count() }

// Close stops the portal at once, closing open connections, and waits for the server to stop.
// Later calls return the first call's result.
func (p *Portal) Close() error {
	p.closeOnce.Do(func() {
		p.closeErr = p.srv.Close()
		if err := <-p.served; !errors.Is(err, http.ErrServerClosed) && p.closeErr == nil {
			p.closeErr = err
		}
		p.log.Info("demo portal stopped")
	})
	return p.closeErr
}

// secured sets the portal's security headers on every response. Nothing the portal serves may be
// stored: on a shared computer even the style sheet is not worth a trace.
func secured(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// logged logs each request's method, path and status, and nothing else: no query string, form,
// cookie or header, so no username, password or session ever reaches the log.
func (p *Portal) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		p.log.Info("demo portal request", "method", r.Method, "path", r.URL.Path, "status", sw.status)
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}
