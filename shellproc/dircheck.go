package shellproc

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// CheckDir checks that a browser can start in session_dir: it exists, is writable (a read-only
// mount stops even root) and has at least minFree bytes free. Its error says which, for the
// out-of-service reason.
func CheckDir(dir string, minFree uint64) error {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return fmt.Errorf("session_dir %s: %w", dir, err)
	}
	if free := st.Bavail * uint64(st.Bsize); free < minFree {
		return fmt.Errorf("session_dir %s is full: %d KiB free, a session needs %d KiB", dir, free>>10, minFree>>10)
	}
	probe := filepath.Join(dir, ".carekiosk-probe")
	f, err := os.OpenFile(probe, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err == nil {
		_, err = f.Write(make([]byte, 4096))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		os.Remove(probe)
	}
	if err != nil {
		return fmt.Errorf("session_dir %s is not writable: %w", dir, err)
	}
	return nil
}
