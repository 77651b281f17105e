package doctor

import (
	"fmt"
	"os"
	"path/filepath"
)

// keyFile and keySize are the per-unit secret of hardware/identity.go.
const (
	keyFile = "card.key"
	keySize = 32
)

// checkSecret checks the per-unit secret that card identities are keyed with: state_dir/card.key,
// a regular file of 32 bytes, mode 0600.
func checkSecret(e *Env, st *state) Result {
	path := filepath.Join(st.cfg.StateDir, keyFile)
	r := Result{Check: "secret"}
	fi, err := os.Lstat(path)
	switch {
	case os.IsNotExist(err):
		r.Level, r.Msg = Fail, path+" does not exist"
		r.Fix = "start the kiosk once (systemctl start carekiosk): it makes the secret on first start"
	case err != nil:
		r.Level, r.Msg, r.Fix = Fail, err.Error(), "check state_dir and its permissions"
	case !fi.Mode().IsRegular():
		r.Level, r.Msg, r.Fix = Fail, fmt.Sprintf("%s is not a regular file (%v)", path, fi.Mode()), "remove it; the kiosk makes a new one (card identities change)"
	case fi.Mode().Perm() != 0o600:
		r.Level, r.Msg, r.Fix = Fail, fmt.Sprintf("%s has mode %#o, want 0600", path, fi.Mode().Perm()), "chmod 600 "+path
	case fi.Size() != keySize:
		r.Level, r.Msg, r.Fix = Fail, fmt.Sprintf("%s is %d bytes, want %d", path, fi.Size(), keySize), "remove it; the kiosk makes a new one (card identities change)"
	default:
		r.Level, r.Msg = OK, path+" is present, mode 0600"
	}
	return r
}
