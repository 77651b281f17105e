// Package keyboard is the kiosk's on-screen keyboard for touch-only units: its keys in English
// and Welsh, its pages (letters, digits and symbols, accented letters), its shift and caps state,
// and what each touch types. It draws nothing and types nothing itself: the shell draws the keys
// Board.Rows lists (kiosk/keyboard.c, with GTK) and turns what Board.Press returns into real key
// events, the path a physical key takes.
//
// Welsh needs â ê î ô û ŵ ŷ often, so the Welsh letters page has them as a row of their own; in
// both languages every accented vowel (circumflex, diaeresis, acute, grave) is on the "âŵ" page.
package keyboard

import "strings"

// Action is what a key does when touched.
type Action int

// The actions of keys.
const (
	Type      Action = iota // type Key.Text
	Backspace               // delete the character before the cursor
	Enter                   // Return: submit a form, or a new line
	Tab                     // move to the next field
	Shift                   // one capital; touched twice, caps lock; a third time, off
	Open                    // show Key.Page
)

// Page is one set of keys.
type Page int

// The pages.
const (
	Letters Page = iota
	Symbols
	Accents
)

// Columns is the width of the widest row, in half keys.
const Columns = 24

// Key is one key on the board.
type Key struct {
	Label  string // what the key shows
	Name   string // what it is called, for screen readers and tests ("a", "shift", "backspace")
	Text   string // Type: the character it types, already in the case the board is in
	Action Action
	Page   Page // Open: the page it opens
	Width  int  // in half keys: 2 is one ordinary key
}

// Board is one keyboard's state: the page shown and shift. The zero Board is English, lower case,
// on the letters page. It is not safe for concurrent use (the shell uses it on its GTK thread).
type Board struct {
	lang  string
	page  Page
	shift bool // the next letter is a capital
	caps  bool // every letter is a capital until shift is touched again
}

// SetLanguage chooses the keys of lang ("en" or "cy"; anything else is English) and goes back
// to the letters page. It reports whether the keys changed.
func (b *Board) SetLanguage(lang string) bool {
	if lang != "cy" {
		lang = "en"
	}
	if lang == b.language() {
		return false
	}
	b.lang, b.page = lang, Letters
	return true
}

func (b *Board) language() string {
	if b.lang == "" {
		return "en"
	}
	return b.lang
}

// Reset goes back to the letters page in lower case, as for a new field.
func (b *Board) Reset() { b.page, b.shift, b.caps = Letters, false, false }

// Rows is the board as shown now: rows of keys, top first, each row at most Columns half keys
// wide.
func (b *Board) Rows() [][]Key {
	var rows [][]string
	switch b.page {
	case Symbols:
		rows = symbols
	case Accents:
		rows = accents
	default:
		rows = letters
		if b.language() == "cy" {
			rows = append([][]string{welshRow}, letters...)
		}
	}
	upper := b.shift || b.caps
	out := make([][]Key, len(rows))
	for i, row := range rows {
		for _, spec := range row {
			out[i] = append(out[i], b.key(spec, upper))
		}
	}
	return out
}

// Press is a touch on the key at row, col of Rows. It returns the key as it was when touched
// (its Action, and for Type the Text to type) and whether the board changed, so that Rows must
// be drawn again. A position off the board returns ok false.
func (b *Board) Press(row, col int) (k Key, changed, ok bool) {
	rows := b.Rows()
	if row < 0 || row >= len(rows) || col < 0 || col >= len(rows[row]) {
		return Key{}, false, false
	}
	k = rows[row][col]
	switch k.Action {
	case Shift:
		switch {
		case b.caps:
			b.shift, b.caps = false, false
		case b.shift:
			b.shift, b.caps = false, true
		default:
			b.shift = true
		}
		return k, true, true
	case Open:
		b.page, b.shift = k.Page, false
		return k, true, true
	case Type:
		if b.shift {
			b.shift = false
			return k, true, true
		}
	}
	return k, false, true
}

// The pages, as rows of key specs: a character types itself; a name in angle brackets is a
// special key (see special); "<space>" is the space bar.
var (
	letters = [][]string{
		{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "<backspace>"},
		{"<tab>", "a", "s", "d", "f", "g", "h", "j", "k", "l", "<enter>"},
		{"<shift>", "z", "x", "c", "v", "b", "n", "m", "-", "'", "<shift>"},
		{"<symbols>", "<accents>", "@", "<space>", ".", "_", "<symbols>"},
	}
	welshRow = []string{"â", "ê", "î", "ô", "û", "ŵ", "ŷ"}
	symbols  = [][]string{
		{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "<backspace>"},
		{"<tab>", "@", "#", "£", "$", "%", "&", "*", "(", ")", "<enter>"},
		{"-", "_", "+", "=", "/", ":", ";", "!", "?", ",", "\""},
		{"<letters>", "<accents>", "@", "<space>", ".", "'", "<letters>"},
	}
	accents = [][]string{
		{"â", "ê", "î", "ô", "û", "ŵ", "ŷ", "<backspace>"},
		{"ä", "ë", "ï", "ö", "ü", "ẅ", "ÿ", "<enter>"},
		{"á", "é", "í", "ó", "ú", "ẃ", "ý", "<shift>"},
		{"à", "è", "ì", "ò", "ù", "ẁ", "ỳ", "<letters>"},
	}
)

// special are the keys that type no character of their own.
var special = map[string]Key{
	"<backspace>": {Label: "⌫", Name: "backspace", Action: Backspace, Width: 4},
	"<tab>":       {Label: "⇥", Name: "tab", Action: Tab, Width: 3},
	"<enter>":     {Label: "↵", Name: "enter", Action: Enter, Width: 3},
	"<shift>":     {Label: "⇧", Name: "shift", Action: Shift, Width: 3},
	"<space>":     {Label: " ", Name: "space", Text: " ", Action: Type, Width: 10},
	"<symbols>":   {Label: "?123", Name: "symbols", Action: Open, Page: Symbols, Width: 3},
	"<letters>":   {Label: "ABC", Name: "letters", Action: Open, Page: Letters, Width: 3},
	"<accents>":   {Label: "âŵ", Name: "accents", Action: Open, Page: Accents, Width: 2},
}

// key is the Key of spec on the current page, in capitals if upper.
func (b *Board) key(spec string, upper bool) Key {
	if k, ok := special[spec]; ok {
		if k.Action == Shift && b.caps {
			k.Label = "⇪"
		}
		return k
	}
	text := spec
	if upper {
		text = strings.ToUpper(spec)
	}
	return Key{Label: text, Name: spec, Text: text, Action: Type, Width: 2}
}
