package ui

import (
	"strings"
	"time"
)

// A View is what one screen is drawn with: a struct of its own per screen, so that a field a
// caller sets is checked by the compiler, and a field a template names is checked by
// TestEveryViewExecutes. Screen renders it.
type View interface {
	// page is the view's template (a file in assets/screens without ".html") and the data it is
	// executed with: the view itself, or the view with what the renderer adds to it.
	page(r *Renderer) (name string, data any)
}

// Welcome is the welcome screen: touch your card.
type Welcome struct {
	Dev          bool    // the demo: offer the demo card
	ReaderOK     bool    // the card reader is connected; false says it isn't working
	ReaderPaused bool    // too many refused cards: the reader is ignored for a while
	Closed       bool    // outside opening hours: a card starts nothing
	Opens        Opening // when a closed kiosk opens (OpensAt); zero says nothing of it
}

func (v Welcome) page(r *Renderer) (string, any) {
	return ScreenWelcome, struct {
		Welcome
		Lang  string   // the screen's language, whose button is pressed
		Langs []string // the language buttons: the default language first
	}{v, r.lang, r.all.order}
}

// Opening is when a closed kiosk opens next, as the welcome screen says it ("It opens tomorrow
// at 08:00."): within the week, else nothing.
type Opening struct {
	key string // the translation that says the day, with a %s for the time
	at  string // the time, 15:04
}

// Key is the translation of the opening's day, with a %s for At; "" when it is not within the week.
func (o Opening) Key() string { return o.key }

// At is the opening's time of day (15:04).
func (o Opening) At() string { return o.at }

// OpensAt is what the welcome screen says at now of a kiosk that opens at opens, in now's
// zone: today, tomorrow, or a weekday within the week; a later opening is not said.
func OpensAt(now, opens time.Time) Opening {
	opens = opens.In(now.Location())
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC) }
	o := Opening{at: opens.Format("15:04")}
	switch days := int(day(opens).Sub(day(now)).Hours() / 24); {
	case days == 0:
		o.key = "welcome.opens_today"
	case days == 1:
		o.key = "welcome.opens_tomorrow"
	case days < 7:
		o.key = "welcome.opens_" + strings.ToLower(opens.Weekday().String())
	}
	return o
}

// Technician is the technician screen: the kiosk's status, nothing about any patient.
type Technician struct {
	State        string // the session machine's state
	ReaderDevice string
	ReaderOK     bool // the card reader is connected
	Sessions     int  // sessions since start
	LastEnd      string
	WipeVerified bool   // the last session's wipe was proven
	Problem      string // why the kiosk is out of service; "" when it isn't
	TechnicianInfo
}

// TechnicianInfo is what the technician screen shows of the unit besides the manager's status.
type TechnicianInfo struct {
	Sensor  string // the presence sensor's state in words; "" when there is none
	Config  string // a summary of the config
	Version string
	Unit    string // the unit's identity, also shown as a QR code
}

func (v Technician) page(*Renderer) (string, any) { return ScreenTechnician, v }

// PINPad is a library card's PIN pad: masked, no key shows it was touched.
type PINPad struct {
	Digits    int  // how many digits were typed: the pad shows as many dots
	Checking  bool // the PIN is being checked: no keys
	TriesLeft int  // after a wrong PIN, how many tries remain; 0 says nothing
}

// Mask is what the pad shows of the PIN: a dot per digit.
func (v PINPad) Mask() string { return strings.Repeat("●", v.Digits) }

func (v PINPad) page(*Renderer) (string, any) { return ScreenPIN, v }

// Privacy is the privacy check, with a QR code that opens the start page on the patient's phone.
type Privacy struct{}

func (Privacy) page(r *Renderer) (string, any) {
	return ScreenPrivacy, struct{ StartURL string }{r.all.content.StartURL}
}

// HelpScreen is the help and safety screen, between sessions (Session shows it over one).
type HelpScreen struct{ inSession bool }

func (v HelpScreen) page(r *Renderer) (string, any) {
	return ScreenHelp, struct {
		Help      Help
		InSession bool // over a session: back to it, and the quick exit
	}{r.all.content.Help, v.inSession}
}

// Neutral is the quick exit's screen: a clock, and nothing about health records.
type Neutral struct{}

func (Neutral) page(r *Renderer) (string, any) {
	d := struct{ NeutralTitle, NeutralText string }{r.all.content.NeutralTitle, r.all.content.NeutralText}
	if d.NeutralTitle == "" {
		d.NeutralTitle, _ = r.translate("neutral.title")
		if d.NeutralText == "" {
			d.NeutralText, _ = r.translate("neutral.text")
		}
	}
	return ScreenNeutral, d
}

// The screens that take no data.
type (
	Ending       struct{} // the session is ending: its browser is being wiped
	Ended        struct{} // the session ended: everything was cleared
	Refused      struct{} // a card that can't be used
	OutOfService struct{} // the wipe could not be proven, or the kiosk can't start a browser
	CheckDown    struct{} // the library's server can't check cards: ask a member of staff
)

func (v Ending) page(*Renderer) (string, any)       { return ScreenEnding, v }
func (v Ended) page(*Renderer) (string, any)        { return ScreenEnded, v }
func (v Refused) page(*Renderer) (string, any)      { return ScreenRefused, v }
func (v OutOfService) page(*Renderer) (string, any) { return ScreenOutOfService, v }
func (v CheckDown) page(*Renderer) (string, any)    { return ScreenCheckDown, v }

// bar is the kiosk bar over the provider's pages.
type bar struct {
	Until int64 // the session's time limit, Unix milliseconds
}

func (v bar) page(*Renderer) (string, any) { return "bar", v }

// dialog is a warning or prompt over the provider's pages, its page blurred.
type dialog struct {
	Key    string // its translations are Key.title and Key.text
	Until  int64  // a countdown to this instant (Unix milliseconds); 0 for none
	OK     string // the action of its answer button, which takes the focus; "" for none
	OKText string // the translation of that button
	Quick  bool   // it has the quick exit button
	Alarm  bool   // it is drawn as an alarm
}

func (v dialog) page(*Renderer) (string, any) { return "dialog", v }

// auth is the kiosk's own sign-in form for a site's HTTP authentication.
type auth struct{}

func (v auth) page(*Renderer) (string, any) { return "auth", v }
