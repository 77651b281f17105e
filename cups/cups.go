// Package cups purges the kiosk user's print jobs from CUPS: what a session printed, cancelled
// and its spooled document removed, then proven gone. It speaks the little of IPP it needs to
// cupsd over its Unix socket.
package cups

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/user"
	"strings"
	"time"
)

// DefaultCUPSSocket is where Debian's cupsd listens.
const DefaultCUPSSocket = "/run/cups/cups.sock"

// Jobs purges the kiosk user's jobs from CUPS, speaking IPP to cupsd over its Unix socket
// as that user (CUPS authenticates it by the socket's peer credentials).
//
// It does not run `cancel -a -x`: under Debian's default CUPS policy a user who is not a CUPS
// administrator may not cancel all their jobs at once (Purge-Jobs and Cancel-My-Jobs answer
// "Forbidden"), and `cancel -x JOB` only cancels: the job's document stays in the spool for
// PreserveJobFiles (a day by default). Cancel-Job with purge-job, one job at a time, is
// allowed to a job's owner and removes its files at once.
type Jobs struct {
	Socket  string        // cupsd's socket; "": Server when it is a path, else DefaultCUPSSocket
	Server  string        // the CUPS server the shells print to ($CUPS_SERVER): a socket path, a host, or "" for the system's
	User    string        // the jobs' owner; "": this process's user
	Timeout time.Duration // bounds the whole purge and its check; 0: 10s
}

// Purge cancels every print job of the kiosk's user, removes their spooled data, and then
// proves that none is left (supervisor.Purger).
func (p Jobs) Purge(ctx context.Context) error {
	if p.Timeout == 0 {
		p.Timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	if p.User == "" {
		u, err := user.Current()
		if err != nil {
			return fmt.Errorf("who owns the print jobs: %w", err)
		}
		p.User = u.Username
	}
	if p.Socket == "" && p.Server != "" && !strings.HasPrefix(p.Server, "/") {
		// The shells would print to a server whose jobs this purge can't reach: fail closed.
		return fmt.Errorf("CUPS_SERVER=%s is not a local socket: the print jobs can't be purged", p.Server)
	}
	c := p.client()
	jobs, err := c.jobs(ctx)
	if err != nil {
		return fmt.Errorf("listing print jobs: %w", err)
	}
	for _, id := range jobs {
		if err := c.purge(ctx, id); err != nil {
			return fmt.Errorf("purging print job %d: %w", id, err)
		}
	}
	left, err := c.jobs(ctx)
	if err != nil {
		return fmt.Errorf("checking the print jobs are gone: %w", err)
	}
	if len(left) > 0 {
		return fmt.Errorf("print jobs %v still in CUPS after the purge", left)
	}
	return nil
}

// socket returns the cupsd socket p talks to.
func (p Jobs) socket() string {
	if p.Socket != "" {
		return p.Socket
	}
	if strings.HasPrefix(p.Server, "/") {
		return p.Server
	}
	return DefaultCUPSSocket
}

func (p Jobs) client() *ipp {
	sock := p.socket()
	return &ipp{user: p.User, http: &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
		DisableKeepAlives: true,
	}}}
}

// ipp is the little of IPP/1.1 (RFC 8010, 8011) and CUPS's extensions the purge needs.
type ipp struct {
	user string
	http *http.Client
	id   uint32
}

const (
	opCancelJob = 0x0008
	opGetJobs   = 0x000a

	tagOperation = 0x01
	tagJob       = 0x02
	tagEnd       = 0x03
	tagInteger   = 0x21
	tagBoolean   = 0x22
	tagKeyword   = 0x44
	tagURI       = 0x45
	tagCharset   = 0x47
	tagLanguage  = 0x48
	tagName      = 0x42

	statusNotFound = 0x0406
)

// jobs lists the ids of the user's jobs in every state, finished ones included: CUPS keeps a
// finished job's document for PreserveJobFiles.
func (c *ipp) jobs(ctx context.Context) ([]int, error) {
	r := c.request(opGetJobs)
	r.attr(tagURI, "printer-uri", []byte("ipp://localhost/"))
	r.attr(tagName, "requesting-user-name", []byte(c.user))
	r.attr(tagBoolean, "my-jobs", []byte{1})
	r.attr(tagKeyword, "which-jobs", []byte("all"))
	r.attr(tagKeyword, "requested-attributes", []byte("job-id"))
	status, ids, err := c.do(ctx, "/", r)
	if err != nil {
		return nil, err
	}
	if status >= 0x0100 && status != statusNotFound { // not-found: no jobs at all
		return nil, fmt.Errorf("Get-Jobs: IPP status 0x%04x", status)
	}
	return ids, nil
}

// purge cancels job id and removes its files, whatever state it is in.
func (c *ipp) purge(ctx context.Context, id int) error {
	r := c.request(opCancelJob)
	r.attr(tagURI, "job-uri", []byte(fmt.Sprintf("ipp://localhost/jobs/%d", id)))
	r.attr(tagName, "requesting-user-name", []byte(c.user))
	r.attr(tagBoolean, "purge-job", []byte{1})
	status, _, err := c.do(ctx, "/jobs/", r)
	if err != nil {
		return err
	}
	if status >= 0x0100 && status != statusNotFound {
		return fmt.Errorf("Cancel-Job: IPP status 0x%04x", status)
	}
	return nil
}

type ippRequest struct{ b bytes.Buffer }

func (c *ipp) request(op uint16) *ippRequest {
	c.id++
	r := &ippRequest{}
	r.b.Write([]byte{2, 0})
	binary.Write(&r.b, binary.BigEndian, op)
	binary.Write(&r.b, binary.BigEndian, c.id)
	r.b.WriteByte(tagOperation)
	r.attr(tagCharset, "attributes-charset", []byte("utf-8"))
	r.attr(tagLanguage, "attributes-natural-language", []byte("en"))
	return r
}

func (r *ippRequest) attr(tag byte, name string, value []byte) {
	r.b.WriteByte(tag)
	binary.Write(&r.b, binary.BigEndian, uint16(len(name)))
	r.b.WriteString(name)
	binary.Write(&r.b, binary.BigEndian, uint16(len(value)))
	r.b.Write(value)
}

// do sends r to path and returns the IPP status and the job-id values of the answer.
func (c *ipp) do(ctx context.Context, path string, r *ippRequest) (uint16, []int, error) {
	r.b.WriteByte(tagEnd)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://localhost"+path, bytes.NewReader(r.b.Bytes()))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/ipp")
	req.Header.Set("Authorization", "PeerCred "+c.user)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, nil, fmt.Errorf("cupsd answered HTTP %s", resp.Status)
	}
	return parseIPP(body)
}

// parseIPP reads an IPP response: its status and every job-id in its job groups.
func parseIPP(b []byte) (uint16, []int, error) {
	bad := errors.New("malformed IPP response")
	if len(b) < 9 {
		return 0, nil, bad
	}
	status := binary.BigEndian.Uint16(b[2:4])
	var ids []int
	group := byte(0)
	for i := 8; i < len(b); {
		tag := b[i]
		i++
		if tag == tagEnd {
			return status, ids, nil
		}
		if tag < 0x10 { // a new attribute group
			group = tag
			continue
		}
		if i+2 > len(b) {
			return 0, nil, bad
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		i += 2
		if i+n+2 > len(b) {
			return 0, nil, bad
		}
		name := string(b[i : i+n])
		i += n
		v := int(binary.BigEndian.Uint16(b[i:]))
		i += 2
		if i+v > len(b) {
			return 0, nil, bad
		}
		if group == tagJob && tag == tagInteger && name == "job-id" && v == 4 {
			ids = append(ids, int(int32(binary.BigEndian.Uint32(b[i:]))))
		}
		i += v
	}
	return 0, nil, bad
}
