package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseHelp(t *testing.T) {
	const head = "start_url = \"https://records.example.org/\"\nallowed_hosts = [\"records.example.org\"]\n"
	dir := t.TempDir()
	c, err := Parse(filepath.Join(dir, "kiosk.toml"), []byte(head+`language = "cy"
[help]
provider_name = "Riverside Surgery"
provider_phone = "+44 (0)1632 960-123"
[[help.organisations]]
name = "Get Safe Online"
url = "https://www.getsafeonline.org"
[[help.organisations]]
name = "Live Fear Free"
phone = "0808 80 10 800"
about = "Free, 24 hours."
[quick_exit]
title = "Welcome to Riverside Library"
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Organisation{{Name: "Get Safe Online", URL: "https://www.getsafeonline.org"}, {Name: "Live Fear Free", Phone: "0808 80 10 800", About: "Free, 24 hours."}}
	if c.Language != "cy" || c.Help.ProviderName != "Riverside Surgery" || !reflect.DeepEqual(c.Help.Organisations, want) || c.QuickExit.Title != "Welcome to Riverside Library" {
		t.Errorf("got %+v %+v %+v", c.Language, c.Help, c.QuickExit)
	}

	c, err = Parse(filepath.Join(dir, "kiosk.toml"), []byte(head))
	if err != nil {
		t.Fatal(err)
	}
	if c.Language != "en" || !reflect.DeepEqual(c.Help.Organisations, DefaultOrganisations()) {
		t.Errorf("defaults: %q %+v", c.Language, c.Help.Organisations)
	}

	tests := []struct{ name, file, want string }{
		{"language", `language = "fr"`, `kiosk.toml:3: language: "fr" is not a language of the kiosk; use "en" or "cy"`},
		{"phone", "[help]\nprovider_name = \"X\"\nprovider_phone = \"call us\"", `kiosk.toml:5: help.provider_phone: "call us" is not a phone number`},
		{"provider name", "[help]\nprovider_url = \"https://x.example.org\"", `kiosk.toml:3: help.provider_name: missing`},
		{"http", "[help]\nprovider_name = \"X\"\nprovider_url = \"http://x.example.org\"", `kiosk.toml:5: help.provider_url: must be an https:// address, not http://`},
		{"no name", "[[help.organisations]]\nphone = \"0800 1\"", `kiosk.toml:3: help.organisations.name: missing`},
		{"unknown", "[[help.organisations]]\nname = \"A\"\nphone = \"1234\"\n[[help.organisations]]\nnmae = \"B\"", `kiosk.toml:7: unknown key "nmae" in [[help.organisations]] (did you mean "name"?)`},
		{"neither", "[[help.organisations]]\nname = \"A\"", `kiosk.toml:3: help.organisations.phone: give a phone number or a url (or both) for "A"`},
		{"not tables", "[help]\norganisations = [\"a\"]", `kiosk.toml:4: help.organisations: must be tables`},
		{"too many", strings.Repeat("[[help.organisations]]\nname = \"A\"\nphone = \"1234\"\n", 9), `help.organisations: 9 organisations are too many`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(filepath.Join(dir, "kiosk.toml"), []byte(head+tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want a problem containing %q", err, tc.want)
			}
		})
	}
}
