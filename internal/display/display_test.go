package display

import (
	"image"
	"image/color"
	"testing"
)

// TestBlank: a screen of one colour is blank — grey, black or white, what an unpainted window
// shows — and a screen with a line of text on it is not.
func TestBlank(t *testing.T) {
	for _, c := range []color.RGBA{{0x80, 0x80, 0x80, 0xff}, {0, 0, 0, 0xff}, {0xff, 0xff, 0xff, 0xff}} {
		img := image.NewRGBA(image.Rect(0, 0, 1280, 1024))
		for i := 0; i < len(img.Pix); i += 4 {
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
		}
		if !isBlank(img) {
			t.Errorf("a screen all %v is not blank", c)
		}
		// A heading: 400×40 pixels of dark text on it, about 1% of the screen.
		for y := 500; y < 540; y++ {
			for x := 400; x < 800; x += 2 {
				img.Set(x, y, color.RGBA{0x10, 0x40, 0xa0, 0xff})
			}
		}
		if isBlank(img) {
			t.Errorf("a %v screen with a heading on it is blank", c)
		}
	}
}
