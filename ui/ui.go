// Package ui renders what the kiosk draws itself — its screens, the kiosk bar, warnings and
// prompts — from the templates and translations in package assets, into the wire.UI a shell
// shows. Every word the patient reads comes from a translation file (assets/i18n/LANG.json).
package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/assets"
	"github.com/carekiosk/carekiosk/wire"
)

// Content is what the provider configures on the kiosk's screens: shared by every language.
type Content struct {
	StartURL     string // the privacy check's QR code opens it on the patient's phone
	Help         Help
	NeutralTitle string // the quick-exit screen's title; "" → the translation of neutral.title
	NeutralText  string // its line under the title; "" → the translation of neutral.text
}

// Help is the provider's part of the help and safety screen.
type Help struct {
	ProviderName  string
	ProviderPhone string
	ProviderURL   string
	Organisations []Organisation
}

// Organisation is a helpline or website the help screen lists, with a QR code to its URL.
type Organisation struct {
	Name, Phone, URL string
	About            string // an optional line, shown as written
}

// Renderer renders the screens in one language; In gives the same screens in another.
type Renderer struct {
	lang    string
	text    map[string]string
	screens *template.Template
	all     *catalog
}

// catalog is what the renderers of every language share.
type catalog struct {
	order   []string // the default language first, then the others in name order
	byLang  map[string]*Renderer
	content Content
	qr      *qrCache
}

// Languages lists the languages that have a translation file, in name order.
func Languages() []string {
	names, _ := fs.Glob(assets.FS, "i18n/*.json")
	var langs []string
	for _, n := range names {
		langs = append(langs, strings.TrimSuffix(path.Base(n), ".json"))
	}
	slices.Sort(langs)
	return langs
}

// New parses the screens with the translations of every language; lang is the default.
func New(lang string) (*Renderer, error) {
	langs := Languages()
	if !slices.Contains(langs, lang) {
		return nil, fmt.Errorf("no translations for language %q (have %s)", lang, strings.Join(langs, ", "))
	}
	c := &catalog{byLang: map[string]*Renderer{}, qr: newQRCache()}
	c.order = append([]string{lang}, slices.DeleteFunc(slices.Clone(langs), func(l string) bool { return l == lang })...)
	for _, l := range langs {
		r, err := parse(l, c)
		if err != nil {
			return nil, err
		}
		c.byLang[l] = r
	}
	return c.byLang[lang], nil
}

func parse(lang string, c *catalog) (*Renderer, error) {
	b, err := assets.FS.ReadFile("i18n/" + lang + ".json")
	if err != nil {
		return nil, err
	}
	r := &Renderer{lang: lang, all: c}
	if err := json.Unmarshal(b, &r.text); err != nil {
		return nil, fmt.Errorf("translations %s: %w", lang, err)
	}
	funcs := template.FuncMap{"t": r.translate, "qr": r.qr, "site": Site}
	r.screens, err = template.New("").Option("missingkey=error").Funcs(funcs).ParseFS(assets.FS, "screens/*.html")
	if err != nil {
		return nil, err
	}
	return r, nil
}

// SetContent sets what the provider configured, for every language. Call it before rendering.
func (r *Renderer) SetContent(c Content) { r.all.content = c }

// In returns the renderer for lang, or r itself when there is no such language.
func (r *Renderer) In(lang string) *Renderer {
	if o, ok := r.all.byLang[lang]; ok {
		return o
	}
	return r
}

// Lang is the renderer's language code ("en", "cy").
func (r *Renderer) Lang() string { return r.lang }

// Default is the language New was given.
func (r *Renderer) Default() string { return r.all.order[0] }

// Text returns the translation of key, for tests and the few words drawn outside templates.
func (r *Renderer) Text(key string) (string, error) { return r.translate(key) }

// translate returns the text for key; a missing key is an error, which fails the render (and
// the tests, which render every screen in every language).
func (r *Renderer) translate(key string) (string, error) {
	s, ok := r.text[key]
	if !ok {
		return "", fmt.Errorf("missing %s translation %q", r.lang, key)
	}
	return s, nil
}

// fragment renders v's template with its data.
func (r *Renderer) fragment(v View) (string, error) { return r.execute(v.page(r)) }

// execute renders the template name (a file in assets/screens without ".html") with data.
func (r *Renderer) execute(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := r.screens.ExecuteTemplate(&b, name+".html", data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Screen renders v, a full-screen kiosk screen; focus names the button that takes keyboard
// focus ("" for none).
func (r *Renderer) Screen(v View, focus string) (*wire.UI, error) {
	name, data := v.page(r)
	html, err := r.execute(name, data)
	if err != nil {
		return nil, err
	}
	return &wire.UI{Screen: name, HTML: html, Focus: focus, Lang: r.lang}, nil
}

// Prompts over the provider's pages (Session's prompt argument). Each blurs the page until the
// patient answers it, except "help", which covers the page with the help screen.
const (
	PromptHelp     = "help"     // the help and safety screen, over the session
	PromptPassword = "password" // a password field took focus: shield your password
	PromptPresence = "presence" // the presence sensor saw someone else: someone may see your screen
	PromptBlocked  = "blocked"  // a page the kiosk refused to open
	PromptFailed   = "failed"   // a page that could not be opened safely
	PromptPrint    = "print"    // printing is on but the page could not be printed (no printer)
	PromptAuth     = "auth"     // a site asks for HTTP authentication: the kiosk's own sign-in form
)

// promptDialogs is the dialog of each prompt that is answered with a button.
var promptDialogs = map[string]dialog{
	PromptPassword: {Key: PromptPassword, OK: ActionPasswordOK, OKText: "password.ok"},
	PromptPresence: {Key: PromptPresence, OK: ActionPresenceOK, OKText: "presence.ok", Quick: true, Alarm: true},
	PromptBlocked:  {Key: PromptBlocked, OK: ActionBack, OKText: "blocked.back"},
	PromptFailed:   {Key: PromptFailed, OK: ActionBack, OKText: "blocked.back"},
	PromptPrint:    {Key: PromptPrint, OK: ActionBack, OKText: "blocked.back"},
}

// PromptButton is the data-action of the button that answers prompt ("" for none).
func PromptButton(prompt string) string { return promptDialogs[prompt].OK }

// Warning is which of the session's limits a warning is about (Session's warning argument).
type Warning string

// The warnings over a session; "" is none.
const (
	WarningIdle    Warning = "idle"    // no input for a while: are you still there?
	WarningTime    Warning = "time"    // the session's time limit is near
	WarningClosing Warning = "closing" // the time limit is the kiosk's closing time
)

// warningDialogs is the dialog of each warning; it counts down to the session's end.
var warningDialogs = map[Warning]dialog{
	WarningIdle:    {Key: "warning.idle", OK: ActionStillHere, OKText: "warning.still_here"},
	WarningTime:    {Key: "warning.time"},
	WarningClosing: {Key: "warning.closing"},
}

// Session renders the UI over the provider's pages: the kiosk bar counting down to limit;
// during a warning a dialog counting down to ends; otherwise prompt, if any. A warning goes
// over any prompt: the session's limits come first.
func (r *Renderer) Session(limit time.Time, warning Warning, ends time.Time, prompt string) (*wire.UI, error) {
	top, err := r.fragment(bar{Until: limit.UnixMilli()})
	if err != nil {
		return nil, err
	}
	u := &wire.UI{Bar: top, Lang: r.lang}
	if prompt == PromptHelp {
		if u.HTML, err = r.fragment(HelpScreen{inSession: true}); err != nil {
			return nil, err
		}
		u.Screen, u.Focus = ScreenHelp, ActionHelpClose
	}
	var d dialog
	switch {
	case warning == "" && prompt == PromptAuth:
		// Its own form, not a dialog: the values go to the shell only (kiosk.js), and the kiosk
		// bar stays usable above it.
		if u.Warning, err = r.fragment(auth{}); err != nil {
			return nil, err
		}
		u.Prompt, u.Focus = prompt, "auth-user"
		return u, nil
	case warning != "":
		d = warningDialogs[warning]
		d.Until = ends.UnixMilli()
		u.Prompt, u.Focus = "warning", ActionEnd // or its answer button, below
	case promptDialogs[prompt].OK != "":
		d = promptDialogs[prompt]
		u.Prompt = prompt
	}
	if u.Prompt != "" {
		if u.Warning, err = r.fragment(d); err != nil {
			return nil, err
		}
		if d.OK != "" {
			u.Focus = d.OK
		}
	}
	return u, nil
}

// Script is the overlay script with its style sheet, ready for wire.Init.
func Script() (string, error) {
	js, err := assets.FS.ReadFile("kiosk.js")
	if err != nil {
		return "", err
	}
	css, err := assets.FS.ReadFile("kiosk.css")
	if err != nil {
		return "", err
	}
	q, _ := json.Marshal(string(css))
	return "const CK_CSS = " + string(q) + ";\n" + string(js), nil
}

// BlankPage is the page under the kiosk's own screens.
func BlankPage() string {
	b, _ := fs.ReadFile(assets.FS, "blank.html")
	return strings.TrimSpace(string(b))
}
