// Package hours is a kiosk's opening hours: for each weekday the spans of local time it is open,
// and whole dates it is closed. It is pure: every question carries the time it is asked at, in
// any zone; the answers are computed on the schedule's own location (the kiosk's local time), so
// daylight-saving changes move opening times with the wall clock, as people expect.
//
// A span never crosses midnight: "22:00-24:00" on one day and "00:00-02:00" on the next make a
// night opening, and Closes sees through the join.
package hours

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Span is one opening of a day, in minutes after local midnight: Open < Close <= 24*60.
type Span struct{ Open, Close int }

// Schedule is when a kiosk is open. A nil *Schedule is always open.
type Schedule struct {
	days   [7][]Span // by time.Weekday; nil or empty: closed all day
	closed map[date]bool
	loc    *time.Location
}

type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) date { y, m, d := t.Date(); return date{y, m, d} }

// AllDay is the span of a day open from midnight to midnight.
var AllDay = []Span{{0, 24 * 60}}

// New returns a schedule of days (indexed by time.Weekday) in loc, closed on every date in
// closed ("2026-12-25"). It copies its arguments.
func New(days [7][]Span, closed []string, loc *time.Location) (*Schedule, error) {
	s := &Schedule{closed: map[date]bool{}, loc: loc}
	for i, spans := range days {
		s.days[i] = slices.Clone(spans)
	}
	for _, c := range closed {
		t, err := time.ParseInLocation(time.DateOnly, c, loc)
		if err != nil {
			return nil, fmt.Errorf("%q is not a date written like \"2026-12-25\"", c)
		}
		s.closed[dateOf(t)] = true
	}
	return s, nil
}

// ParseDay reads one day's hours: "closed", or one or more spans "HH:MM-HH:MM" separated by
// commas ("08:00-12:30, 13:30-18:00"), each closing after it opens, in order, not overlapping.
// "24:00" closes at midnight. A span that would cross midnight is refused: write it as two,
// one on each day.
func ParseDay(s string) ([]Span, error) {
	s = strings.TrimSpace(s)
	if s == "closed" {
		return []Span{}, nil
	}
	if s == "" {
		return nil, errors.New(`empty: write "closed" or a span like "08:00-18:30"`)
	}
	var spans []Span
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		from, to, ok := strings.Cut(part, "-")
		if !ok {
			return nil, fmt.Errorf("%q is not a span like \"08:00-18:30\"", part)
		}
		o, err := clock(strings.TrimSpace(from), false)
		if err != nil {
			return nil, err
		}
		c, err := clock(strings.TrimSpace(to), true)
		if err != nil {
			return nil, err
		}
		switch {
		case c <= o:
			return nil, fmt.Errorf("%q closes before it opens: a span may not cross midnight; write \"%s-24:00\" on this day and \"00:00-%s\" on the next",
				part, strings.TrimSpace(from), strings.TrimSpace(to))
		case len(spans) > 0 && o < spans[len(spans)-1].Close:
			return nil, fmt.Errorf("%q overlaps or comes before the span before it", part)
		}
		spans = append(spans, Span{o, c})
	}
	return spans, nil
}

// clock reads "HH:MM" as minutes after midnight; "24:00" only when end is true.
func clock(s string, end bool) (int, error) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	switch {
	case !ok || len(h) != 2 || len(m) != 2 || err1 != nil || err2 != nil || mm > 59 || hh < 0 || mm < 0:
		return 0, fmt.Errorf("%q is not a time written like \"08:00\"", s)
	case hh == 24 && mm == 0 && end:
		return 24 * 60, nil
	case hh > 23:
		return 0, fmt.Errorf("%q is not a time of day (00:00 to 23:59, or 24:00 to close at midnight)", s)
	}
	return hh*60 + mm, nil
}

// spansOn returns the spans of the local day of t, none on a closed date.
func (s *Schedule) spansOn(day time.Time) []Span {
	if s.closed[dateOf(day)] {
		return nil
	}
	return s.days[day.Weekday()]
}

// at is the instant of minute min of the local day of day; 24*60 is the next midnight. A wall
// time that a daylight-saving change skips is taken as the same time on the other side of the
// gap, as time.Date does.
func (s *Schedule) at(day time.Time, min int) time.Time {
	y, m, d := day.Date()
	return time.Date(y, m, d, min/60, min%60, 0, 0, s.loc)
}

// Open reports whether the kiosk is open at t.
func (s *Schedule) Open(t time.Time) bool {
	if s == nil {
		return true
	}
	t = t.In(s.loc)
	for _, sp := range s.spansOn(t) {
		if !t.Before(s.at(t, sp.Open)) && t.Before(s.at(t, sp.Close)) {
			return true
		}
	}
	return false
}

// Closes returns when the opening that t is in ends, following it across midnight when one
// day's last span ends at 24:00 and the next day's first begins at 00:00. It returns the zero
// time when the kiosk is closed at t, or open for the next 366 days without a break.
func (s *Schedule) Closes(t time.Time) time.Time {
	if s == nil || !s.Open(t) {
		return time.Time{}
	}
	t = t.In(s.loc)
	day := t
	for range 367 {
		var end time.Time
		for _, sp := range s.spansOn(day) {
			if st, en := s.at(day, sp.Open), s.at(day, sp.Close); !t.Before(st) && t.Before(en) {
				end = en
				if sp.Close < 24*60 {
					return end
				}
			}
		}
		if end.IsZero() {
			return time.Time{} // not reached: t is in a span
		}
		// Open until midnight: does the next day begin open?
		next := end
		sp := s.spansOn(next)
		if len(sp) == 0 || sp[0].Open != 0 {
			return end
		}
		day, t = next, next
	}
	return time.Time{}
}

// Opens returns when the kiosk next opens after t, when it is closed at t. It returns the zero
// time when it is open at t, or does not open again within 366 days.
func (s *Schedule) Opens(t time.Time) time.Time {
	if s == nil || s.Open(t) {
		return time.Time{}
	}
	t = t.In(s.loc)
	day := t
	for range 367 {
		for _, sp := range s.spansOn(day) {
			if st := s.at(day, sp.Open); st.After(t) {
				return st
			}
		}
		day = s.at(day, 24*60)
	}
	return time.Time{}
}

// Location is the zone the schedule is read in.
func (s *Schedule) Location() *time.Location { return s.loc }
