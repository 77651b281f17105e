// Package canary is the wipe's proof for tests and the soak: unique values a record portal plants
// in a browser (a cookie, localStorage, IndexedDB), and a search of the disk for any of them after
// a session. It is shared by the e2e tests and the bench.
package canary

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"
)

// Set is one session's canaries.
type Set struct{ Cookie, Local, IDB string }

// New returns fresh, unique canaries.
func New() Set {
	return Set{Cookie: unique("ckcookie"), Local: unique("cklocal"), IDB: unique("ckidb")}
}

// All lists the values.
func (s Set) All() []string { return []string{s.Cookie, s.Local, s.IDB} }

func unique(prefix string) string {
	b := make([]byte, 8)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Plant answers a request with a page that plants s: the cookie on the response, localStorage
// and IndexedDB from its script, which then POSTs to /planted once IndexedDB has committed.
// extra is HTML added to the page's body (before its script).
func Plant(w http.ResponseWriter, s Set, extra string) {
	http.SetCookie(w, &http.Cookie{Name: "canary", Value: s.Cookie, MaxAge: 3600, Secure: true, Path: "/"})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page := strings.NewReplacer("LOCAL", s.Local, "IDB", s.IDB, "EXTRA", extra).Replace(plantPage)
	w.Write([]byte(page))
}

const plantPage = `<!doctype html><html><head><title>Portal</title></head><body>
<h1>Test record portal</h1>
EXTRA
<script>
localStorage.setItem("canary", "LOCAL");
const open = indexedDB.open("canarydb", 1);
open.onupgradeneeded = () => open.result.createObjectStore("s");
open.onsuccess = () => {
  const tx = open.result.transaction("s", "readwrite");
  tx.objectStore("s").put("IDB", "k");
  tx.oncomplete = () => fetch("/planted", {method: "POST"});
};
</script></body></html>`

// Find lists the regular files under dir holding any of values, as UTF-8 or UTF-16LE (WebKit
// keeps storage strings as UTF-16), each as "PATH: VALUE".
func Find(dir string, values []string) []string { return FindSince(dir, values, time.Time{}) }

// Shared are the machine's shared temporary directories, where a browser that escaped its
// session directory would write: searched with FindSince, as they hold much else.
var Shared = []string{"/tmp", "/var/tmp", "/dev/shm"}

// FindSince is Find for the files under dir written at or after since (the zero time: all).
// Canaries are unique to a test run, so only a file written since it began can hold one: this
// makes a search of a big shared directory (/tmp, /var/tmp) quick. Files over 256 MiB (build
// roots, images) are not read.
func FindSince(dir string, values []string, since time.Time) []string {
	var found []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if !since.IsZero() {
			info, err := d.Info()
			if err != nil || info.ModTime().Before(since) || info.Size() > 256<<20 {
				return nil
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for _, v := range values {
			if bytes.Contains(b, []byte(v)) || bytes.Contains(b, utf16le(v)) {
				found = append(found, path+": "+v)
			}
		}
		return nil
	})
	return found
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
