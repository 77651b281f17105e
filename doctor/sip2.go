package doctor

import (
	"context"
	"crypto/tls"
	"errors"
	"os"

	"github.com/carekiosk/carekiosk/config"
	"github.com/carekiosk/carekiosk/sip2"
)

// checkSIP2 logs in to the library's SIP2 server (auth mode sip2 only): the connection, TLS and
// its CA, the unit's login, and the server's status. It sends no card, and prints nothing the
// server said.
func checkSIP2(e *Env, st *state) Result {
	a := st.cfg.Auth
	if a.Mode != config.AuthSIP2 {
		return Result{}
	}
	r := Result{Check: "sip2"}
	o, err := sip2.Configure(a.SIP2)
	if err != nil {
		r.Level, r.Msg, r.Fix = Fail, err.Error(), "fix [auth.sip2] (carekiosk check-config lists every problem)"
		return r
	}
	c := sip2.New(o)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*o.Timeout)
	defer cancel()
	err = c.Probe(ctx)
	var cert *tls.CertificateVerificationError
	switch {
	case err == nil:
		how := "TCP"
		if o.TLS != nil {
			how = "TLS"
		}
		r.Level, r.Msg = OK, "logged in to "+a.SIP2.Address+" over "+how+"; the server is on line"
		return r
	case errors.Is(err, sip2.ErrLoginRefused):
		r.Fix = "check the user and password in " + a.SIP2.Credentials + " with the library"
	case errors.Is(err, sip2.ErrOffline):
		r.Fix = "the library's SIP2 service says it is off line: ask the library"
	case errors.As(err, &cert):
		r.Fix = "set ca_file to the CA that signed the server's certificate, and check that address names the host in it"
	case errors.Is(err, sip2.ErrChecksum) || errors.Is(err, sip2.ErrNoChecksum):
		r.Fix = "if the server sends no checksums, set checksums = false in [auth.sip2]"
	case errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		r.Fix = "the server did not answer in time: check address, the firewall, and tls (a TLS port spoken to in plain TCP stays silent)"
	case errors.Is(err, sip2.ErrGarbled):
		r.Fix = "check that address is the SIP2 port, and tls"
	default:
		r.Fix = "check address, and that this kiosk may reach the server (firewall, the library's allowed addresses)"
	}
	r.Level, r.Msg = Fail, err.Error()
	return r
}
