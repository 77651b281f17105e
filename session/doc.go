// Package session is the life of a kiosk session: the state machine (pure, its clock injected)
// and the manager that starts a browser shell per session, applies the timeouts, and ends each
// session by logging out, killing the shell's process group, deleting its directory and verifying
// that nothing is left — or taking the kiosk out of service when it can't prove that.
package session
