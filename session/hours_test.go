package session

import (
	"strings"
	"testing"
	"time"

	"github.com/carekiosk/carekiosk/hours"
	"github.com/carekiosk/carekiosk/ui"
)

// TestWelcomeSaysWhenItOpens renders the welcome screen of a closed kiosk with a real schedule.
func TestWelcomeSaysWhenItOpens(t *testing.T) {
	r, err := ui.New("en")
	if err != nil {
		t.Fatal(err)
	}
	var days [7][]hours.Span
	for i := range days {
		days[i], _ = hours.ParseDay("08:00-18:30")
	}
	days[time.Sunday] = []hours.Span{}
	sched, err := hours.New(days, []string{"2026-12-25"}, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	local := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, time.Local)
	}
	for _, tc := range []struct {
		now  time.Time
		want string
		next time.Time // when the text must change
	}{
		{local(2026, 11, 23, 7, 0), "It opens today at 08:00.", local(2026, 11, 23, 8, 0)},
		{local(2026, 11, 23, 19, 0), "It opens tomorrow at 08:00.", local(2026, 11, 24, 0, 0)},
		{local(2026, 11, 28, 19, 0), "It opens on Monday at 08:00.", local(2026, 11, 29, 0, 0)},
		{local(2026, 12, 24, 19, 0), "It opens on Saturday at 08:00.", local(2026, 12, 25, 0, 0)},
		{local(2026, 11, 23, 12, 0), "Touch your card to begin", local(2026, 11, 23, 18, 30)},
	} {
		c := NewCore(Config{Settings: Settings{Hours: sched}})
		v := ui.Welcome{Dev: false, ReaderOK: true}
		c.hoursView(tc.now, &v)
		u, err := r.Screen(v, "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(u.HTML, tc.want) {
			t.Errorf("at %s: welcome screen\n%s\nwant %q", tc.now, u.HTML, tc.want)
		}
		if !c.hoursAt.Equal(tc.next) {
			t.Errorf("at %s: redraw at %s, want %s", tc.now, c.hoursAt, tc.next)
		}
	}
}
