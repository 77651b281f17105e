package config

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// decoder copies a decoded TOML document into a Config, field by field, following the toml
// tags of the Go types: the struct definitions are the schema. It reports every unknown key and
// every value of the wrong type, each on its own line, and goes on.
type decoder struct {
	ps  *problems
	src *source
}

var durationType = reflect.TypeFor[Duration]()

// table decodes the TOML table m at path (dotted, "" for the top level) into the struct that
// dst points to.
func (d *decoder) table(path string, m map[string]any, dst any) {
	rv := reflect.ValueOf(dst).Elem()
	fields := fieldsOf(rv.Type())
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(d.src.line(join(path, a)), d.src.line(join(path, b))), cmp.Compare(a, b))
	})
	for _, k := range keys {
		i := slices.IndexFunc(fields, func(f field) bool { return f.key == k })
		if i < 0 {
			d.unknown(path, k, m[k])
			continue
		}
		d.value(join(path, k), m[k], rv.Field(fields[i].index))
	}
}

// value decodes one TOML value into the field dst, or reports why it can't.
func (d *decoder) value(key string, v any, dst reflect.Value) {
	if dst.Type() == durationType {
		s, ok := v.(string)
		dur, err := time.ParseDuration(s)
		switch {
		case !ok:
			d.bad(key, "%s: %s is not a duration (write it in quotes, like \"2m\" or \"90s\")", key, describe(v))
		case err != nil:
			d.bad(key, "%s: %s is not a duration (write it like \"2m\" or \"90s\")", key, describe(v))
		default:
			dst.SetInt(int64(dur))
		}
		return
	}
	switch dst.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			d.bad(key, "%s: must be a table, begun by a line [%s], not %s", key, key, describe(v))
			return
		}
		d.table(key, m, dst.Addr().Interface())
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			d.bad(key, "%s: must be a string in quotes, not %s", key, describe(v))
			return
		}
		dst.SetString(s)
	case reflect.Int:
		n, ok := v.(int64)
		if !ok {
			d.bad(key, "%s: must be a whole number without quotes, like 9600, not %s", key, describe(v))
			return
		}
		if dst.OverflowInt(n) {
			d.bad(key, "%s: %d is far too large", key, n)
			return
		}
		dst.SetInt(n)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			d.bad(key, "%s: must be true or false, without quotes, not %s", key, describe(v))
			return
		}
		dst.SetBool(b)
	case reflect.Slice:
		if dst.Type().Elem().Kind() == reflect.Struct {
			d.tables(key, v, dst)
			return
		}
		list, ok := v.([]any) // of strings
		if !ok {
			d.bad(key, "%s: must be a list of strings, like [\"a\", \"b\"], not %s", key, describe(v))
			return
		}
		strs := make([]string, 0, len(list))
		for i, e := range list {
			s, ok := e.(string)
			if !ok {
				d.src.bad[key] = true
				d.ps.add(d.src.line(fmt.Sprintf("%s[%d]", key, i)),
					fmt.Sprintf("%s: item %d must be a string in quotes, not %s", key, i+1, describe(e)))
				continue
			}
			strs = append(strs, s)
		}
		if !d.src.isBad(key) {
			dst.Set(reflect.ValueOf(strs))
		}
	default:
		panic(fmt.Sprintf("config: field %s has a type the decoder does not know: %s", key, dst.Type()))
	}
}

// tables decodes an array of tables ([[key]] … or key = [{…}, …]) into the slice dst.
func (d *decoder) tables(key string, v any, dst reflect.Value) {
	var list []map[string]any
	switch v := v.(type) {
	case []map[string]any:
		list = v
	case []any:
		for _, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				d.bad(key, "%s: must be tables, each begun by a line [[%s]], not %s", key, key, describe(e))
				return
			}
			list = append(list, m)
		}
	default:
		d.bad(key, "%s: must be tables, each begun by a line [[%s]], not %s", key, key, describe(v))
		return
	}
	out := reflect.MakeSlice(dst.Type(), len(list), len(list))
	for i, m := range list {
		d.table(fmt.Sprintf("%s[%d]", key, i), m, out.Index(i).Addr().Interface())
	}
	dst.Set(out)
}

// bad reports a value of the wrong type at key and marks key so Validate skips it.
func (d *decoder) bad(key, format string, args ...any) {
	d.src.bad[key] = true
	d.ps.add(d.src.line(key), fmt.Sprintf(format, args...))
}

// unknown reports key k of the table at path, with a hint: a near spelling, the table where
// k belongs, or else the keys the table has.
func (d *decoder) unknown(path, k string, v any) {
	key := join(path, k)
	_, isTable := v.(map[string]any)
	var msg string
	switch {
	case path == "" && isTable:
		msg = fmt.Sprintf("unknown table [%s]", bareOrQuoted(k))
	case path == "":
		msg = fmt.Sprintf("unknown key %q", k)
	case strings.Contains(path, "["):
		msg = fmt.Sprintf("unknown key %q in [[%s]]", k, arrayIndex.ReplaceAllString(path, ""))
	default:
		msg = fmt.Sprintf("unknown key %q in [%s]", k, path)
	}
	d.ps.add(d.src.line(key), msg+hint(path, k))
}

// hint returns " (did you mean ...?)" for an unknown key k in the table at path.
func hint(path, k string) string {
	fields := fieldsOf(tableType(path))
	best, bestDist := "", 3 // suggest within edit distance 2
	for _, f := range fields {
		if dist := editDistance(strings.ToLower(k), f.key); dist < bestDist {
			best, bestDist = f.key, dist
		}
	}
	if best != "" {
		if path == "" && fields[slices.IndexFunc(fields, func(f field) bool { return f.key == best })].table {
			return fmt.Sprintf(" (did you mean [%s]?)", best)
		}
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	tables := []string{""}
	for _, f := range fieldsOf(tableType("")) {
		if f.table {
			tables = append(tables, f.key)
		}
	}
	for _, other := range tables {
		if other == path {
			continue
		}
		if slices.ContainsFunc(fieldsOf(tableType(other)), func(f field) bool { return f.key == k && !f.table }) {
			if other == "" {
				return " (it belongs at the top of the file, before the first [table])"
			}
			return fmt.Sprintf(" (it belongs in [%s])", other)
		}
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.key
		if f.table {
			names[i] = "[" + f.key + "]"
		}
	}
	if path == "" {
		return "; the top level has: " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("; [%s] has: %s", path, strings.Join(names, ", "))
}

// bareOrQuoted writes key as TOML does: bare if it can be, else quoted.
func bareOrQuoted(key string) string {
	bare := key != "" && strings.Trim(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == ""
	if bare {
		return key
	}
	return strconv.Quote(key)
}

// tableType returns the Go type of the table at path ("session", "help.organisations[2]"); nil
// for a table the schema lacks.
func tableType(path string) reflect.Type {
	t := reflect.TypeFor[Config]()
	if path == "" {
		return t
	}
	for part := range strings.SplitSeq(path, ".") {
		name, _, _ := strings.Cut(part, "[")
		i := slices.IndexFunc(fieldsOf(t), func(f field) bool { return f.key == name })
		if i < 0 {
			return nil
		}
		t = t.Field(fieldsOf(t)[i].index).Type
		if t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == durationType {
			return nil
		}
	}
	return t
}

// field is one key of a table in the schema.
type field struct {
	key   string
	index int
	table bool
}

// fieldsOf returns the keys of struct type t in declaration order.
func fieldsOf(t reflect.Type) []field {
	if t == nil {
		return nil
	}
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		if key := f.Tag.Get("toml"); key != "" {
			fs = append(fs, field{key: key, index: i, table: f.Type.Kind() == reflect.Struct && f.Type != durationType})
		}
	}
	return fs
}

// describe names a decoded TOML value for a message: strings quoted (and cut short), numbers
// as "the number 5", containers by kind.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		if utf8.RuneCountInString(v) > 60 {
			v = string([]rune(v)[:60]) + "…"
		}
		return strconv.Quote(v)
	case int64:
		return "the number " + strconv.FormatInt(v, 10)
	case float64:
		return "the number " + strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	default:
		return "a date or time"
	}
}

// editDistance is the Levenshtein distance between a and b, in bytes (keys are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
