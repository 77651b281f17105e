package metrics

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestEndpointScraped serves the metrics on a loopback port, scrapes them as Prometheus would
// and parses them with Prometheus's own text parser.
func TestEndpointScraped(t *testing.T) {
	m := New("test-1")
	m.SessionEnded("idle-timeout", 5*time.Minute, 80*time.Millisecond, true)
	m.SessionEnded("user-ended", 90*time.Second, 3*time.Second, false)
	m.WipeFailed()
	m.CardRead("accepted")
	m.CardRead("accepted")
	m.CardRead("unreadable")
	m.ReaderConnected(true)
	m.ShellStarted()
	m.ShellStarted()
	m.ShellCrashed()
	m.NavigationRefused()
	m.Reloaded(false)
	m.SIP2Check("error")
	m.SIP2Check("allowed")
	m.SIP2Check("error")

	l, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Serve(ctx, l, slog.New(slog.DiscardHandler)); close(done) }()
	defer func() { cancel(); <-done }()

	resp, err := http.Get("http://" + l.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /metrics: %s %s", resp.Status, b)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing the scrape: %v", err)
	}

	value := func(name string, labels ...string) float64 {
		t.Helper()
		f, ok := families[name]
		if !ok {
			t.Fatalf("no metric %s", name)
		}
	next:
		for _, mt := range f.Metric {
			for i := 0; i < len(labels); i += 2 {
				if label(mt, labels[i]) != labels[i+1] {
					continue next
				}
			}
			switch {
			case mt.Counter != nil:
				return mt.Counter.GetValue()
			case mt.Gauge != nil:
				return mt.Gauge.GetValue()
			case mt.Histogram != nil:
				return float64(mt.Histogram.GetSampleCount())
			}
		}
		t.Fatalf("no %s%v", name, labels)
		return 0
	}
	for _, tc := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"carekiosk_sessions_ended_total", []string{"reason", "idle-timeout"}, 1},
		{"carekiosk_sessions_ended_total", []string{"reason", "user-ended"}, 1},
		{"carekiosk_sessions_ended_total", []string{"reason", "closing-time"}, 0},
		{"carekiosk_session_duration_seconds", nil, 2},
		{"carekiosk_wipe_duration_seconds", nil, 2},
		{"carekiosk_wipe_failures_total", nil, 2},
		{"carekiosk_card_reads_total", []string{"result", "accepted"}, 2},
		{"carekiosk_card_reads_total", []string{"result", "unreadable"}, 1},
		{"carekiosk_card_reads_total", []string{"result", "closed"}, 0},
		{"carekiosk_reader_connected", nil, 1},
		{"carekiosk_shells_started_total", nil, 2},
		{"carekiosk_shells_crashed_total", nil, 1},
		{"carekiosk_navigations_refused_total", nil, 1},
		{"carekiosk_config_reloads_total", []string{"result", "refused"}, 1},
		{"carekiosk_build_info", []string{"version", "test-1"}, 1},
		{"carekiosk_sip2_checks_total", []string{"result", "error"}, 2},
		{"carekiosk_sip2_checks_total", []string{"result", "allowed"}, 1},
		{"carekiosk_sip2_checks_total", []string{"result", "wrong-pin"}, 0},
	} {
		if got := value(tc.name, tc.labels...); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	if f := families["carekiosk_session_duration_seconds"]; f.GetType() != dto.MetricType_HISTOGRAM {
		t.Errorf("session duration is a %v, want a histogram", f.GetType())
	}
	if _, ok := families["process_resident_memory_bytes"]; !ok {
		t.Error("no process metrics")
	}
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.Label {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func TestListenInUse(t *testing.T) {
	l, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := Listen(l.Addr().String()); err == nil {
		t.Error("a second Listen on the same address succeeded")
	}
}
