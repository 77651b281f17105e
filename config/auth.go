package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Auth is the [auth] table: which cards may start a session, and which open the technician
// screen. Cards are named by their identity: the hex HMAC-SHA256 of the card number under the
// unit's secret, as `carekiosk card-hash` prints it (64 hex digits) — never the number.
type Auth struct {
	// Mode is "any" (any well-formed card starts a session; the default), "allowlist" (only
	// the cards listed in Allowlist) or "sip2" (the library's SIP2 server checks each card: see
	// SIP2).
	Mode string `toml:"mode"`
	// Allowlist is a file of card identities, one per line; "#" begins a comment, blank lines
	// are ignored. Required with mode = "allowlist". Parse resolves a relative path against the
	// config file's directory.
	Allowlist string `toml:"allowlist"`
	// TechnicianCards are card identities that open the technician screen instead of a session,
	// in either mode (and even while the reader is paused after refusals).
	TechnicianCards []string `toml:"technician_cards"`
	// MaxRefusals refused cards within RefusalWindow pause the reader for Cooldown: the welcome
	// screen asks patients to find a member of staff. Defaults 5, 1m and 2m.
	MaxRefusals   int      `toml:"max_refusals"`
	RefusalWindow Duration `toml:"refusal_window"`
	Cooldown      Duration `toml:"cooldown"`
	// SIP2 is the [auth.sip2] table, used with mode = "sip2" only (see sip2.go).
	SIP2 SIP2 `toml:"sip2"`
}

// Auth modes.
const (
	AuthAny       = "any"
	AuthAllowlist = "allowlist"
	AuthSIP2      = "sip2"
)

// DefaultAuth is the [auth] table of a file that has none: any card, 5 refusals a minute pause
// the reader for 2 minutes.
func DefaultAuth() Auth {
	return Auth{Mode: AuthAny, MaxRefusals: 5, RefusalWindow: Duration(time.Minute), Cooldown: Duration(2 * time.Minute),
		SIP2: DefaultSIP2()}
}

// maxAllowlistSize bounds an allowlist file: a million cards is about 65 MiB; a site has far fewer.
const maxAllowlistSize = 16 << 20

// ReadAllowlist reads an allowlist file: the set of card identities it lists, lowercased. On any
// problem it returns Problems, each "FILE:LINE: ..." about the allowlist file itself.
func ReadAllowlist(path string) (map[string]bool, error) {
	ps := &problems{file: path}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		ps.add(1, "does not exist: enrol cards with `carekiosk card-hash` and list their hashes here, one a line")
		return nil, ps.err()
	case err != nil:
		ps.add(1, fmt.Sprintf("cannot be read: %v", bare(err)))
		return nil, ps.err()
	case !fi.Mode().IsRegular():
		ps.add(1, "is not a regular file")
		return nil, ps.err()
	case fi.Size() > maxAllowlistSize:
		ps.add(1, fmt.Sprintf("is larger than %d MiB: is it the right file?", maxAllowlistSize>>20))
		return nil, ps.err()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		ps.add(1, fmt.Sprintf("cannot be read: %v", bare(err)))
		return nil, ps.err()
	}
	set := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxAllowlistSize)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if msg := identityProblem(line); msg != "" {
			ps.add(n, msg)
			continue
		}
		set[strings.ToLower(line)] = true
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return set, nil
}

// identityProblem says what is wrong with a card identity as written, or "". It never quotes
// the value: a mistaken entry might be a card number.
func identityProblem(s string) string {
	if len(s) != 64 {
		return fmt.Sprintf("a card hash is 64 hex digits (as `carekiosk card-hash` prints it), not %d characters", len(s))
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return "a card hash is 64 hex digits (0-9, a-f), as `carekiosk card-hash` prints it"
		}
	}
	return ""
}

// auth validates the [auth] table and reads the allowlist, whose problems carry its own file name.
func (v *validator) auth(a Auth) {
	switch a.Mode {
	case AuthAny:
	case AuthAllowlist:
		if a.Allowlist == "" {
			v.reportNear("auth.allowlist", "auth.mode", "missing: mode = \"allowlist\" needs the file of card hashes, like allowlist = \"/etc/carekiosk/cards.allow\"")
		} else if _, err := ReadAllowlist(a.Allowlist); err != nil {
			var ps Problems
			if errors.As(err, &ps) {
				v.ps.list = append(v.ps.list, ps...)
			}
		}
	case AuthSIP2:
		v.sip2(a.SIP2)
	default:
		v.report("auth.mode", "%q is not a mode; use \"any\", \"allowlist\" or \"sip2\"", a.Mode)
	}
	for i, h := range a.TechnicianCards {
		if msg := identityProblem(strings.TrimSpace(h)); msg != "" {
			v.report(fmt.Sprintf("auth.technician_cards[%d]", i), "item %d: %s", i+1, msg)
		}
	}
	if a.MaxRefusals < 1 {
		v.report("auth.max_refusals", "%d is too small: at least 1", a.MaxRefusals)
	}
	v.atLeast("auth.refusal_window", a.RefusalWindow, time.Second)
	v.atLeast("auth.cooldown", a.Cooldown, time.Second)
}

// resolve makes p absolute against dir ("" stays "").
func resolve(dir, p string) string {
	if p == "" {
		return p
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return p
}

func bare(err error) error {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
