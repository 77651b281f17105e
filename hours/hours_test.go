package hours

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests need Europe/London on any machine
)

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustDay(t *testing.T, s string) []Span {
	t.Helper()
	sp, err := ParseDay(s)
	if err != nil {
		t.Fatalf("ParseDay(%q): %v", s, err)
	}
	return sp
}

func TestParseDay(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Span
		err  string
	}{
		{in: "08:00-18:30", want: []Span{{480, 1110}}},
		{in: "closed", want: []Span{}},
		{in: " 08:00-12:30 , 13:30-18:00 ", want: []Span{{480, 750}, {810, 1080}}},
		{in: "00:00-24:00", want: []Span{{0, 1440}}},
		{in: "22:00-02:00", err: "may not cross midnight"},
		{in: "18:00-08:00", err: "closes before it opens"},
		{in: "08:00-08:00", err: "closes before it opens"},
		{in: "8:00-18:00", err: `"8:00" is not a time`},
		{in: "08:00-25:00", err: "not a time of day"},
		{in: "24:00-24:00", err: "not a time of day"},
		{in: "08:60-09:00", err: "not a time"},
		{in: "08:00", err: "not a span"},
		{in: "", err: "empty"},
		{in: "Closed", err: "not a span"},
		{in: "08:00-12:00, 11:00-13:00", err: "overlaps"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDay(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseDay(%q) = %v, %v; want an error with %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || len(got) != len(tc.want) {
				t.Fatalf("ParseDay(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("ParseDay(%q) = %v; want %v", tc.in, got, tc.want)
				}
			}
		})
	}
}

// week is a surgery's week: weekdays 08:00-18:30, Saturday mornings, closed on Sunday, and a
// Friday that runs a night clinic until 02:00 on Saturday.
func week(t *testing.T) *Schedule {
	var d [7][]Span
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday} {
		d[wd] = mustDay(t, "08:00-18:30")
	}
	d[time.Friday] = mustDay(t, "08:00-12:30, 13:30-24:00")
	d[time.Saturday] = mustDay(t, "00:00-02:00, 09:00-12:00")
	d[time.Sunday] = mustDay(t, "closed")
	s, err := New(d, []string{"2026-12-25"}, london(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSchedule(t *testing.T) {
	loc := london(t)
	s := week(t)
	at := func(v string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", v, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	zero := time.Time{}
	for _, tc := range []struct {
		name          string
		now           string
		open          bool
		closes, opens time.Time
	}{
		{"before opening", "2026-11-23 07:59", false, zero, at("2026-11-23 08:00")},
		{"at opening", "2026-11-23 08:00", true, at("2026-11-23 18:30"), zero},
		{"just before closing", "2026-11-23 18:29", true, at("2026-11-23 18:30"), zero},
		{"at closing", "2026-11-23 18:30", false, zero, at("2026-11-24 08:00")},
		{"lunch on friday", "2026-11-27 12:45", false, zero, at("2026-11-27 13:30")},
		{"friday night runs past midnight", "2026-11-27 23:00", true, at("2026-11-28 02:00"), zero},
		{"saturday small hours", "2026-11-28 01:00", true, at("2026-11-28 02:00"), zero},
		{"saturday night to monday", "2026-11-28 12:00", false, zero, at("2026-11-30 08:00")},
		{"sunday", "2026-11-29 10:00", false, zero, at("2026-11-30 08:00")},
		// Christmas is a Friday: closed, but Saturday's own 00:00-02:00 still opens.
		{"christmas day (a friday)", "2026-12-25 10:00", false, zero, at("2026-12-26 00:00")},
		{"christmas eve night does not run into christmas", "2026-12-24 18:00", true, at("2026-12-24 18:30"), zero},
		// Spring forward: Sunday 29 March 2026, 01:00 GMT becomes 02:00 BST. The kiosk opens at
		// 08:00 by the wall clock on Monday, which is 07:00 UTC.
		{"monday after spring forward", "2026-03-30 07:30", false, zero, time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC)},
		// The Friday night clinic before it: Saturday 28 March is still GMT.
		{"night before spring forward", "2026-03-27 23:30", true, time.Date(2026, 3, 28, 2, 0, 0, 0, time.UTC), zero},
		// Fall back: Sunday 25 October 2026, 02:00 BST becomes 01:00 GMT. Saturday the 24th is
		// BST: the night clinic ends 02:00 BST = 01:00 UTC; Monday opens 08:00 GMT = 08:00 UTC.
		{"night clinic in summer time", "2026-10-24 00:30", true, time.Date(2026, 10, 24, 1, 0, 0, 0, time.UTC), zero},
		{"monday after fall back", "2026-10-25 12:00", false, zero, time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := at(tc.now)
			if got := s.Open(now); got != tc.open {
				t.Errorf("Open(%s) = %t, want %t", now, got, tc.open)
			}
			if got := s.Closes(now); !got.Equal(tc.closes) {
				t.Errorf("Closes(%s) = %s, want %s", now, got, tc.closes)
			}
			if got := s.Opens(now); !got.Equal(tc.opens) {
				t.Errorf("Opens(%s) = %s, want %s", now, got, tc.opens)
			}
		})
	}
}

// TestScheduleAnyZone: the answers do not depend on the zone of the time asked about.
func TestScheduleAnyZone(t *testing.T) {
	s := week(t)
	now := time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC) // 18:00 in London in winter
	tokyo := now.In(time.FixedZone("JST", 9*3600))
	if !s.Open(tokyo) || !s.Closes(tokyo).Equal(now.Add(30*time.Minute)) {
		t.Errorf("at %s: open %t, closes %s; want open, closing 18:30 London", tokyo, s.Open(tokyo), s.Closes(tokyo))
	}
}

func TestAlwaysOpen(t *testing.T) {
	var nilSchedule *Schedule
	now := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)
	if !nilSchedule.Open(now) || !nilSchedule.Closes(now).IsZero() || !nilSchedule.Opens(now).IsZero() {
		t.Error("a nil schedule must be open, never closing")
	}
	var d [7][]Span
	for i := range d {
		d[i] = AllDay
	}
	s, _ := New(d, []string{"2026-01-02"}, time.UTC)
	if got, want := s.Closes(now), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("open all week but one date: Closes = %s, want %s", got, want)
	}
	s, _ = New(d, nil, time.UTC)
	if got := s.Closes(now); !got.IsZero() {
		t.Errorf("open all the time: Closes = %s, want zero", got)
	}
}

func TestNewRefusesBadDates(t *testing.T) {
	if _, err := New([7][]Span{}, []string{"25/12/2026"}, time.UTC); err == nil {
		t.Error("New accepted a date written 25/12/2026")
	}
}
