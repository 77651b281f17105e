package ui

// The kiosk's screens: each is a template, assets/screens/NAME.html, that Screen renders and the
// shell reports shown by this name.
const (
	ScreenWelcome      = "welcome"
	ScreenPrivacy      = "privacy"
	ScreenEnding       = "ending"
	ScreenEnded        = "ended"
	ScreenNeutral      = "neutral" // the quick exit's screen: nothing about health records
	ScreenRefused      = "refused"
	ScreenHelp         = "help"
	ScreenTechnician   = "technician"
	ScreenOutOfService = "out-of-service"
	ScreenPIN          = "pin"             // a library card's PIN pad (auth mode sip2, require_pin)
	ScreenCheckDown    = "card-check-down" // the library's server can't check cards: ask a member of staff
)

// The actions of the screens' buttons: a button's data-action, as the shell reports its touch.
const (
	ActionOK         = "ok"
	ActionReady      = "ready"      // the privacy check: I'm ready
	ActionCancel     = "cancel"     // the privacy check: not now
	ActionEnd        = "end"        // the kiosk bar: End session
	ActionQuickExit  = "quick-exit" // the kiosk bar: Quick exit
	ActionHelp       = "help"
	ActionHelpClose  = "help-close"
	ActionTechClose  = "tech-close"
	ActionStillHere  = "still-here" // the idle warning: I'm still here
	ActionDemoCard   = "demo-card"  // the demo's welcome screen: Use demo card
	ActionAuthCancel = "auth-cancel"
	ActionPasswordOK = "password-ok" // the password reminder: OK
	ActionPresenceOK = "presence-ok" // someone may see your screen: OK
	ActionBack       = "back"        // a page that was refused or could not be printed: go back
	ActionPINDelete  = "pin-delete"  // the PIN pad: delete the last digit
	ActionPINOK      = "pin-ok"      // the PIN pad: the PIN is complete
	ActionPINCancel  = "pin-cancel"  // the PIN pad: give up
	// ActionDigit is the prefix of the PIN pad's keys: digit-0 … digit-9. The manager takes
	// them as the PIN and never logs them.
	ActionDigit = "digit-"
	// ActionLang is the prefix of the language buttons: lang-en, lang-cy.
	ActionLang = "lang-"
)

// Actions lists every action a screen may send but the language buttons (ActionLang + a
// language) and the PIN pad's digits (ActionDigit + a digit).
var Actions = []string{ActionOK, ActionReady, ActionCancel, ActionEnd, ActionQuickExit, ActionHelp,
	ActionHelpClose, ActionTechClose, ActionStillHere, ActionDemoCard, ActionAuthCancel, ActionPasswordOK,
	ActionPresenceOK, ActionBack, ActionPINDelete, ActionPINOK, ActionPINCancel}
