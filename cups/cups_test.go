package cups

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
)

// ippResponse builds a Get-Jobs answer as cupsd sends it: status, operation group, one job
// group per id (job-id plus an attribute the purge ignores).
func ippResponse(status uint16, ids ...int) []byte {
	c := &ipp{}
	r := c.request(0)
	b := r.b.Bytes()
	binary.BigEndian.PutUint16(b[2:4], status)
	for _, id := range ids {
		r.b.WriteByte(tagJob)
		v := make([]byte, 4)
		binary.BigEndian.PutUint32(v, uint32(id))
		r.attr(tagInteger, "job-id", v)
		r.attr(tagName, "job-originating-user-name", []byte("carekiosk"))
	}
	r.b.WriteByte(tagEnd)
	return r.b.Bytes()
}

func TestParseIPP(t *testing.T) {
	for _, tc := range []struct {
		name   string
		b      []byte
		status uint16
		ids    []int
		bad    bool
	}{
		{name: "no jobs", b: ippResponse(0), status: 0},
		{name: "jobs", b: ippResponse(0, 7, 12), ids: []int{7, 12}},
		{name: "not found", b: ippResponse(statusNotFound), status: statusNotFound},
		{name: "truncated", b: ippResponse(0, 7)[:20], bad: true},
		{name: "no end tag", b: bytes.TrimSuffix(ippResponse(0, 7), []byte{tagEnd}), bad: true},
		{name: "too short", b: []byte{2, 0, 0}, bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, ids, err := parseIPP(tc.b)
			if tc.bad {
				if err == nil {
					t.Fatalf("parseIPP = %v, %v, want an error", status, ids)
				}
				return
			}
			if err != nil || status != tc.status || !slices.Equal(ids, tc.ids) {
				t.Errorf("parseIPP = 0x%04x, %v, %v; want 0x%04x, %v", status, ids, err, tc.status, tc.ids)
			}
		})
	}
}

// FuzzParseIPP: whatever cupsd (or something on its socket) answers, the parser returns or
// errs, never panics.
func FuzzParseIPP(f *testing.F) {
	f.Add(ippResponse(0, 1, 2, 3))
	f.Add(ippResponse(statusNotFound))
	f.Fuzz(func(t *testing.T, b []byte) { parseIPP(b) })
}

// TestServer: the socket a purge talks to follows the server the shells print to, and a server
// that is not a local socket fails the purge rather than leave its jobs behind.
func TestServer(t *testing.T) {
	for _, tc := range []struct {
		name string
		jobs Jobs
		want string
	}{
		{"the system's", Jobs{}, DefaultCUPSSocket},
		{"a socket", Jobs{Server: "/run/test/cups.sock"}, "/run/test/cups.sock"},
		{"a host", Jobs{Server: "print.example.org"}, DefaultCUPSSocket},
		{"Socket first", Jobs{Socket: "/tmp/c.sock", Server: "/run/test/cups.sock"}, "/tmp/c.sock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.jobs.socket(); got != tc.want {
				t.Errorf("socket() = %q, want %q", got, tc.want)
			}
		})
	}
	err := Jobs{Server: "print.example.org", User: "carekiosk"}.Purge(context.Background())
	if err == nil || !strings.Contains(err.Error(), "not a local socket") {
		t.Errorf("Purge with CUPS_SERVER a host: err = %v, want \"… not a local socket …\"", err)
	}
}
