package config

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a config file. Its Error is "FILE:LINE: message", always on
// one line; Line is 1 for a problem that no single line causes (a required key missing).
type Problem struct {
	File string
	Line int
	Msg  string

	err error // the underlying error, for errors.Is (a file that cannot be read)
}

// Error returns "FILE:LINE: message". A Line below 1 prints as 1, and line breaks in the
// message print as spaces, so that every problem is exactly one line of that shape.
func (p Problem) Error() string {
	line := max(p.Line, 1)
	msg := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, p.Msg)
	return p.File + ":" + strconv.Itoa(line) + ": " + msg
}

// Unwrap returns the error that caused p, if any: for Load's "cannot read" problem, the
// operating system's error, so errors.Is(err, fs.ErrNotExist) works.
func (p Problem) Unwrap() error { return p.err }

// Problems is every problem found in a config file, in line order. Parse, Load and Validate
// return it as their error (never an empty one).
type Problems []Problem

// Error returns each problem's Error, joined with "\n".
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the underlying errors of the problems that have one.
func (ps Problems) Unwrap() []error {
	var errs []error
	for _, p := range ps {
		if p.err != nil {
			errs = append(errs, p.err)
		}
	}
	return errs
}

// problems collects Problems about one file.
type problems struct {
	file string
	list Problems
}

func (ps *problems) add(line int, msg string) {
	ps.list = append(ps.list, Problem{File: ps.file, Line: max(line, 1), Msg: msg})
}

// err returns the problems in line order (stable, so a line's problems keep their order), or
// nil if there are none.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.list, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return ps.list
}
