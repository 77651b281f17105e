package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/internal/canary"
	"github.com/carekiosk/carekiosk/session"
)

// letterColour is the block that fills most of the test letter's page: a colour no kiosk screen
// and no part of WebKit's PDF viewer has.
var letterColour = color.RGBA{0x00, 0x99, 0x33, 0xff} // 0 0.6 0.2 rg

// letterPDF is a provider's letter: a valid one-page PDF (A4) written by hand, its page mostly a
// solid block of letterColour, with secret in a comment (a copy of the file anywhere holds it).
func letterPDF(secret string) []byte {
	content := "0 0.6 0.2 rg\n40 40 515 762 re\nf\n"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n% " + secret + "\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off) // each entry exactly 20 bytes
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// TestLetterPDF checks the test's own PDF: the xref offsets point at the objects.
func TestLetterPDF(t *testing.T) {
	pdf := letterPDF("x")
	var xref int
	if _, err := fmt.Sscanf(string(pdf[bytes.LastIndex(pdf, []byte("startxref")):]), "startxref\n%d", &xref); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	lines := strings.Split(string(pdf[xref:]), "\n")
	for i := 1; i <= 4; i++ {
		var off int
		fmt.Sscanf(lines[2+i], "%d", &off)
		if want := fmt.Sprintf("%d 0 obj", i); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d → %q, want %q", i, pdf[off:off+8], want)
		}
	}
}

// colourShare is the share of a screenshot's pixels within a few levels of c.
func colourShare(t *testing.T, path string, c color.RGBA) float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	near := func(a uint32, b uint8) bool { d := int(a>>8) - int(b); return d > -6 && d < 6 }
	n, all := 0, 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			all++
			if near(r, c.R) && near(g, c.G) && near(b, c.B) {
				n++
			}
		}
	}
	return float64(n) / float64(all)
}

// shotShare takes a screenshot (kept in CAREKIOSK_SHOTS as name.png) and gives the share of c in it.
func shotShare(t *testing.T, name string, c color.RGBA) float64 {
	t.Helper()
	path := shotPath(t, name)
	if err := ambient.Shot(path); err != nil {
		t.Fatal(err)
	}
	return colourShare(t, path, c)
}

// pdfPortal serves the letter at /letter.pdf.
func pdfPortal(k *kiosk, secret string) {
	pdf := letterPDF(secret)
	k.portal.Mux.HandleFunc("/letter.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(pdf)
	})
}

// TestPDFLetterIsShown is a patient who opens a letter their provider sent as a PDF: WebKit's
// own viewer draws its page (the letter's colour block covers a good part of the screen), the
// kiosk bar stays, nothing is refused.
func TestPDFLetterIsShown(t *testing.T) {
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/letter.pdf"})
	secret := canary.New().Cookie
	k.secrets = append(k.secrets, secret)
	pdfPortal(k, secret)
	k.beginSession("29990012345678")
	k.waitFor("the letter", 30*time.Second, func(s session.Status) bool { return s.URL == k.portal.URL("/letter.pdf") })
	var share float64
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if share = shotShare(t, "pdf-letter", letterColour); share > 0.2 {
			break
		}
	}
	if share <= 0.2 {
		t.Errorf("the letter's page is not drawn: %.1f%% of the screen has its colour, want over 20%%", 100*share)
	}
	screenshot(t, ambient, "pdf-letter")
	if s, _ := k.Status(); s.Refused != 0 || s.Screen != "session" {
		t.Errorf("with the letter shown: %d refused, screen %q; want none refused, the session screen", s.Refused, s.Screen)
	}
}

// The buttons of WebKit's PDF viewer (PDF.js) on the kiosk's 1280-pixel-wide screen: its toolbar
// sits just below the kiosk bar, Print and Save at its right end.
var (
	pdfPrintButton = [2]int{1198, 79}
	pdfSaveButton  = [2]int{1229, 79}
)

// openLetter starts a session on the letter and waits until its page is drawn.
func openLetter(t *testing.T, k *kiosk) {
	t.Helper()
	k.beginSession("29990012345678")
	k.waitFor("the letter", 30*time.Second, func(s session.Status) bool { return s.URL == k.portal.URL("/letter.pdf") })
	waitUntil(t, 30*time.Second, "the letter's page drawn", func() bool { return shotShare(t, "pdf-opened", letterColour) > 0.2 })
}

// TestPDFSaveGoesNowhere is a patient who touches Save in the PDF viewer: the kiosk refuses it
// and says so (the blocked prompt, as for any download), and no copy of the letter is written
// anywhere: not in HOME, not in the machine's temporary directories, and, once the session
// ends, not in the session's directory (which held the browser's cache meanwhile). The log and
// the audit line say nothing of the letter.
func TestPDFSaveGoesNowhere(t *testing.T) {
	began := time.Now()
	k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/letter.pdf"})
	secret := canary.New().Cookie
	k.secrets = append(k.secrets, secret, "letter.pdf")
	pdfPortal(k, secret)
	openLetter(t, k)
	before, _ := k.Status()
	k.touch(pdfSaveButton[0], pdfSaveButton[1])
	k.waitFor("Save refused", 30*time.Second, func(s session.Status) bool {
		return s.Refused > before.Refused && s.Screen == "blocked"
	})
	screenshot(t, ambient, "pdf-save-refused")
	k.key("Return") // "Back to my record"
	k.waitScreen(session.Active, "session", 30*time.Second)
	if share := shotShare(t, "pdf-after-save", letterColour); share < 0.2 {
		t.Errorf("after Save, the letter is no longer shown (%.1f%% of its colour)", 100*share)
	}
	// The session's own directory (under /tmp here) holds the browser's cache of the letter until
	// the session ends: it is searched after the end.
	sessions := filepath.Join(k.Dir, "sessions")
	for _, dir := range append([]string{k.Home}, canary.Shared...) {
		for _, f := range canary.FindSince(dir, []string{secret}, began) {
			if !strings.HasPrefix(f, sessions+"/") {
				t.Errorf("a copy of the letter was written: %s", f)
			}
		}
	}

	if out, err := runCLI("end-session", "-config", k.Config); err != nil {
		t.Fatalf("carekiosk end-session: %v %s", err, out)
	}
	a := k.nextAudit(30 * time.Second)
	if a["wipe_verified"] != true {
		t.Errorf("audit = %v, want the wipe verified", a)
	}
	for f, v := range a {
		if s := fmt.Sprint(v); strings.Contains(s, "letter") || strings.Contains(s, "pdf") || strings.Contains(s, secret) {
			t.Errorf("the audit line's %s says %q", f, s)
		}
	}
	k.waitScreen(session.Welcome, "ended", 30*time.Second)
	for _, dir := range append([]string{sessions, k.Home}, canary.Shared...) {
		if found := canary.FindSince(dir, []string{secret}, began); len(found) > 0 {
			t.Errorf("after the session, a copy of the letter is on disk: %v", found)
		}
	}
	if entries, _ := os.ReadDir(k.Home); len(entries) != 0 {
		t.Errorf("files appeared in the kiosk's HOME: %v", entries)
	}
}

// TestPDFPrintFollowsThePrintingSetting: Print in the PDF viewer. Printing on: the letter goes to
// the default printer through the kiosk's print path (a job in CUPS, no dialog, rate-limited as
// any page). Printing off (the default): nothing is queued and no dialog opens.
func TestPDFPrintFollowsThePrintingSetting(t *testing.T) {
	needDisplay(t)
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprintf("printing=%v", on), func(t *testing.T) {
			c := startCUPS(t, true)
			top := ""
			if on {
				top = "printing = true"
			}
			k := startKiosk(t, settings{idle: "5m", idleWarning: "30s", max: "10m", maxWarning: "1m", start: "/letter.pdf", top: top})
			pdfPortal(k, canary.New().Cookie)
			openLetter(t, k)
			k.touch(pdfPrintButton[0], pdfPrintButton[1])
			if on {
				var jobs []string
				waitUntil(t, 30*time.Second, "the letter's job in the queue", func() bool {
					jobs = c.jobs(t)
					return len(jobs) > 0
				})
				waitUntil(t, 30*time.Second, "the print logged as sent", func() bool { return strings.Contains(k.logs.String(), "result=sent") })
				t.Logf("queued: %q; spool: %v", jobs, c.spooled(t))
			} else {
				// Nothing to await: a job would be queued (as above) well within this.
				time.Sleep(3 * time.Second)
				if jobs := c.jobs(t); len(jobs) > 0 {
					t.Errorf("printing is off, yet jobs were queued: %q", jobs)
				}
			}
			// No print dialog: the only other window is the Print button's tooltip (X11), gone
			// once the pointer leaves the button.
			k.touch(640, 600)
			var list string
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
				var w int
				if w, list = k.windows(); w == 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("%d windows a patient can see, want 1 (no print dialog):\n%s", w, list)
					break
				}
			}
			screenshot(t, ambient, fmt.Sprintf("pdf-print-%v", on))
		})
	}
}
