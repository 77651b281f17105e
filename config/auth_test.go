package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAuthAndPresence(t *testing.T) {
	dir := t.TempDir()
	good := strings.Repeat("ab", 32)
	allow := filepath.Join(dir, "cards.allow")
	os.WriteFile(allow, []byte("# enrolled 2026-01-02\n"+good+"  # front desk\n\n"+strings.ToUpper(good)+"\n"), 0o644)
	bad := filepath.Join(dir, "bad.allow")
	os.WriteFile(bad, []byte(good+"\n4111111111111111\n"+strings.Repeat("zz", 32)+"\n"), 0o644)

	tests := []struct {
		name string
		file string
		want []string // problems, each "FILE:LINE: ..." with FILE relative to dir
	}{
		{"allowlist", "[auth]\nmode = \"allowlist\"\nallowlist = \"cards.allow\"\ntechnician_cards = [\"" + good + "\"]\n", nil},
		{"allowlist missing key", "[auth]\nmode = \"allowlist\"\n", []string{"kiosk.toml:4: auth.allowlist: missing"}},
		{"allowlist file missing", "[auth]\nmode = \"allowlist\"\nallowlist = \"none.allow\"\n", []string{"none.allow:1: does not exist"}},
		{"allowlist bad lines", "[auth]\nmode = \"allowlist\"\nallowlist = \"bad.allow\"\n", []string{
			"bad.allow:2: a card hash is 64 hex digits (as `carekiosk card-hash` prints it), not 16 characters",
			"bad.allow:3: a card hash is 64 hex digits (0-9, a-f)"}},
		{"unknown mode", "[auth]\nmode = \"some\"\n", []string{`kiosk.toml:4: auth.mode: "some" is not a mode`}},
		{"bad technician card", "[auth]\ntechnician_cards = [\"1234\"]\n", []string{"kiosk.toml:4: auth.technician_cards: item 1: a card hash is 64 hex digits"}},
		{"zero refusals", "[auth]\nmax_refusals = 0\n", []string{"kiosk.toml:4: auth.max_refusals: 0 is too small"}},
		{"presence", "[presence]\ndevice = \"/dev/carekiosk-presence\"\nbaud = 115200\nalert_after = \"3s\"\n[presence.user_zone]\nx_min = -300\nx_max = 300\ny_min = 0\ny_max = 900\n", nil},
		{"presence bad", "[presence]\ndevice = \"/dev/x\"\nbaud = 9601\n[presence.overlook_zone]\nx_min = 100\nx_max = 0\n", []string{
			"kiosk.toml:5: presence.baud: 9601 is not a speed the LD2450 supports",
			"kiosk.toml:7: presence.overlook_zone.x_min: 100 must be less than x_max (0)"}},
		{"presence off is not checked", "[presence]\nbaud = 9601\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(filepath.Join(dir, "kiosk.toml"), []byte(minimal+tc.file))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("got\n%v\nwant no problem", err)
				}
				if c.Auth.Mode == AuthAllowlist {
					set, err := ReadAllowlist(c.Auth.Allowlist)
					if err != nil || len(set) != 1 || !set[good] {
						t.Errorf("allowlist %v (%v), want the one hash, lowercased", set, err)
					}
				}
				return
			}
			wantProblems(t, err, dir, tc.want, "4111111111111111")
		})
	}
}

// wantProblems checks that err is Problems beginning with want, one each, in order (file names
// relative to dir), none of which quotes secret.
func wantProblems(t *testing.T, err error, dir string, want []string, secret string) {
	t.Helper()
	var got []string
	if ps, ok := err.(Problems); ok {
		for _, p := range ps {
			got = append(got, strings.TrimPrefix(p.Error(), dir+"/"))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range got {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d: got %q, want it to begin %q", i, got[i], want[i])
		}
		if strings.Contains(got[i], secret) {
			t.Errorf("problem %q quotes %q", got[i], secret)
		}
	}
}
