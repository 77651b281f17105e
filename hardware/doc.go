// Package hardware reads the kiosk's card reader — over a serial line, or a USB "keyboard
// wedge" that types each card as key presses — and turns each card into an Identity — an HMAC
// of its number under the unit's secret — so that no card number ever leaves this package: not
// in events, logs or errors.
//
// A Reader opens one device, decodes what it sends with one protocol — "line" (one code per
// line, for barcode scanners and generic ASCII readers, line.go), "magstripe" (ISO/IEC 7813
// magnetic stripe tracks, magstripe.go) or "em4100" (125 kHz RFID frames of RDM6300-class
// modules, em4100.go) — tells its supervisor about cards, unreadable reads, cards lifted off the
// reader (em4100 only) and the device coming and going, and reopens the device when it comes
// back.
// Each protocol is one file with a small decoder (decoder.go); the serial library is behind one
// small port layer (port.go), and only there; rates that are not termios constants (256000) are
// set with termios2 (baud_linux.go). A keyboard reader (KindKeyboard) is the same port layer's
// other implementation: an evdev input device, opened and grabbed with go-evdev (evdev.go) so
// that no key of it reaches the compositor or a page, whose key presses keyport.go turns into
// the characters they type on a US layout (keys.go) for the same decoders ("line",
// "magstripe"). Reader.Monitor (monitor.go) is the technician's live view of a reader.
// KeyboardAttached (keyboard.go) tells whether a keyboard other than the reader is plugged in. A Sensor (sensor.go) reads the optional HLK-LD2450 presence radar, whose report
// frames ld2450.go decodes.
//
// Device facts this package relies on, checked through a pseudo-terminal (see reader_test.go):
//
//   - github.com/tarm/serial (https://github.com/tarm/serial) sets Linux termios rates only
//     (50 … 4000000; 256000 is not one). Every port is opened raw, 8N1, with a read timeout of
//     100ms (VMIN 0, VTIME 1; termios(3): https://man7.org/linux/man-pages/man3/termios.3.html):
//     without one, Close can deadlock against a blocked Read.
//   - With that timeout a read that times out returns (0, io.EOF). When the device goes (USB
//     unplug, pty master closed) a read blocked at that moment fails with EIO, but any read after
//     it returns (0, io.EOF) at once, like a timeout. So a device counts as gone on EIO, on its
//     path vanishing or naming another device, or on reads that end at once (watch.go).
//   - Magnetic stripes (ISO/IEC 7811-2, 7813): track 1 "%" … "?" (format code, account number,
//     "^", name, "^", …), tracks 2 and 3 ";" … "?" (account number, "=", …), an optional LRC
//     character after each "?", error tracks "%E?", ";E?", "+E?". The account number (ISO/IEC
//     7812-1) is the card's number; the name is never kept.
//   - EM4100 over RDM6300-class modules: 9600 baud, 14-byte frames 0x02, 10 hex digits of the
//     5-byte ID, 2 hex digits of their XOR, 0x03, repeated while the card lies on the antenna.
//   - HLK-LD2450: 256000 baud from the factory; 30-byte report frames AA FF 03 00, three 8-byte
//     target slots of sign–magnitude x, y (mm), speed (cm/s) and a resolution, 55 CC.
//   - The line protocol: one code per line, ended by CR, LF or CR LF; a line of more than 256
//     bytes, or with non-printable bytes, is not a card; an optional Luhn check (ISO/IEC 7812-1).
//   - Keyboard wedges (Linux input, https://www.kernel.org/doc/html/latest/input/input.html):
//     the device gives struct input_event records (on 64-bit Linux 24 bytes: struct timeval,
//     __u16 type, __u16 code, __s32 value); EV_KEY value 1 is a press, 0 a release, 2 an
//     autorepeat; codes are key positions (KEY_1 = 2 …), which a reader assumes are on a US
//     layout, Shift tracked for "%", "^", "?"; EVIOCGRAB gives one descriptor all the events.
//     This host has no uinput, so these facts are checked on recorded streams of input_event
//     records (keyport_test.go), not a real device; opening and grabbing one (evdev.go) is not.
//
// The project's hardware notes (HARDWARE.md, kept with the design notes) describe the card
// readers and stable device names (/dev/serial/by-id/…, /dev/input/by-id/…-event-kbd, a udev
// carekiosk-reader symlink).
package hardware
