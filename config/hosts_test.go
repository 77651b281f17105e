package config

import "testing"

func TestMatchHost(t *testing.T) {
	c := &Config{AllowedHosts: []string{"records.example.org", "*.nhs.uk", "Login.Example.ORG"}}
	tests := []struct {
		host string
		want bool
	}{
		{"records.example.org", true},
		{"RECORDS.Example.org", true},
		{"login.example.org", true}, // the entry's case does not matter either
		{"example.org", false},
		{"www.records.example.org", false}, // an exact entry matches no sub-domain
		{"records.example.org.evil.com", false},
		{"evilrecords.example.org", false},
		{"a.nhs.uk", true},
		{"a.b.nhs.uk", true},
		{"A.NHS.UK", true},
		{"nhs.uk", false}, // a wildcard does not match its apex
		{".nhs.uk", false},
		{"evilnhs.uk", false},
		{"a.nhs.uk.evil.com", false},
		{"records.example.org:443", false}, // a host, not host:port
		{"records.example.org.", false},    // fails closed on a trailing dot
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			if got := c.MatchHost(tc.host); got != tc.want {
				t.Errorf("MatchHost(%q): got %v, want %v", tc.host, got, tc.want)
			}
		})
	}
	t.Run("no hosts", func(t *testing.T) {
		if (&Config{}).MatchHost("records.example.org") {
			t.Error("got true with no allowed hosts, want false")
		}
	})
	t.Run("odd entries match nothing else", func(t *testing.T) {
		odd := &Config{AllowedHosts: []string{"", "*.", "*"}}
		for _, host := range []string{"a", "a.b", ".", "*"} {
			if host != "*" && odd.MatchHost(host) {
				t.Errorf("MatchHost(%q): got true, want false", host)
			}
		}
	})
}

func TestHostProblemAccepts(t *testing.T) {
	for _, h := range []string{"records.example.org", "*.example.org", "*.nhs.uk", "localhost", "127.0.0.1", "xn--bcher-kva.example", "my_host.example.org", "a-b.example.org"} {
		t.Run(h, func(t *testing.T) {
			if got := hostProblem(h); got != "" {
				t.Errorf("got %q, want no problem", got)
			}
		})
	}
}
