package sip2

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/carekiosk/carekiosk/config"
)

// Configure makes the Options of an [auth.sip2] table: it reads the credentials file and, with
// tls, the CA file. Its errors name the files, never their contents.
func Configure(c config.SIP2) (Options, error) {
	user, pass, err := config.ReadSIP2Credentials(c.Credentials)
	if err != nil {
		return Options{}, fmt.Errorf("auth.sip2.credentials: %w", err)
	}
	o := Options{
		Address: c.Address, User: user, Password: pass, Location: c.Location, Institution: c.Institution,
		Message: c.Message, Checksums: c.Checksums, CRLF: c.LineEnding == "crlf", Timeout: c.Timeout.D(),
	}
	if c.TLS {
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
		if c.CAFile != "" {
			pem, err := os.ReadFile(c.CAFile)
			if err != nil {
				return Options{}, fmt.Errorf("auth.sip2.ca_file: %w", err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return Options{}, errors.New("auth.sip2.ca_file: " + c.CAFile + " holds no certificate")
			}
			o.TLS.RootCAs = pool
		}
	}
	return o, nil
}
