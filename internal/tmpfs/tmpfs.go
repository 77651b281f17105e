// Package tmpfs makes the directories of a kiosk that the tests or the bench run: on a tmpfs,
// as a unit keeps its own (/run/carekiosk). WebKit's sandbox can't take a session directory
// under /var/tmp, where the test roots put TMPDIR: it turns /var/tmp into a link to its own /tmp,
// and every web process fails.
package tmpfs

import "os"

// Dir makes a new directory on the tmpfs /dev/shm whose name begins with prefix; the caller
// removes it.
func Dir(prefix string) (string, error) { return os.MkdirTemp("/dev/shm", prefix) }
