package main

import (
	"fmt"
	"slices"
	"time"
)

// sample is a set of durations measured the same way.
type sample []time.Duration

func (s sample) sorted() sample {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// median and p95 use the nearest-rank method.
func (s sample) median() time.Duration { return s.rank(50) }
func (s sample) p95() time.Duration    { return s.rank(95) }

func (s sample) rank(p int) time.Duration {
	if len(s) == 0 {
		return 0
	}
	c := s.sorted()
	i := (p*len(c)+99)/100 - 1
	return c[max(i, 0)]
}

func ms(d time.Duration) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}
