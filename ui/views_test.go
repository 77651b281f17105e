package ui

import (
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/assets"
)

// testViews are the views of every template, with values that take every branch of it: a
// field a template names that its view lacks fails the execution of a value that reaches it.
func testViews(now time.Time) []View {
	views := []View{
		Welcome{}, Welcome{Dev: true, ReaderOK: true, ReaderPaused: true, Closed: true, Opens: OpensAt(now, now.Add(time.Hour))},
		Technician{}, Technician{State: "out-of-service", ReaderDevice: "/dev/ttyUSB0", ReaderOK: true, Sessions: 3, LastEnd: "quick-exit",
			WipeVerified: true, Problem: "disk full", TechnicianInfo: TechnicianInfo{Sensor: "connected", Config: "auth any", Version: "v1", Unit: "0123"}},
		PINPad{}, PINPad{Digits: 4, Checking: true, TriesLeft: 2},
		Privacy{}, HelpScreen{}, HelpScreen{inSession: true}, Neutral{},
		Ending{}, Ended{}, Refused{}, OutOfService{}, CheckDown{},
		bar{}, bar{Until: now.UnixMilli()}, auth{},
		dialog{Key: "warning.idle", Until: now.UnixMilli(), OK: ActionStillHere, OKText: "warning.still_here", Quick: true, Alarm: true},
	}
	for _, d := range warningDialogs {
		views = append(views, d)
	}
	for _, d := range promptDialogs {
		views = append(views, d)
	}
	return views
}

// TestEveryViewExecutes executes every template against its view, in every language, with the
// provider's content and without: a template that names a field its view lacks fails here, and
// so does a template that no view draws.
func TestEveryViewExecutes(t *testing.T) {
	now := time.Now()
	for _, content := range []Content{{}, {StartURL: "https://records.example.org/start", Help: testHelp(), NeutralTitle: "Library", NeutralText: "Welcome"}} {
		r, err := New("en")
		if err != nil {
			t.Fatal(err)
		}
		r.SetContent(content)
		drawn := map[string]bool{}
		for _, l := range Languages() {
			for _, v := range testViews(now) {
				name, _ := v.page(r.In(l))
				drawn[name+".html"] = true
				if _, err := r.In(l).fragment(v); err != nil {
					t.Errorf("%s %T%+v: %v", l, v, v, err)
				}
			}
		}
		files, _ := fs.Glob(assets.FS, "screens/*.html")
		for _, f := range files {
			if !drawn[path.Base(f)] {
				t.Errorf("%s: no view draws it", f)
			}
		}
	}
}

// TestMisspeltFieldFails: a template that names a field its view lacks does not render.
func TestMisspeltFieldFails(t *testing.T) {
	r, err := New("en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.screens.New("typo.html").Parse(`{{if .ReaderOk}}ok{{end}}`); err != nil {
		t.Fatal(err)
	}
	_, data := Welcome{}.page(r)
	if _, err := r.execute("typo", data); err == nil || !strings.Contains(err.Error(), "ReaderOk") {
		t.Errorf("a template naming .ReaderOk rendered the welcome screen: err %v", err)
	}
}

// TestOpensAt: the welcome screen says today, tomorrow or the weekday of an opening within the
// week, at its time in the kiosk's zone, and nothing of a later one.
func TestOpensAt(t *testing.T) {
	zone := time.FixedZone("kiosk", 3600)
	now := time.Date(2026, 11, 23, 23, 30, 0, 0, zone) // a Monday, late
	for _, tc := range []struct {
		opens   time.Time
		key, at string
	}{
		{time.Date(2026, 11, 23, 23, 45, 0, 0, zone), "welcome.opens_today", "23:45"},
		{time.Date(2026, 11, 23, 23, 15, 0, 0, time.UTC), "welcome.opens_tomorrow", "00:15"},
		{time.Date(2026, 11, 25, 8, 0, 0, 0, zone), "welcome.opens_wednesday", "08:00"},
		{time.Date(2026, 11, 29, 8, 0, 0, 0, zone), "welcome.opens_sunday", "08:00"},
		{time.Date(2026, 11, 30, 8, 0, 0, 0, zone), "", "08:00"},
	} {
		if o := OpensAt(now, tc.opens); o.Key() != tc.key || o.At() != tc.at {
			t.Errorf("OpensAt(%s) = %q at %q, want %q at %q", tc.opens, o.Key(), o.At(), tc.key, tc.at)
		}
	}
}
