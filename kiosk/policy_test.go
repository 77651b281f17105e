package kiosk

import (
	"testing"

	"github.com/carekiosk/carekiosk/config"
)

func TestPolicyAllows(t *testing.T) {
	p := Policy{Hosts: config.NewHosts([]string{"records.example.org", "127.0.0.1"})}
	cases := []struct {
		url  string
		want bool
	}{
		{"https://records.example.org/", true},
		{"https://RECORDS.example.org/record?x=1", true},
		{"https://records.example.org:8443/a", true},
		{"https://127.0.0.1:4443/", true},
		{"about:blank", true},
		{"http://records.example.org/", false},
		{"https://evil.example.org/", false},
		{"https://records.example.org.evil.net/", false},
		{"https://user:pw@records.example.org/", false},
		{"file:///etc/passwd", false},
		{"data:text/html,hi", false},
		{"javascript:alert(1)", false},
		{"blob:https://records.example.org/1234", false},
		{"about:config", false},
		{"view-source:https://records.example.org/", false},
		{"mailto:a@b.c", false},
		{"tel:0800", false},
		{"ms-settings:", false},
		{"", false},
		{"https:///nohost", false},
	}
	for _, tc := range cases {
		if got := p.Allows(tc.url); got != tc.want {
			t.Errorf("Allows(%q) = %v, want %v", tc.url, got, tc.want)
		}
	}
}

func TestPDFViewer(t *testing.T) {
	cases := []struct {
		url  string
		want bool
	}{
		{"webkit-pdfjs-viewer://pdfjs/web/viewer.html", true},
		{"webkit-pdfjs-viewer://pdfjs/build/pdf.worker.mjs", true},
		{"webkit-pdfjs-viewer://evil/web/viewer.html", false},
		{"webkit-pdfjs-viewer://x@pdfjs/web/viewer.html", false},
		{"https://pdfjs/web/viewer.html", false},
		{"blob:webkit-pdfjs-viewer://pdfjs/1234", false},
		{"", false},
	}
	for _, tc := range cases {
		if got := PDFViewer(tc.url); got != tc.want {
			t.Errorf("PDFViewer(%q) = %v, want %v", tc.url, got, tc.want)
		}
	}
}
