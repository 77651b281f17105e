package demo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"strings"
	"testing"
	"time"
)

func parsePEM(t *testing.T, b []byte) *x509.Certificate {
	t.Helper()
	block, rest := pem.Decode(b)
	if block == nil {
		t.Fatal("CertificatePEM: no PEM block")
	}
	if block.Type != "CERTIFICATE" {
		t.Fatalf("CertificatePEM block type: got %q, want CERTIFICATE", block.Type)
	}
	if len(strings.TrimSpace(string(rest))) != 0 {
		t.Fatalf("CertificatePEM: got more after the certificate: %q", rest)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestCertificateShape(t *testing.T) {
	before := time.Now()
	p, _ := startPortal(t)
	after := time.Now()
	cert := parsePEM(t, p.CertificatePEM())

	key, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("public key: got %T, want ECDSA P-256", cert.PublicKey)
	}
	if cert.SerialNumber.Sign() <= 0 || cert.SerialNumber.BitLen() < 64 {
		t.Errorf("serial: got %v, want a large random positive number", cert.SerialNumber)
	}
	if nb := cert.NotBefore; nb.Before(before.Add(-time.Minute-time.Second)) || nb.After(after.Add(-time.Minute+time.Second)) {
		t.Errorf("NotBefore: got %v, want a minute before start (%v)", nb, before)
	}
	if got := cert.NotAfter.Sub(cert.NotBefore); got != 24*time.Hour {
		t.Errorf("validity: got %v, want 24h", got)
	}
	if cert.IsCA {
		t.Error("IsCA: got true, want a plain server certificate")
	}
	if got := cert.DNSNames; len(got) != 1 || got[0] != "localhost" {
		t.Errorf("DNS SANs: got %v, want [localhost]", got)
	}
	if got := cert.IPAddresses; len(got) != 1 || !got[0].Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("IP SANs: got %v, want [127.0.0.1]", got)
	}
}

func TestCertificateVerifiesOnlyForLoopback(t *testing.T) {
	p, _ := startPortal(t)
	cert := parsePEM(t, p.CertificatePEM())
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	tests := []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1", true},
		{"localhost", true},
		{"example.com", false},
		{"records.example.nhs.uk", false},
		{"127.0.0.2", false},
		{"0.0.0.0", false},
		{"::1", false},
		{"localhost.localdomain", false},
		{"www.localhost", false},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			_, err := cert.Verify(x509.VerifyOptions{
				DNSName:   tc.host,
				Roots:     roots,
				KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			})
			if got := err == nil; got != tc.ok {
				t.Errorf("verify for %s: got ok=%v (%v), want ok=%v", tc.host, got, err, tc.ok)
			}
		})
	}
}

func TestCertificateExpiryWindow(t *testing.T) {
	p, _ := startPortal(t)
	cert := parsePEM(t, p.CertificatePEM())
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	now := time.Now()
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"now", now, true},
		{"30 seconds ago (clock skew)", now.Add(-30 * time.Second), true},
		{"in 23 hours", now.Add(23 * time.Hour), true},
		{"two minutes ago", now.Add(-2 * time.Minute), false},
		{"in 25 hours", now.Add(25 * time.Hour), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cert.Verify(x509.VerifyOptions{DNSName: "127.0.0.1", Roots: roots, CurrentTime: tc.at})
			if got := err == nil; got != tc.ok {
				t.Errorf("verify at %v: got ok=%v (%v), want ok=%v", tc.at, got, err, tc.ok)
			}
		})
	}
}

func TestCertificateFreshEachStart(t *testing.T) {
	a, _ := startPortal(t)
	b, _ := startPortal(t)
	ca, cb := parsePEM(t, a.CertificatePEM()), parsePEM(t, b.CertificatePEM())
	if ca.SerialNumber.Cmp(cb.SerialNumber) == 0 {
		t.Error("two portals got the same serial")
	}
	if ca.PublicKey.(*ecdsa.PublicKey).Equal(cb.PublicKey) {
		t.Error("two portals got the same key")
	}
}

func TestTLSHandshake(t *testing.T) {
	p, _ := startPortal(t)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(p.CertificatePEM())
	addr := strings.TrimSuffix(strings.TrimPrefix(p.URL(), "https://"), "/")
	tests := []struct {
		name       string
		serverName string
		roots      *x509.CertPool
		ok         bool
	}{
		{"ip with portal cert", "127.0.0.1", roots, true},
		{"localhost with portal cert", "localhost", roots, true},
		{"other name with portal cert", "records.example.nhs.uk", roots, false},
		{"system roots only", "127.0.0.1", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &net.Dialer{Timeout: 5 * time.Second}
			conn, err := tls.DialWithDialer(d, "tcp", addr, &tls.Config{ServerName: tc.serverName, RootCAs: tc.roots})
			if err == nil {
				conn.Close()
			}
			if got := err == nil; got != tc.ok {
				t.Errorf("handshake as %s: got ok=%v (%v), want ok=%v", tc.serverName, got, err, tc.ok)
			}
		})
	}
}
