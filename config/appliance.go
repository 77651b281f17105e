package config

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/carekiosk/carekiosk/hours"
)

// Hours is the [hours] table: the kiosk's opening hours in its local time zone. Each weekday is
// "closed", or spans like "08:00-18:30" or "08:00-12:30, 13:30-18:00" ("24:00" closes at
// midnight; a span may not cross midnight). A weekday left out (or "") is open all day, so a
// file without [hours] is always open. Closed lists whole dates ("2026-12-25") it is closed.
type Hours struct {
	Monday    string   `toml:"monday"`
	Tuesday   string   `toml:"tuesday"`
	Wednesday string   `toml:"wednesday"`
	Thursday  string   `toml:"thursday"`
	Friday    string   `toml:"friday"`
	Saturday  string   `toml:"saturday"`
	Sunday    string   `toml:"sunday"`
	Closed    []string `toml:"closed"`
}

// days returns the weekdays' values by time.Weekday, with their keys.
func (h Hours) days() [7]struct{ key, value string } {
	return [7]struct{ key, value string }{
		{"sunday", h.Sunday}, {"monday", h.Monday}, {"tuesday", h.Tuesday}, {"wednesday", h.Wednesday},
		{"thursday", h.Thursday}, {"friday", h.Friday}, {"saturday", h.Saturday},
	}
}

// Schedule returns the opening hours read in loc (the kiosk's time.Local); nil, always open,
// when the table sets nothing. It fails only on values Validate refuses.
func (h Hours) Schedule(loc *time.Location) (*hours.Schedule, error) {
	var d [7][]hours.Span
	any := len(h.Closed) > 0
	for i, day := range h.days() {
		d[i] = hours.AllDay
		if day.value == "" {
			continue
		}
		any = true
		spans, err := hours.ParseDay(day.value)
		if err != nil {
			return nil, fmt.Errorf("hours.%s: %w", day.key, err)
		}
		d[i] = spans
	}
	if !any {
		return nil, nil
	}
	return hours.New(d, h.Closed, loc)
}

// Metrics is the [metrics] table: the Prometheus endpoint.
type Metrics struct {
	// Listen is the address ("host:port") of the HTTP endpoint that serves /metrics; "" turns
	// it off. Default DefaultMetricsListen. The host must be a loopback address unless
	// AllowRemote is set.
	Listen string `toml:"listen"`
	// AllowRemote lets Listen be an address other hosts can reach. The metrics hold no patient
	// data, but the endpoint has no authentication: prefer loopback and a local scraper.
	AllowRemote bool `toml:"allow_remote"`
}

// DefaultMetricsListen is where the metrics are served when the file does not say.
const DefaultMetricsListen = "127.0.0.1:9477"

// hours checks each weekday and each closed date.
func (v *validator) hours(h Hours) {
	for _, day := range h.days() {
		if day.value == "" {
			continue
		}
		if _, err := hours.ParseDay(day.value); err != nil {
			v.report("hours."+day.key, "%v", err)
		}
	}
	for i, c := range h.Closed {
		if _, err := time.Parse(time.DateOnly, c); err != nil {
			v.report(fmt.Sprintf("hours.closed[%d]", i), "%q is not a date written like \"2026-12-25\"", c)
		}
	}
}

// metrics checks the endpoint's address: host:port, and loopback unless allowed otherwise.
func (v *validator) metrics(m Metrics) {
	if m.Listen == "" {
		return
	}
	host, port, err := net.SplitHostPort(m.Listen)
	if err != nil {
		v.report("metrics.listen", "%q is not an address like \"127.0.0.1:9477\"", m.Listen)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		v.report("metrics.listen", "%q: the port must be a number from 1 to 65535", m.Listen)
		return
	}
	if m.AllowRemote || host == "localhost" {
		return
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		v.report("metrics.listen", "%q can be reached from other hosts; use a loopback address like \"127.0.0.1:9477\", or set allow_remote = true", m.Listen)
	}
}
