package demo

import "testing"

func TestDisplayName(t *testing.T) {
	tests := []struct{ user, want string }{
		{"alex.morgan@example.org", "Alex Morgan"},
		{"jsmith", "Jsmith"},
		{"MARY_O'BRIEN", "Mary O'brien"},
		{"zoë-ünal", "Zoë Ünal"},
		{"a b c d e f", "A B C D"},
		{"!!!", "Demo Patient"},
		{"@host", "Host"},
		{"averyveryverylongfirstname averyveryverylongsurname", "Averyveryverylongfirstname"},
		{"<script>alert(1)</script>", "Script Alert 1 Script"},
	}
	for _, tc := range tests {
		t.Run(tc.user, func(t *testing.T) {
			if got := displayName(tc.user); got != tc.want {
				t.Errorf("displayName(%q): got %q, want %q", tc.user, got, tc.want)
			}
		})
	}
}
