// Package systemd holds the files that make carekiosk an appliance: the systemd unit that runs
// cage and the supervisor on tty1, its tmpfiles.d, sysusers.d and modules-load.d entries, the
// udev rule that names the card reader, and the default kiosk.toml. It has no Go code; its tests
// install these files with `make install` and check them with systemd-analyze.
package systemd
