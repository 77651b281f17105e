package hardware

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

const (
	keyFile = "card.key" // in the state directory
	keySize = 32
)

// Identity is a card's identity: the hex HMAC-SHA256 of the card number under the unit's secret.
// It is stable for one card on one unit (while card.key lives) and says nothing about the number.
// The raw number never leaves this package.
type Identity string

// Short returns the first 8 hex characters of id, for technicians' displays; an id shorter than
// that is returned whole.
func (id Identity) Short() string {
	if len(id) < 8 {
		return string(id)
	}
	return string(id[:8])
}

// Keyer turns card numbers into Identities under one secret. It is safe for concurrent use.
type Keyer struct {
	secret []byte
}

// NewKeyer returns a Keyer for secret, which it copies; it is for tests and development (a real
// unit uses LoadKeyer). The secret should be 32 random bytes.
func NewKeyer(secret []byte) *Keyer {
	return &Keyer{secret: bytes.Clone(secret)}
}

// LoadKeyer returns the Keyer of the unit whose state directory is stateDir, from the 32-byte
// secret in stateDir/card.key. On first start, when that file does not exist, it creates it
// with fresh random bytes, mode 0600 (and stateDir, mode 0700, if that is missing too), written
// atomically: a temp file, synced, then linked into place, so that a crash leaves no short key and
// two processes starting together agree on one key. It refuses a card.key that is not a regular
// file, is open to group or others (any of mode 0077), or is not exactly 32 bytes.
func LoadKeyer(stateDir string) (*Keyer, error) {
	path := filepath.Join(stateDir, keyFile)
	secret, err := readKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		secret, err = createKey(stateDir, path)
	}
	if err != nil {
		return nil, err
	}
	k := NewKeyer(secret)
	clear(secret)
	return k, nil
}

func readKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading card key: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("reading card key: %w", err)
	}
	switch {
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("card key %s is not a regular file (mode %v)", path, fi.Mode())
	case fi.Mode().Perm()&0o077 != 0:
		return nil, fmt.Errorf("card key %s has mode %#o: group and others must have no access (chmod 600 %s)",
			path, fi.Mode().Perm(), path)
	case fi.Size() != keySize:
		return nil, fmt.Errorf("card key %s is %d bytes, want %d", path, fi.Size(), keySize)
	}
	secret := make([]byte, keySize)
	if _, err := io.ReadFull(f, secret); err != nil {
		return nil, fmt.Errorf("reading card key %s: %w", path, err)
	}
	return secret, nil
}

// createKey writes a new key to path. If another process created path meanwhile, its key wins.
func createKey(dir, path string) (secret []byte, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating card key: %w", err)
	}
	secret = make([]byte, keySize)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("creating card key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+keyFile+"-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("creating card key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(secret)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path) // unlike rename, never replaces a key already in use
	}
	if errors.Is(err, fs.ErrExist) {
		clear(secret)
		return readKey(path)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		clear(secret)
		return nil, fmt.Errorf("creating card key %s: %w", path, err)
	}
	return secret, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// identify returns the Identity of a card number. The caller zeroes number afterwards.
func (k *Keyer) identify(number []byte) Identity {
	mac := hmac.New(sha256.New, k.secret)
	mac.Write(number)
	var sum [sha256.Size]byte
	return Identity(hex.EncodeToString(mac.Sum(sum[:0])))
}

// Unit returns the unit's identity: 16 hex digits derived from its secret (an HMAC of a fixed
// label, so it says nothing about the secret or any card). It is stable while card.key lives,
// and is what the technician screen shows and encodes as a QR code, to tell units apart.
func (k *Keyer) Unit() string {
	return string(k.identify([]byte("carekiosk unit identity"))[:16])
}
