package kiosk

import (
	"net/url"
	"strings"
)

// Policy decides which pages the shell may load: https pages on the allowed hosts, and the blank
// page under the kiosk's own screens. Everything else — other hosts, http, file, data, javascript,
// blob, custom schemes — is refused, wherever the navigation comes from.
type Policy struct {
	// HostAllowed reports whether a host (lowercase, without port) is on the allowed list.
	HostAllowed func(host string) bool
}

// Allows reports whether the shell may load raw.
func (p Policy) Allows(raw string) bool {
	if raw == "about:blank" {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Opaque != "" {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host != "" && p.HostAllowed(host)
}
