// Package ui renders what the kiosk draws itself — its screens, the kiosk bar, warnings — from
// the templates and translations in package assets, into the wire.UI a shell shows.
package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"github.com/carekiosk/carekiosk/assets"
	"github.com/carekiosk/carekiosk/wire"
)

// Renderer holds the parsed templates for one language.
type Renderer struct {
	screens *template.Template
	text    map[string]string
}

// New parses the screens with the translations of lang ("en").
func New(lang string) (*Renderer, error) {
	b, err := assets.FS.ReadFile("i18n/" + lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("no translations for language %q", lang)
	}
	r := &Renderer{}
	if err := json.Unmarshal(b, &r.text); err != nil {
		return nil, fmt.Errorf("translations %s: %w", lang, err)
	}
	funcs := template.FuncMap{"t": r.translate}
	r.screens, err = template.New("").Option("missingkey=error").Funcs(funcs).ParseFS(assets.FS, "screens/*.html")
	if err != nil {
		return nil, err
	}
	return r, nil
}

// translate returns the text for key; a missing key is a bug the tests catch, shown as the key.
func (r *Renderer) translate(key string) (string, error) {
	s, ok := r.text[key]
	if !ok {
		return "", fmt.Errorf("missing translation %q", key)
	}
	return s, nil
}

// Fragment renders one template (a file in assets/screens without ".html") with data.
func (r *Renderer) Fragment(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := r.screens.ExecuteTemplate(&b, name+".html", data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Screen renders a full-screen kiosk screen; focus names the button that takes keyboard focus.
func (r *Renderer) Screen(name, focus string, data any) (*wire.UI, error) {
	html, err := r.Fragment(name, data)
	if err != nil {
		return nil, err
	}
	return &wire.UI{Screen: name, HTML: html, Focus: focus}, nil
}

// Session renders the UI over the provider's pages: the kiosk bar counting down to limit, and
// during a warning ("idle" or "time") a dialog counting down to ends.
func (r *Renderer) Session(limit time.Time, warning string, ends time.Time) (*wire.UI, error) {
	bar, err := r.Fragment("bar", map[string]any{"Until": limit.UnixMilli()})
	if err != nil {
		return nil, err
	}
	u := &wire.UI{Bar: bar}
	if warning != "" {
		idle := warning == "idle"
		u.Warning, err = r.Fragment("warning", map[string]any{"Until": ends.UnixMilli(), "Idle": idle})
		if idle {
			u.Focus = "still-here"
		}
	}
	return u, err
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
