package kiosktest

// ShellPID is the process of the browser the patient sees.
func (k *Kiosk) ShellPID() (int, error) {
	s, err := k.Status()
	return s.ShellPID, err
}

// Key presses keys for real in the kiosk's visible window, as a patient's keyboard would.
func (k *Kiosk) Key(keys ...string) error {
	return k.press(func(pid int) error { return k.Display.Key(pid, keys...) })
}

// Type types text for real into the focused field.
func (k *Kiosk) Type(text string) error {
	return k.press(func(pid int) error { return k.Display.Type(pid, text) })
}

// Touch touches the screen for real at x, y.
func (k *Kiosk) Touch(x, y int) error {
	return k.press(func(pid int) error { return k.Display.Click(pid, x, y) })
}

// press does with the browser the patient sees what a patient's hand would.
func (k *Kiosk) press(do func(pid int) error) error {
	pid, err := k.ShellPID()
	if err != nil {
		return err
	}
	return do(pid)
}
