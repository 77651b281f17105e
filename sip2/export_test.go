package sip2

// Buffered reports whether the client still holds any byte of what it read (it should not,
// between checks).
func Buffered(c *Client) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.in == nil {
		return false
	}
	for _, b := range c.in.buf {
		if b != 0 {
			return true
		}
	}
	return false
}
