package config

import (
	"fmt"
	"net/url"
	"strings"
)

// MatchHost reports whether host may be opened under AllowedHosts. Matching ignores case. An
// entry "records.example.org" matches that host only; "*.example.org" matches any sub-domain
// ("a.example.org", "a.b.example.org") but not "example.org" itself. host is a bare host name
// as url.URL.Hostname returns it: one with a port, a trailing dot or nothing at all matches
// no entry, so the browser's URL policy fails closed on it.
func (c *Config) MatchHost(host string) bool {
	host = strings.ToLower(host)
	if host == "" {
		return false
	}
	for _, allowed := range c.AllowedHosts {
		allowed = strings.ToLower(allowed)
		if base, ok := strings.CutPrefix(allowed, "*."); ok {
			if base != "" && len(host) > len(base)+1 && strings.HasSuffix(host, "."+base) {
				return true
			}
			continue
		}
		if host == allowed {
			return true
		}
	}
	return false
}

// hostProblem says what is wrong with an allowed_hosts entry h (already lowercased), or returns
// "" if it is a valid host name or wildcard.
func hostProblem(h string) string {
	if h == "" {
		return "an empty string is not a host name"
	}
	if strings.Contains(h, "://") {
		if u, err := url.Parse(h); err == nil && u.Hostname() != "" {
			return fmt.Sprintf("%q must be a bare host name, like %q: no scheme, path or port", h, u.Hostname())
		}
		return fmt.Sprintf("%q must be a bare host name: no scheme such as https://", h)
	}
	if strings.Contains(h, "/") {
		return fmt.Sprintf("%q must be a bare host name: no path", h)
	}
	if strings.Contains(h, ":") {
		return fmt.Sprintf("%q must be a bare host name: no port (any port of an allowed host is allowed)", h)
	}
	name := h
	if base, ok := strings.CutPrefix(h, "*."); ok {
		if !strings.Contains(base, ".") {
			return fmt.Sprintf("%q is too broad: a wildcard needs at least two labels after \"*.\", like \"*.example.org\"", h)
		}
		name = base
	}
	if strings.Contains(name, "*") {
		return fmt.Sprintf("%q: a wildcard can only be a leading \"*.\", like \"*.example.org\"", h)
	}
	if strings.HasSuffix(name, ".") {
		return fmt.Sprintf("%q must not end with a dot", h)
	}
	if len(name) > 253 {
		return fmt.Sprintf("%q is longer than a host name can be (253 characters)", h)
	}
	for _, label := range strings.Split(name, ".") {
		switch {
		case label == "":
			return fmt.Sprintf("%q has an empty label (two dots in a row, or a leading dot)", h)
		case len(label) > 63:
			return fmt.Sprintf("%q has a label longer than 63 characters", h)
		case strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-"):
			return fmt.Sprintf("%q has a label that begins or ends with \"-\"", h)
		}
		for _, r := range label {
			if r > 0x7f {
				return fmt.Sprintf("%q: write an international name in its ASCII (xn--) form", h)
			}
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return fmt.Sprintf("%q has %q, which cannot be in a host name (letters, digits, \"-\" and \".\" can)", h, r)
			}
		}
	}
	return ""
}
