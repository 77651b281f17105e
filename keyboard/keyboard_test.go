package keyboard

import (
	"strings"
	"testing"
)

// find is the position of the key called name on b's current page.
func find(t *testing.T, b *Board, name string) (int, int) {
	t.Helper()
	for r, row := range b.Rows() {
		for c, k := range row {
			if k.Name == name {
				return r, c
			}
		}
	}
	t.Fatalf("no key %q on the board", name)
	return 0, 0
}

// touch presses the keys called names in turn and returns what they typed: text for Type, and
// "<backspace>", "<enter>", "<tab>" for the others that reach the page.
func touch(t *testing.T, b *Board, names ...string) string {
	t.Helper()
	var out strings.Builder
	for _, n := range names {
		r, c := find(t, b, n)
		k, _, ok := b.Press(r, c)
		if !ok {
			t.Fatalf("key %q at %d,%d: not on the board", n, r, c)
		}
		switch k.Action {
		case Type:
			out.WriteString(k.Text)
		case Backspace:
			out.WriteString("<backspace>")
		case Enter:
			out.WriteString("<enter>")
		case Tab:
			out.WriteString("<tab>")
		}
	}
	return out.String()
}

func TestTyping(t *testing.T) {
	for _, tc := range []struct {
		name, lang string
		keys       []string
		want       string
	}{
		{"lower case", "en", []string{"h", "i"}, "hi"},
		{"shift is for one letter", "en", []string{"shift", "h", "i"}, "Hi"},
		{"shift twice locks capitals", "en", []string{"shift", "shift", "n", "h", "s"}, "NHS"},
		{"a third shift unlocks", "en", []string{"shift", "shift", "a", "shift", "b"}, "Ab"},
		{"an e-mail address", "en", []string{"j", "o", "@", "n", "h", "s", ".", "u", "k"}, "jo@nhs.uk"},
		{"digits page and back", "en", []string{"symbols", "2", "0", "letters", "a"}, "20a"},
		{"space, enter, tab, backspace", "en", []string{"a", "space", "backspace", "tab", "enter"}, "a <backspace><tab><enter>"},
		{"accents page", "en", []string{"accents", "ŵ", "ä", "ẁ", "letters", "c"}, "ŵäẁc"},
		{"capital accented letters", "en", []string{"accents", "shift", "ŷ", "ŷ"}, "Ŷŷ"},
		{"Welsh circumflexes on the letters page", "cy", []string{"d", "ŵ", "r"}, "dŵr"},
		{"Welsh capitals", "cy", []string{"shift", "â"}, "Â"},
		{"diaeresis from the Welsh board", "cy", []string{"accents", "ï"}, "ï"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b Board
			b.SetLanguage(tc.lang)
			if got := touch(t, &b, tc.keys...); got != tc.want {
				t.Errorf("typed %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEnglishHasNoCircumflexRow(t *testing.T) {
	var b Board
	if r, _ := find(t, &b, "q"); r != 0 {
		t.Errorf("English: q is on row %d, want the top row", r)
	}
	if !b.SetLanguage("cy") {
		t.Fatal("SetLanguage(cy) says nothing changed")
	}
	if r, _ := find(t, &b, "ŵ"); r != 0 {
		t.Errorf("Welsh: ŵ is on row %d, want the top row", r)
	}
	if b.SetLanguage("cy") {
		t.Error("SetLanguage(cy) twice says the keys changed")
	}
}

func TestRedrawOnlyWhenTheKeysChange(t *testing.T) {
	var b Board
	press := func(name string) bool {
		r, c := find(t, &b, name)
		_, changed, _ := b.Press(r, c)
		return changed
	}
	if press("a") {
		t.Error("a letter in lower case changed the board")
	}
	if !press("shift") || !press("b") {
		t.Error("shift, and the capital after it, must redraw (the letters change case)")
	}
	if !press("symbols") || press("1") {
		t.Error("symbols must redraw; a digit must not")
	}
	if got := b.Rows()[0][0].Label; got != "1" {
		t.Errorf("symbols page starts with %q", got)
	}
	b.Reset()
	if got := b.Rows()[0][0].Label; got != "q" {
		t.Errorf("after Reset the board starts with %q, want q", got)
	}
}

func TestPressOffTheBoard(t *testing.T) {
	var b Board
	for _, p := range [][2]int{{-1, 0}, {0, -1}, {9, 0}, {0, 99}} {
		if _, _, ok := b.Press(p[0], p[1]); ok {
			t.Errorf("Press(%d, %d) is on the board", p[0], p[1])
		}
	}
}

// The board must fit its grid, and every key must be big enough to touch: at 768 px (portrait)
// a half key is 32 px, so an ordinary key is 64 px wide.
func TestEveryPageFits(t *testing.T) {
	for _, lang := range []string{"en", "cy"} {
		for _, page := range []Page{Letters, Symbols, Accents} {
			var b Board
			b.SetLanguage(lang)
			b.page = page
			for i, row := range b.Rows() {
				w := 0
				for _, k := range row {
					if k.Width < 2 {
						t.Errorf("%s page %d: key %q is %d half keys wide", lang, page, k.Name, k.Width)
					}
					if k.Label == "" || k.Name == "" {
						t.Errorf("%s page %d: key %+v has no label or name", lang, page, k)
					}
					w += k.Width
				}
				if w > Columns {
					t.Errorf("%s page %d row %d is %d half keys wide, more than %d", lang, page, i, w, Columns)
				}
			}
		}
	}
}
