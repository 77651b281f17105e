package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseHoursAndMetrics(t *testing.T) {
	for _, tc := range []struct {
		name string
		more string
		want []string // problems, after "kiosk.toml:"; none: valid
	}{
		{name: "opening hours", more: "[hours]\nmonday = \"08:00-18:30\"\nsunday = \"closed\"\nsaturday = \"09:00-12:00, 13:00-16:00\"\nclosed = [\"2026-12-25\"]\n"},
		{name: "bad span", more: "[hours]\nmonday = \"18:30-08:00\"\n",
			want: []string{`4: hours.monday: "18:30-08:00" closes before it opens: a span may not cross midnight; write "18:30-24:00" on this day and "00:00-08:00" on the next`}},
		{name: "bad time", more: "[hours]\ntuesday = \"8-18\"\n",
			want: []string{`4: hours.tuesday: "8" is not a time written like "08:00"`}},
		{name: "bad date", more: "[hours]\nclosed = [\"2026-12-25\",\n  \"25/12/2026\"]\n",
			want: []string{`5: hours.closed: "25/12/2026" is not a date written like "2026-12-25"`}},
		{name: "unquoted date", more: "[hours]\nclosed = [2026-12-25]\n",
			want: []string{`4: hours.closed: item 1 must be a string in quotes, not a date or time`}},
		{name: "unknown weekday", more: "[hours]\nmonady = \"closed\"\n",
			want: []string{`4: unknown key "monady" in [hours] (did you mean "monday"?)`}},
		{name: "metrics off", more: "[metrics]\nlisten = \"\"\n"},
		{name: "metrics ipv6 loopback", more: "[metrics]\nlisten = \"[::1]:9477\"\n"},
		{name: "metrics localhost", more: "[metrics]\nlisten = \"localhost:9100\"\n"},
		{name: "metrics remote refused", more: "[metrics]\nlisten = \"0.0.0.0:9477\"\n",
			want: []string{`4: metrics.listen: "0.0.0.0:9477" can be reached from other hosts; use a loopback address like "127.0.0.1:9477", or set allow_remote = true`}},
		{name: "metrics all interfaces refused", more: "[metrics]\nlisten = \":9477\"\n",
			want: []string{`4: metrics.listen: ":9477" can be reached from other hosts; use a loopback address like "127.0.0.1:9477", or set allow_remote = true`}},
		{name: "metrics remote allowed", more: "[metrics]\nlisten = \"10.0.0.5:9477\"\nallow_remote = true\n"},
		{name: "metrics no port", more: "[metrics]\nlisten = \"127.0.0.1\"\n",
			want: []string{`4: metrics.listen: "127.0.0.1" is not an address like "127.0.0.1:9477"`}},
		{name: "metrics bad port", more: "[metrics]\nlisten = \"127.0.0.1:http\"\n",
			want: []string{`4: metrics.listen: "127.0.0.1:http": the port must be a number from 1 to 65535`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "kiosk.toml")
			c, err := Parse(name, []byte(minimal+tc.more))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				if _, err := c.Hours.Schedule(time.UTC); err != nil {
					t.Errorf("Schedule of a valid file: %v", err)
				}
				return
			}
			var want []string
			for _, w := range tc.want {
				want = append(want, name+":"+w)
			}
			if err == nil || err.Error() != strings.Join(want, "\n") {
				t.Errorf("got\n%v\nwant\n%s", err, strings.Join(want, "\n"))
			}
		})
	}
}

func TestHoursSchedule(t *testing.T) {
	if s, err := (Hours{}).Schedule(time.UTC); s != nil || err != nil {
		t.Errorf("no [hours]: got %v, %v; want nil (always open)", s, err)
	}
	s, err := (Hours{Monday: "08:00-18:00"}).Schedule(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	mon := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	if s.Open(mon) || !s.Open(mon.Add(2*time.Hour)) || !s.Open(mon.Add(24*time.Hour)) {
		t.Error("monday 08:00-18:00: want closed at 07:00, open at 09:00, open all tuesday")
	}
}
