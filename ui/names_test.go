package ui

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/carekiosk/carekiosk/assets"
)

// TestEveryActionIsNamed: each data-action written in the assets is one of Actions (or a
// language button), so that the manager, which handles them by these constants, has a case for
// it; one a template fills in must come from the Go side, itself a constant.
func TestEveryActionIsNamed(t *testing.T) {
	action := regexp.MustCompile(`data-action="([^"{'+]+)"`)
	found := 0
	err := fs.WalkDir(assets.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets.FS, path)
		if err != nil {
			return err
		}
		for _, m := range action.FindAllStringSubmatch(string(b), -1) {
			found++
			if !slices.Contains(Actions, m[1]) && !strings.HasPrefix(m[1], ActionLang) && !strings.HasPrefix(m[1], ActionDigit) {
				t.Errorf("%s: data-action %q is not one of ui.Actions", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 8 { // the others come from Go, as a dialog's {{.OK}}
		t.Errorf("found %d data-actions in the assets: the pattern misses them", found)
	}
}

// TestEveryScreenHasATemplate: each Screen constant renders.
func TestEveryScreenHasATemplate(t *testing.T) {
	for _, name := range []string{ScreenWelcome, ScreenPrivacy, ScreenEnding, ScreenEnded, ScreenNeutral,
		ScreenRefused, ScreenHelp, ScreenTechnician, ScreenOutOfService, ScreenPIN, ScreenCheckDown} {
		if _, err := fs.Stat(assets.FS, "screens/"+name+".html"); err != nil {
			t.Errorf("screen %q: %v", name, err)
		}
	}
}
