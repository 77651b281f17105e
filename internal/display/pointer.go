package display

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// touch clicks at x, y on a screen of w×h through the compositor's virtual-pointer protocol
// (zwlr_virtual_pointer_v1), as one pointer device that moves, presses and releases; while
// (if not nil) runs with the button held down, once the compositor has the press.
//
// It speaks the Wayland wire protocol itself because the command-line tool for it, wlrctl, makes
// a new pointer device for every command: between `wlrctl pointer move` and `wlrctl pointer
// click` the seat loses its pointer and gets a new one, and GTK's click is lost while it binds
// the new one (seen under cage 0.2.0: no click reached the page). No Go library for the protocol
// is at hand; the wire format is small (wayland.freedesktop.org, "Wire Format").
func touch(socket string, x, y, w, h int, while func() error) error {
	c, err := net.Dial("unix", socket)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	wl := &wlConn{conn: c, next: 2}

	const display = 1
	registry := wl.id()
	wl.send(display, 1, registry) // wl_display.get_registry
	globals, err := wl.roundtrip(registry)
	if err != nil {
		return err
	}
	name, ok := globals["zwlr_virtual_pointer_manager_v1"]
	if !ok {
		return errors.New("the compositor has no virtual-pointer protocol (cage ≥ 0.1.5 has)")
	}
	manager, pointer := wl.id(), wl.id()
	wl.send(registry, 0, name, "zwlr_virtual_pointer_manager_v1", uint32(1), manager) // wl_registry.bind
	wl.send(manager, 0, uint32(0), pointer)                                           // create_virtual_pointer(seat: the default)
	if _, err := wl.roundtrip(0); err != nil {
		return err
	}
	// The seat has just gained a pointer: its clients bind theirs when they hear of it, and no
	// event says when they have. Events sent before then are lost.
	time.Sleep(200 * time.Millisecond)

	const btnLeft = 0x110 // linux/input-event-codes.h
	now := func() uint32 { return uint32(time.Now().UnixMilli()) }
	wl.send(pointer, 1, now(), uint32(x), uint32(y), uint32(w), uint32(h)) // motion_absolute
	wl.send(pointer, 4)                                                    // frame
	wl.send(pointer, 2, now(), uint32(btnLeft), uint32(1))                 // button: pressed
	wl.send(pointer, 4)
	if while != nil {
		if _, err := wl.roundtrip(0); err != nil {
			return err
		}
		c.SetDeadline(time.Time{})
		err := while()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if err != nil {
			return err
		}
	}
	wl.send(pointer, 2, now(), uint32(btnLeft), uint32(0)) // released
	wl.send(pointer, 4)
	if _, err := wl.roundtrip(0); err != nil {
		return err
	}
	wl.send(pointer, 8) // destroy
	_, err = wl.roundtrip(0)
	return err
}

// wlConn writes Wayland requests and reads events on one connection.
type wlConn struct {
	conn net.Conn
	next uint32
	err  error
}

func (wl *wlConn) id() uint32 { wl.next++; return wl.next - 1 }

// send writes one request: uint32 arguments and strings (ids are uint32).
func (wl *wlConn) send(object uint32, opcode uint16, args ...any) {
	var body []byte
	for _, a := range args {
		switch v := a.(type) {
		case uint32:
			body = binary.LittleEndian.AppendUint32(body, v)
		case string:
			body = binary.LittleEndian.AppendUint32(body, uint32(len(v)+1))
			body = append(body, v...)
			body = append(body, make([]byte, 4-len(v)%4)...) // the NUL, padded to 4 bytes
		}
	}
	msg := binary.LittleEndian.AppendUint32(nil, object)
	msg = binary.LittleEndian.AppendUint32(msg, uint32(8+len(body))<<16|uint32(opcode))
	if _, err := wl.conn.Write(append(msg, body...)); err != nil && wl.err == nil {
		wl.err = err
	}
}

// roundtrip waits until the compositor has handled every request so far (wl_display.sync), and
// returns the globals it announced on registry meanwhile (interface → name).
func (wl *wlConn) roundtrip(registry uint32) (map[string]uint32, error) {
	callback := wl.id()
	wl.send(1, 0, callback) // wl_display.sync
	if wl.err != nil {
		return nil, wl.err
	}
	globals := map[string]uint32{}
	for {
		var head [8]byte
		if _, err := io.ReadFull(wl.conn, head[:]); err != nil {
			return nil, err
		}
		object, op := binary.LittleEndian.Uint32(head[:]), binary.LittleEndian.Uint32(head[4:])
		body := make([]byte, op>>16-8)
		if _, err := io.ReadFull(wl.conn, body); err != nil {
			return nil, err
		}
		switch {
		case object == callback: // wl_callback.done
			return globals, nil
		case object == 1 && op&0xffff == 0: // wl_display.error: object, code, message
			return nil, fmt.Errorf("wayland error %d: %s", binary.LittleEndian.Uint32(body[4:]), body[12:])
		case object == registry && op&0xffff == 0: // wl_registry.global: name, interface, version
			n := binary.LittleEndian.Uint32(body)
			l := binary.LittleEndian.Uint32(body[4:])
			globals[string(body[8:8+l-1])] = n
		}
	}
}
