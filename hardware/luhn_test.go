package hardware

import "testing"

func TestLuhn(t *testing.T) {
	tests := []struct {
		digits string
		want   bool
	}{
		{"79927398713", true}, // the textbook example
		{"79927398710", false},
		{visa, true},
		{badLuhn, false},
		{library, true},
		{"0000000000000000", true},
		{"18", true},
		{"0", false}, // too short to carry a check digit
		{"", false},
		{"4111-1111-1111-1111", false},
		{"41111111111111 1", false},
	}
	for _, tc := range tests {
		if got := luhnValid([]byte(tc.digits)); got != tc.want {
			t.Errorf("luhnValid(%q) = %v, want %v", tc.digits, got, tc.want)
		}
	}
}
