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
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/assets"
	"github.com/carekiosk/carekiosk/wire"
)

// Data is what a screen's template is rendered with.
type Data = map[string]any

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

// Fragment renders one template (a file in assets/screens without ".html") with data, to which
// it adds what every template may use: Lang, Langs, Help, StartURL, NeutralTitle, NeutralText,
// InSession.
func (r *Renderer) Fragment(name string, data Data) (string, error) {
	d := Data{}
	c := r.all.content
	d["Lang"], d["Langs"], d["Help"], d["StartURL"] = r.lang, r.all.order, c.Help, c.StartURL
	d["NeutralTitle"], d["NeutralText"], d["InSession"] = c.NeutralTitle, c.NeutralText, false
	if c.NeutralTitle == "" {
		d["NeutralTitle"], _ = r.translate("neutral.title")
		if c.NeutralText == "" {
			d["NeutralText"], _ = r.translate("neutral.text")
		}
	}
	maps.Copy(d, data)
	var b bytes.Buffer
	if err := r.screens.ExecuteTemplate(&b, name+".html", d); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Screen renders a full-screen kiosk screen; focus names the button that takes keyboard focus.
func (r *Renderer) Screen(name, focus string, data Data) (*wire.UI, error) {
	html, err := r.Fragment(name, data)
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

// promptButton is the data-action of the button that answers each dialog prompt.
var promptButton = map[string]string{
	PromptPassword: ActionPasswordOK,
	PromptPresence: ActionPresenceOK,
	PromptBlocked:  ActionBack,
	PromptFailed:   ActionBack,
	PromptPrint:    ActionBack,
}

// PromptButton is the data-action of the button that answers prompt ("" for none).
func PromptButton(prompt string) string { return promptButton[prompt] }

// Session renders the UI over the provider's pages: the kiosk bar counting down to limit;
// during a warning ("idle" or "time") a dialog counting down to ends; otherwise prompt, if any.
// A warning goes over any prompt: the session's limits come first.
func (r *Renderer) Session(limit time.Time, warning string, ends time.Time, prompt string) (*wire.UI, error) {
	bar, err := r.Fragment("bar", Data{"Until": limit.UnixMilli()})
	if err != nil {
		return nil, err
	}
	u := &wire.UI{Bar: bar, Lang: r.lang}
	if prompt == PromptHelp {
		if u.HTML, err = r.Fragment("help", Data{"InSession": true}); err != nil {
			return nil, err
		}
		u.Screen, u.Focus = ScreenHelp, ActionHelpClose
	}
	d := Data{"Until": int64(0), "OK": "", "OKText": "", "Quick": false, "Alarm": false}
	switch {
	case warning == "" && prompt == PromptAuth:
		// Its own form, not a dialog: the values go to the shell only (kiosk.js), and the kiosk
		// bar stays usable above it.
		if u.Warning, err = r.Fragment("auth", nil); err != nil {
			return nil, err
		}
		u.Prompt, u.Focus = prompt, "auth-user"
		return u, nil
	case warning == "idle":
		d["Key"], d["Until"], d["OK"], d["OKText"] = "warning.idle", ends.UnixMilli(), ActionStillHere, "warning.still_here"
		u.Prompt = "warning"
	case warning != "":
		d["Key"], d["Until"] = "warning."+warning, ends.UnixMilli() // "time" or "closing"
		u.Prompt, u.Focus = "warning", ActionEnd
	case promptButton[prompt] != "":
		d["Key"], d["OK"], d["OKText"] = prompt, promptButton[prompt], prompt+".ok"
		if prompt == PromptBlocked || prompt == PromptFailed || prompt == PromptPrint {
			d["OKText"] = "blocked.back"
		}
		d["Quick"], d["Alarm"] = prompt == PromptPresence, prompt == PromptPresence
		u.Prompt = prompt
	}
	if u.Prompt != "" {
		if u.Warning, err = r.Fragment("dialog", d); err != nil {
			return nil, err
		}
		if ok, _ := d["OK"].(string); ok != "" {
			u.Focus = ok
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
