package ui

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"sync"

	qrcode "github.com/skip2/go-qrcode"
)

// qrCache keeps the QR codes drawn so far: the same few addresses are drawn on every screen.
type qrCache struct {
	mu  sync.Mutex
	svg map[string]string
}

func newQRCache() *qrCache { return &qrCache{svg: map[string]string{}} }

// qr draws a QR code that opens address, as inline SVG: a page's Content-Security-Policy can
// block an <img>, but not SVG elements in the kiosk's shadow root. Its label, for screen
// readers, names the site.
func (r *Renderer) qr(address string) (template.HTML, error) {
	label, err := r.translate("qr.label")
	if err != nil {
		return "", err
	}
	c := r.all.qr
	c.mu.Lock()
	defer c.mu.Unlock()
	svg, ok := c.svg[address]
	if !ok {
		if svg, err = qrSVG(address); err != nil {
			return "", err
		}
		c.svg[address] = svg
	}
	l := template.HTMLEscapeString(label + ": " + Site(address))
	return template.HTML(strings.Replace(svg, "<svg ", `<svg role="img" aria-label="`+l+`" `, 1)), nil
}

// qrSVG draws the QR code of s with its quiet zone, one path of dark modules.
func qrSVG(s string) (string, error) {
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("QR code for %s: %w", Site(s), err)
	}
	bm := q.Bitmap()
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n, n, n)
	for y, row := range bm {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}

// Site is how an address is written for people: its host and path, without the scheme, query
// or a trailing slash ("www.getsafeonline.org").
func Site(address string) string {
	u, err := url.Parse(address)
	if err != nil || u.Host == "" {
		return address
	}
	return strings.TrimSuffix(u.Host+u.Path, "/")
}
