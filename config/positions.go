package config

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// source remembers where things were in a parsed file.
type source struct {
	// lines maps a key's dotted path ("session.idle_timeout"), or an array element's
	// ("allowed_hosts[1]"), to the line where it first appears.
	lines map[string]int
	// bad holds the keys whose value had the wrong type: they keep their default, and
	// Validate says nothing more about them.
	bad map[string]bool
	// newlines are the offsets of the file's line breaks.
	newlines []int
}

// line returns the line of key, falling back from an array element to its array, and to line 1
// when the key is not in the file (or there is no file).
func (s *source) line(key string) int {
	if s == nil {
		return 1
	}
	if l, ok := s.lines[key]; ok {
		return l
	}
	if base, _, ok := strings.Cut(key, "["); ok {
		if l, ok := s.lines[base]; ok {
			return l
		}
	}
	return 1
}

// isBad reports whether key, or the array it is an element of, had a value of the wrong type.
func (s *source) isBad(key string) bool {
	if s == nil {
		return false
	}
	base, _, _ := strings.Cut(key, "[")
	return s.bad[key] || s.bad[base]
}

// locate walks the document's syntax tree and records the line of every key and array element.
// The document has already been decoded without error, so the parse succeeds; should it not,
// what was recorded so far is kept and the rest falls back to line 1.
func locate(data []byte) *source {
	s := &source{lines: map[string]int{}, bad: map[string]bool{}}
	for i, b := range data {
		if b == '\n' {
			s.newlines = append(s.newlines, i)
		}
	}
	var p unstable.Parser
	p.Reset(data)
	table := ""
	arrays := map[string]int{} // [[array tables]] seen so far, by path
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table:
			table = s.key(data, "", e.Key())
		case unstable.ArrayTable: // each [[table]] is the next element: "help.organisations[1]"
			path := s.key(data, "", e.Key())
			n := arrays[path]
			arrays[path] = n + 1
			table = path + "[" + strconv.Itoa(n) + "]"
			if it := e.Key(); it.Next() {
				s.mark(table, data, it.Node().Raw)
			}
		case unstable.KeyValue:
			s.keyValue(data, table, e)
		}
	}
	return s
}

// key records the line of each part of a (dotted) key under base and returns its full path.
func (s *source) key(data []byte, base string, it unstable.Iterator) string {
	path := base
	for it.Next() {
		n := it.Node()
		path = join(path, string(n.Data))
		s.mark(path, data, n.Raw)
	}
	return path
}

func (s *source) keyValue(data []byte, base string, kv *unstable.Node) {
	path := s.key(data, base, kv.Key())
	v := kv.Value()
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			if n := it.Node(); n.Kind == unstable.KeyValue {
				s.keyValue(data, path, n)
			}
		}
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); {
			n := it.Node()
			if n.Kind == unstable.Comment {
				continue
			}
			if n.Raw.Length > 0 { // values without a range fall back to the array's line
				s.mark(path+"["+strconv.Itoa(i)+"]", data, n.Raw)
			}
			i++
		}
	}
}

// mark records that key starts at r, unless it was seen before.
func (s *source) mark(key string, data []byte, r unstable.Range) {
	if _, ok := s.lines[key]; ok || int(r.Offset) > len(data) {
		return
	}
	line, _ := slices.BinarySearch(s.newlines, int(r.Offset))
	s.lines[key] = line + 1
}

// join appends a key to a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// redefinition returns the line of the first key or table that the document defines a second
// time, or 0 if it finds none. The TOML decoder reports such errors without a position; this
// finds it again from the syntax tree, following the TOML rules: a key or [table] is defined
// once; a value (inline tables included) can't be extended by a dotted key or a [table]; a table
// made by dotted keys can't be opened again with [table]. Each [[array table]] starts afresh.
func redefinition(data []byte) int {
	var p unstable.Parser
	p.Reset(data)
	defined := map[string]bool{} // values and [tables]
	values := map[string]bool{}  // values only
	dotted := map[string]bool{}  // tables made by dotted keys
	lineOf := func(n *unstable.Node) int {
		if n == nil {
			return 1
		}
		return bytes.Count(data[:min(int(n.Raw.Offset), len(data))], []byte{'\n'}) + 1
	}
	// extendsValue reports whether path lies inside a value.
	extendsValue := func(path string) bool {
		for i := range path {
			if path[i] == '\x00' && values[path[:i]] {
				return true
			}
		}
		return false
	}
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			path, first := keyPath("", e.Key())
			if defined[path] || dotted[path] {
				return lineOf(first)
			}
			if e.Kind == unstable.ArrayTable {
				for _, m := range []map[string]bool{defined, values, dotted} {
					for k := range m {
						if strings.HasPrefix(k, path+"\x00") {
							delete(m, k)
						}
					}
				}
			}
			if extendsValue(path) {
				return lineOf(first)
			}
			if e.Kind == unstable.Table {
				defined[path] = true
			}
			table = path
		case unstable.KeyValue:
			path, first := keyPath(table, e.Key())
			if defined[path] || extendsValue(path) {
				return lineOf(first)
			}
			for i := len(table) + 1; i < len(path); i++ {
				if path[i] == '\x00' {
					dotted[path[:i]] = true
				}
			}
			defined[path], values[path] = true, true
		}
	}
	return 0
}

// keyPath joins a (dotted) key to base with NUL separators, and returns its first part.
func keyPath(base string, it unstable.Iterator) (string, *unstable.Node) {
	path := base
	var first *unstable.Node
	for it.Next() {
		n := it.Node()
		if first == nil {
			first = n
		}
		if path != "" {
			path += "\x00"
		}
		path += string(n.Data)
	}
	return path, first
}
