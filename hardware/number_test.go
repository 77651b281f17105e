package hardware

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
)

// TestCardNumberShowsNothing: however a CardNumber, or an Event that holds one, is printed,
// marshalled or logged, nothing of the number shows; Lend gives the bytes and Wipe zeroes them.
func TestCardNumberShowsNothing(t *testing.T) {
	src := []byte(library)
	n := NewCardNumber(src)
	clear(src)
	ev := Event{Kind: Card, Card: "ab", Number: n}
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %[1]v"} {
		out = append(out, fmt.Sprintf(verb, n), fmt.Sprintf(verb, ev), fmt.Sprintf(verb, &ev))
	}
	out = append(out, n.String(), fmt.Sprint(n), fmt.Sprintln(ev))
	for _, v := range []any{n, ev, &ev, []Event{ev}, map[string]any{"n": n}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		slog.New(h).Info("card", "number", n, "event", ev, "any", any(n))
	}
	out = append(out, logs.String())
	for _, s := range out {
		checkClean(t, "output", s)
	}
	var lent []byte
	n.Lend(func(b []byte) { lent = b })
	if string(lent) != library {
		t.Fatalf("Lend gave %d bytes, not the number", len(lent))
	}
	ev.Number.Wipe() // a copy wipes the one number
	if !bytes.Equal(lent, make([]byte, len(library))) || !n.Empty() {
		t.Error("Wipe left the number's bytes")
	}
	n.Wipe()
	n.Lend(func(b []byte) {
		if b != nil {
			t.Errorf("a wiped number lends %d bytes", len(b))
		}
	})
	CardNumber{}.Wipe()
}

// TestReaderKeepNumber: with KeepNumber the Card event carries the number, sealed; without it,
// none.
func TestReaderKeepNumber(t *testing.T) {
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprint(keep), func(t *testing.T) {
			dev := newDevice(t)
			dev.plug()
			rn := start(t, Options{Device: dev.path, KeepNumber: keep})
			rn.expect(Connected)
			dev.send(library + "\r\n")
			ev := rn.expect(Card)
			var got string
			ev.Number.Lend(func(b []byte) { got = string(b) })
			ev.Number.Wipe()
			if want := map[bool]string{true: library}[keep]; got != want {
				t.Errorf("number of %d bytes, want %d", len(got), len(want))
			}
		})
	}
}
