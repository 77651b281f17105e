package kiosk

import (
	"net/url"

	"github.com/carekiosk/carekiosk/config"
)

// Policy decides which pages the shell may load: https pages on the allowed hosts, and the blank
// page under the kiosk's own screens. Everything else — other hosts, http, file, data, javascript,
// blob, custom schemes — is refused, wherever the navigation comes from.
type Policy struct {
	Hosts config.Hosts // allowed_hosts
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
	return p.Hosts.Match(u.Hostname())
}

// PDFViewerScheme is the scheme of WebKit's built-in PDF viewer (PDF.js, WebKitGTK ≥ 2.40): a PDF
// document is shown by WebKit in a frame of its own that loads the viewer from
// webkit-pdfjs-viewer://pdfjs/web/viewer.html and hands it the PDF's bytes (no second request).
const PDFViewerScheme = "webkit-pdfjs-viewer"

// PDFViewer reports whether raw is a page of WebKit's own PDF viewer. The shell lets it load only
// into a frame, and only while a PDF from an allowed host is on the screen: it is WebKit's, not a
// site's, and reaches no server.
func PDFViewer(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == PDFViewerScheme && u.Host == "pdfjs" && u.User == nil
}
