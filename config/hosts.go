package config

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// HostRule is what one allowed_hosts entry allows, the one place that meaning is written: an
// entry "records.example.org" allows that host only; "*.example.org" any sub-domain
// ("a.example.org", "a.b.example.org") but not "example.org" itself. Case does not matter. The
// config's validation, the browser's URL policy and its content blocker all ask a HostRule.
type HostRule struct {
	name     string // lowercase; of a wildcard, what follows "*."
	wildcard bool
}

// NewHostRule is the rule of an allowed_hosts entry. Any string makes a rule; one that
// hostProblem refuses matches no host, or only itself.
func NewHostRule(entry string) HostRule {
	h := strings.ToLower(entry)
	if base, ok := strings.CutPrefix(h, "*."); ok {
		return HostRule{name: base, wildcard: true}
	}
	return HostRule{name: h}
}

// Match reports whether r allows host, a bare host name as url.URL.Hostname returns it (any
// case): one with a port, a trailing dot or nothing at all matches no rule, so the browser's URL
// policy fails closed on it.
func (r HostRule) Match(host string) bool {
	host = strings.ToLower(host)
	switch {
	case host == "":
		return false
	case r.wildcard:
		return r.name != "" && len(host) > len(r.name)+1 && strings.HasSuffix(host, "."+r.name)
	default:
		return host == r.name
	}
}

// Pattern is the host part of the URLs r allows, as a regular expression of WebKit's
// content-blocker rules (url-filter): the name, quoted; a wildcard's sub-domain is one or more
// characters none of which ends a host ("/"), starts a port (":") or ends a user name ("@"), then
// a dot. The content blocker anchors it and says what may follow.
func (r HostRule) Pattern() string {
	if r.wildcard {
		return `[^/:@]+\.` + regexp.QuoteMeta(r.name)
	}
	return regexp.QuoteMeta(r.name)
}

// Hosts is the allowed_hosts list as rules: a host is allowed when a rule of the list allows it,
// none when the list is empty.
type Hosts []HostRule

// NewHosts is the rules of allowed_hosts entries.
func NewHosts(entries []string) Hosts {
	hs := make(Hosts, len(entries))
	for i, e := range entries {
		hs[i] = NewHostRule(e)
	}
	return hs
}

// Match reports whether a rule of hs allows host (HostRule.Match).
func (hs Hosts) Match(host string) bool {
	for _, r := range hs {
		if r.Match(host) {
			return true
		}
	}
	return false
}

// MatchHost reports whether host may be opened under AllowedHosts (Hosts.Match).
func (c *Config) MatchHost(host string) bool { return NewHosts(c.AllowedHosts).Match(host) }

// hostProblem says what is wrong with an allowed_hosts entry h (already lowercased), or returns
// "" if it is a valid host name or wildcard (as NewHostRule reads it).
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
	r := NewHostRule(h)
	name := r.name
	if r.wildcard && !strings.Contains(name, ".") {
		return fmt.Sprintf("%q is too broad: a wildcard needs at least two labels after \"*.\", like \"*.example.org\"", h)
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
