//go:build !cgo

package doctor

import "errors"

// Dlopen cannot load libraries in a binary built without cgo, which cannot run the browser
// either.
func Dlopen(name string) error { return errors.New("this carekiosk was built without cgo") }
