// Package metrics is the kiosk's Prometheus endpoint: how many sessions ended and why, how long
// sessions and wipes took, card reads, the reader, the browser shells. Nothing in it identifies
// a patient: no card, no session id, no page. The session manager reports through the small
// interface supervisor.Reporter, which *Metrics implements, so package supervisor does not import
// Prometheus; the end reasons are session's own.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/carekiosk/carekiosk/session"
)

// CardResults are the results of a card read: accepted (a session started), ignored (not on the
// welcome screen), closed (outside opening hours), unreadable (not a card).
var CardResults = []string{"accepted", "ignored", "closed", "unreadable"}

// Metrics holds the kiosk's metrics in their own registry. Its methods are safe from any
// goroutine.
type Metrics struct {
	reg             *prometheus.Registry
	sessions        *prometheus.CounterVec
	sessionSeconds  prometheus.Histogram
	wipeSeconds     prometheus.Histogram
	wipeFailures    prometheus.Counter
	cardReads       *prometheus.CounterVec
	readerConnected prometheus.Gauge
	shellsStarted   prometheus.Counter
	shellsCrashed   prometheus.Counter
	refused         prometheus.Counter
	reloads         *prometheus.CounterVec
	sip2Checks      *prometheus.CounterVec
}

// SIP2Results are the results of a library card's check over SIP2: allowed (a valid patron),
// refused (the server refused the card), wrong-pin, error (the server could not be asked or
// answered nonsense: the card was refused, and the technician should look).
var SIP2Results = []string{"allowed", "refused", "wrong-pin", "error"}

// New returns the metrics, registered with the Go runtime's and the process's own, and
// carekiosk_build_info labelled with version.
func New(version string) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.reg.MustRegister(c) }
	m.sessions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carekiosk_sessions_ended_total", Help: "Sessions ended, by end reason.",
	}, []string{"reason"})
	m.sessionSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "carekiosk_session_duration_seconds", Help: "How long sessions lasted, from the card to the end.",
		Buckets: []float64{30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 14400},
	})
	m.wipeSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "carekiosk_wipe_duration_seconds", Help: "How long ending a session's browser, deleting and verifying took.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	})
	m.wipeFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "carekiosk_wipe_failures_total", Help: "Wipes that could not be verified; each takes the kiosk out of service.",
	})
	m.cardReads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carekiosk_card_reads_total", Help: "Card reads, by result: accepted, ignored, closed, unreadable.",
	}, []string{"result"})
	m.readerConnected = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "carekiosk_reader_connected", Help: "1 while the card reader is open, else 0.",
	})
	m.shellsStarted = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "carekiosk_shells_started_total", Help: "Browser shells started (one per session, plus restarts).",
	})
	m.shellsCrashed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "carekiosk_shells_crashed_total", Help: "Browser shells that died on their own.",
	})
	m.refused = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "carekiosk_navigations_refused_total", Help: "Navigations the browser refused (other hosts, schemes, downloads).",
	})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carekiosk_config_reloads_total", Help: "Config reloads (systemctl reload), by result: applied or refused.",
	}, []string{"result"})
	m.sip2Checks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "carekiosk_sip2_checks_total", Help: "Library cards checked over SIP2, by result: allowed, refused, wrong-pin, error.",
	}, []string{"result"})
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "carekiosk_build_info", Help: "Always 1; the version is a label.", ConstLabels: prometheus.Labels{"version": version},
	})
	info.Set(1)
	for _, c := range []prometheus.Collector{m.sessions, m.sessionSeconds, m.wipeSeconds, m.wipeFailures,
		m.cardReads, m.readerConnected, m.shellsStarted, m.shellsCrashed, m.refused, m.reloads, m.sip2Checks, info,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		f(c)
	}
	for _, r := range session.Reasons { // every series exists from the first scrape
		m.sessions.WithLabelValues(string(r))
	}
	for _, r := range CardResults {
		m.cardReads.WithLabelValues(r)
	}
	for _, r := range SIP2Results {
		m.sip2Checks.WithLabelValues(r)
	}
	m.reloads.WithLabelValues("applied")
	m.reloads.WithLabelValues("refused")
	return m
}

// SessionEnded counts a session that ended for reason after lasted, and its wipe, which took
// wipe and was verified or not.
func (m *Metrics) SessionEnded(reason string, lasted, wipe time.Duration, verified bool) {
	m.sessions.WithLabelValues(reason).Inc()
	m.sessionSeconds.Observe(lasted.Seconds())
	m.wipeSeconds.Observe(wipe.Seconds())
	if !verified {
		m.wipeFailures.Inc()
	}
}

// WipeFailed counts a failed wipe of a browser that served no session.
func (m *Metrics) WipeFailed() { m.wipeFailures.Inc() }

// CardRead counts a card read by result (one of CardResults).
func (m *Metrics) CardRead(result string) { m.cardReads.WithLabelValues(result).Inc() }

// SIP2Check counts a library card checked over SIP2, by result (one of SIP2Results).
func (m *Metrics) SIP2Check(result string) { m.sip2Checks.WithLabelValues(result).Inc() }

// ShellStarted counts a browser shell started.
func (m *Metrics) ShellStarted() { m.shellsStarted.Inc() }

// ShellCrashed counts a browser shell that died on its own.
func (m *Metrics) ShellCrashed() { m.shellsCrashed.Inc() }

// NavigationRefused counts a navigation the browser refused.
func (m *Metrics) NavigationRefused() { m.refused.Inc() }

// ReaderConnected sets whether the card reader is open.
func (m *Metrics) ReaderConnected(ok bool) {
	if ok {
		m.readerConnected.Set(1)
	} else {
		m.readerConnected.Set(0)
	}
}

// Reloaded counts a config reload, applied or refused.
func (m *Metrics) Reloaded(applied bool) {
	if applied {
		m.reloads.WithLabelValues("applied").Inc()
	} else {
		m.reloads.WithLabelValues("refused").Inc()
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Listen opens addr for Serve; an address in use is an error the caller reports.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics endpoint %s: %w", addr, err)
	}
	return l, nil
}

// Serve serves /metrics on l until ctx ends.
func (m *Metrics) Serve(ctx context.Context, l net.Listener, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("metrics endpoint stopped", "err", err)
	}
}
