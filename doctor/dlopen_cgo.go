//go:build cgo

package doctor

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>

static const char *ck_dlopen(const char *name) {
	void *h = dlopen(name, RTLD_LAZY | RTLD_LOCAL);
	if (!h) return dlerror();
	return 0; // no dlclose: see Dlopen
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

// Dlopen opens name with the dynamic loader, as the browser would, and leaves it loaded: loading
// WebKitGTK starts threads of its own, which fault once dlclose has unmapped their code (the
// doctor crashed that way in most runs).
func Dlopen(name string) error {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if msg := C.ck_dlopen(cs); msg != nil {
		return errors.New(C.GoString(msg))
	}
	return nil
}
