package demo

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"
)

// Session lifetimes: an ordinary sign-in lasts while it is used; "Remember me" keeps it, and its
// cookie, for a month, as a real portal would. The kiosk unticks and disables that box.
const (
	idleLifetime     = 30 * time.Minute
	rememberLifetime = 30 * 24 * time.Hour
)

// session is one signed-in browser, known by the random value of its cookie.
type session struct {
	user     string
	lifetime time.Duration
	expires  time.Time
}

// sessions is the server-side session table. Its clock is injected so tests can age sessions.
type sessions struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]*session
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, m: make(map[string]*session)}
}

// add starts a session for user and returns its cookie value: 32 random bytes, base64url.
func (s *sessions) add(user string, lifetime time.Duration) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune()
	s.m[id] = &session{user: user, lifetime: lifetime, expires: s.now().Add(lifetime)}
	return id, nil
}

// get returns the user of a live session and extends it; ok is false for an unknown or expired id.
func (s *sessions) get(id string) (user string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[id]
	if !ok {
		return "", false
	}
	now := s.now()
	if !now.Before(ss.expires) {
		delete(s.m, id)
		return "", false
	}
	ss.expires = now.Add(ss.lifetime)
	return ss.user, true
}

// remove ends a session; an unknown id is no error.
func (s *sessions) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

// count returns the number of live sessions, dropping expired ones first.
func (s *sessions) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prune()
	return len(s.m)
}

// prune drops expired sessions; s.mu must be held.
func (s *sessions) prune() {
	now := s.now()
	for id, ss := range s.m {
		if !now.Before(ss.expires) {
			delete(s.m, id)
		}
	}
}
