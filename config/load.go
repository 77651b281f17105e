package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

// maxFileSize bounds what Load reads: a config file is a few hundred bytes, so anything near
// this is the wrong file.
const maxFileSize = 256 << 10

// Load reads the config file at path and parses it with Parse. If the file cannot be read the
// error is a Problems of one problem on line 1 that wraps the operating system's error: a
// missing file satisfies errors.Is(err, fs.ErrNotExist) (carekiosk run then runs the embedded
// demo). Any other error is the Problems that Parse found.
func Load(path string) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		reason := err.Error()
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			reason = pe.Err.Error()
		}
		return nil, Problems{{File: path, Line: 1, Msg: "cannot read the config file: " + reason, err: err}}
	}
	return Parse(path, data)
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("it is larger than %d KiB: is it the right file?", maxFileSize>>10)
	}
	return data, nil
}

// Parse reads a config file's contents on top of Default and validates the result. name is
// the file's name in problems ("name:LINE: ..."), and relative trusted_certificates paths
// resolve against filepath.Dir(name) and are stored absolute. On any problem Parse returns a
// nil Config and Problems holding every problem it found: TOML syntax (only the first, since
// parsing stops there), unknown keys, values of the wrong type, and whatever Validate reports.
func Parse(name string, data []byte) (*Config, error) {
	ps := &problems{file: name}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // some Windows editors begin files with a BOM
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		line, msg := 1, strings.TrimPrefix(err.Error(), "toml: ")
		// "invalid character at start of key: \n": quote a character that would not show.
		if r, size := utf8.DecodeLastRuneInString(msg); strings.HasSuffix(msg[:len(msg)-size], ": ") && (r == ' ' || !unicode.IsGraphic(r)) {
			msg = msg[:len(msg)-size] + strconv.QuoteRune(r)
		}
		if de := (*toml.DecodeError)(nil); errors.As(err, &de) {
			line, _ = de.Position()
		} else if l := redefinition(data); l > 0 {
			line = l // "key x is already defined" comes without a position
		}
		ps.add(line, "not valid TOML: "+msg)
		return nil, ps.err()
	}

	c := Default()
	c.src = locate(data)
	d := decoder{ps: ps, src: c.src}
	d.table("", doc, &c)
	c.normalize(filepath.Dir(name))
	if err := c.Validate(name); err != nil {
		ps.list = append(ps.list, err.(Problems)...)
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return &c, nil
}

// normalize lowercases the allowed hosts and makes trusted certificate paths absolute,
// resolving relative ones against dir.
func (c *Config) normalize(dir string) {
	for i, h := range c.AllowedHosts {
		c.AllowedHosts[i] = strings.ToLower(h)
	}
	for i, p := range c.TrustedCertificates {
		if p == "" {
			continue
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		c.TrustedCertificates[i] = p
	}
	c.Auth.Allowlist = resolve(dir, c.Auth.Allowlist)
	c.Auth.SIP2.CAFile = resolve(dir, c.Auth.SIP2.CAFile)
	c.Auth.SIP2.Credentials = resolve(dir, c.Auth.SIP2.Credentials)
}
