package kiosk

import (
	"encoding/json"

	"github.com/carekiosk/carekiosk/config"
)

// ContentRules is a WebKit content-blocker rule list that stops every load — documents in any
// frame, images, scripts, fetches, websockets — except https and wss to the allowed hosts, and inline
// data: and blob: resources and WebKit's own PDF viewer (which reach no server). It is the second wall behind Policy: a
// hostile page can't even make a request to a host that is not on the list.
func ContentRules(hosts config.Hosts) string {
	type trigger struct {
		URLFilter string `json:"url-filter"`
	}
	type action struct {
		Type string `json:"type"`
	}
	type rule struct {
		Trigger trigger `json:"trigger"`
		Action  action  `json:"action"`
	}
	rules := []rule{{trigger{".*"}, action{"block"}}}
	allow := func(filter string) { rules = append(rules, rule{trigger{filter}, action{"ignore-previous-rules"}}) }
	allow("^data:")
	allow("^blob:")
	allow("^" + PDFViewerScheme + "://pdfjs/") // policy.go: PDFViewer
	for _, r := range hosts {
		host := r.Pattern()
		// The host ends at a port (digits) or at the path, which WebKit's URLs always have: a
		// ":" alone would let "https://records.example.org:pw@elsewhere/" through, a user name
		// and password before another host.
		allow("^https://" + host + "(:[0-9]+)?/")
		allow("^wss://" + host + "(:[0-9]+)?/")
	}
	b, _ := json.Marshal(rules)
	return string(b)
}
