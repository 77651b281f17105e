package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Languages are the languages the kiosk's own screens are written in (assets/i18n).
var Languages = []string{"en", "cy"}

// DefaultLanguage is the language of the kiosk's screens when the file does not choose one.
const DefaultLanguage = "en"

// Help is the [help] table: the provider's own help and the organisations that the help and
// safety screen lists, each with a QR code to its website.
type Help struct {
	// ProviderName is the record provider's name, shown with ProviderPhone and ProviderURL as
	// the place to go for problems with a password or a record. "" shows no provider section.
	ProviderName string `toml:"provider_name"`
	// ProviderPhone is the provider's help phone number: digits, spaces and + - ( ) only.
	ProviderPhone string `toml:"provider_phone"`
	// ProviderURL is the provider's help page, https; the screen shows a QR code to it.
	ProviderURL string `toml:"provider_url"`
	// Organisations are the helplines and websites listed, in order; at most MaxOrganisations.
	// Listing any replaces the default list (the leaflet's); an empty list shows none.
	Organisations []Organisation `toml:"organisations"`
}

// Organisation is one [[help.organisations]] entry: a name, and a phone number or an https
// website or both.
type Organisation struct {
	Name  string `toml:"name"`
	Phone string `toml:"phone"`
	URL   string `toml:"url"`
	// About is an optional short line under the name, shown as written in every language.
	About string `toml:"about"`
}

// QuickExit is the [quick_exit] table: the neutral screen shown after a quick exit.
type QuickExit struct {
	// Title replaces the screen's title ("Welcome"), for example "Welcome to Ashford Library".
	// It is shown as written in every language; "" keeps the translated default.
	Title string `toml:"title"`
	// Text replaces the line under the title; "" keeps the translated default (or, with a
	// Title, shows no line).
	Text string `toml:"text"`
}

// MaxOrganisations bounds [[help.organisations]]: the help screen must stay readable.
const MaxOrganisations = 8

// DefaultOrganisations are the organisations of the leaflet "Keeping your online health and
// social care records safe and secure" (pages 17–18) that still run, with https addresses.
func DefaultOrganisations() []Organisation {
	return []Organisation{
		{Name: "Get Safe Online", URL: "https://www.getsafeonline.org"},
		{Name: "Age UK", URL: "https://www.ageuk.org.uk"},
		{Name: "Age UK Advice Line", Phone: "0800 169 65 65"},
		{Name: "Men's Advice Line", Phone: "0808 801 0327", URL: "https://www.mensadviceline.org.uk"},
		{Name: "National Domestic Violence Helpline", Phone: "0808 2000 247", URL: "https://www.nationaldomesticviolencehelpline.org.uk"},
		{Name: "Information Commissioner's Office", URL: "https://ico.org.uk"},
	}
}

var phonePattern = regexp.MustCompile(`^\+?[0-9 ()-]{3,24}$`)

// validateScreens checks language, [help] and [quick_exit].
func (v *validator) validateScreens(c *Config) {
	if !slices.Contains(Languages, c.Language) {
		quoted := make([]string, len(Languages))
		for i, l := range Languages {
			quoted[i] = strconv.Quote(l)
		}
		v.report("language", "%q is not a language of the kiosk; use %s", c.Language, strings.Join(quoted, " or "))
	}
	h := c.Help
	v.text("help.provider_name", h.ProviderName, 80)
	if h.ProviderName == "" && (h.ProviderPhone != "" || h.ProviderURL != "") {
		v.reportNear("help.provider_name", "help", "missing: name the provider whose phone or website is given")
	}
	v.phone("help.provider_phone", h.ProviderPhone)
	v.webURL("help.provider_url", h.ProviderURL)
	if len(h.Organisations) > MaxOrganisations {
		v.report("help.organisations", "%d organisations are too many for the help screen: at most %d", len(h.Organisations), MaxOrganisations)
	}
	for i, o := range h.Organisations {
		k := fmt.Sprintf("help.organisations[%d]", i)
		if o.Name == "" {
			v.reportNear(k+".name", k, "missing: every organisation needs a name")
		}
		v.text(k+".name", o.Name, 80)
		v.text(k+".about", o.About, 120)
		if o.Phone == "" && o.URL == "" {
			v.reportNear(k+".phone", k, "give a phone number or a url (or both) for %q", o.Name)
		}
		v.phone(k+".phone", o.Phone)
		v.webURL(k+".url", o.URL)
	}
	v.text("quick_exit.title", c.QuickExit.Title, 80)
	v.text("quick_exit.text", c.QuickExit.Text, 160)
}

func (v *validator) text(key, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		v.report(key, "%d characters is too long for the screen: at most %d", n, max)
	}
}

func (v *validator) phone(key, s string) {
	if s != "" && !phonePattern.MatchString(s) {
		v.report(key, "%q is not a phone number: use digits, spaces and + - ( ) only, like \"0808 801 0327\"", s)
	}
}

// webURL checks an address shown as a QR code for the patient's own phone: https, with a host.
// It need not be in allowed_hosts: the kiosk itself never opens it.
func (v *validator) webURL(key, raw string) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		v.report(key, "%q is not a full web address, like \"https://www.example.org\"", raw)
	case u.Scheme != "https":
		v.report(key, "must be an https:// address, not %s://", u.Scheme)
	case u.User != nil:
		v.report(key, "must not hold a user name or password")
	case len(raw) > 200:
		v.report(key, "is too long for a QR code people can scan: at most 200 characters")
	}
}
