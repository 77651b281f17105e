package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/carekiosk/carekiosk/internal/canary"
	"github.com/carekiosk/carekiosk/internal/kiosktest"
)

// portal is the record provider in the tests (package kiosktest). In "plant" mode its start
// page plants canaries (a cookie, localStorage, IndexedDB, a field for the test to type into);
// in "check" mode it reports what storage the page can find. Tests may add pages to its Mux.
type portal struct {
	*kiosktest.Portal

	mu         sync.Mutex
	plant      bool
	canary     canaries
	cookies    []string // Cookie headers received in check mode
	afterTyped string   // where the plant page goes once its field holds the typed canary ("": stays)

	typed   chan struct{} // the typed field holds its canary
	reports chan report   // check mode: what the page found
}

// canaries are unique values that must not survive a session: the planted ones and one the
// test types into a form field.
type canaries struct {
	canary.Set
	Typed string
}

func (c canaries) all() []string { return append(c.Set.All(), c.Typed) }

// report is what a check-mode page found in its storage.
type report struct {
	Local []string `json:"local"`
	DBs   []string `json:"dbs"`
	IDB   string   `json:"idb"`
}

func startPortal(t *testing.T) *portal {
	p := &portal{
		Portal: kiosktest.StartPortal(),
		canary: canaries{Set: canary.New(), Typed: canary.New().Cookie},
		typed:  make(chan struct{}, 1), reports: make(chan report, 1),
	}
	t.Cleanup(p.Close)
	p.Mux.HandleFunc("/start", p.start)
	p.Mux.HandleFunc("/typed", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		fmt.Fprint(w, p.afterTyped)
		p.mu.Unlock()
		kiosktest.Signal(p.typed)
	})
	p.Mux.HandleFunc("/report", func(w http.ResponseWriter, r *http.Request) {
		p.sawCookies(r)
		var rep report
		b, _ := io.ReadAll(r.Body)
		if json.Unmarshal(b, &rep) == nil {
			p.reports <- rep
		}
	})
	return p
}

func (p *portal) setPlant(plant bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.plant = plant
}

func (p *portal) sawCookies(r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.plant {
		p.cookies = append(p.cookies, r.Header.Get("Cookie"))
	}
}

func (p *portal) start(w http.ResponseWriter, r *http.Request) {
	p.sawCookies(r)
	p.mu.Lock()
	plant, c := p.plant, p.canary
	p.mu.Unlock()
	if !plant {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, checkPage)
		return
	}
	canary.Plant(w, c.Set, strings.ReplaceAll(typedField, "TYPED", c.Typed))
}

// typedField is a form field the test types a canary into; the page says when it holds it.
const typedField = `<label>Notes <input id="f" autofocus autocomplete="on" name="notes"></label>
<script>
document.getElementById("f").addEventListener("input", (e) => {
  if (e.target.value === "TYPED") fetch("/typed", {method: "POST"}).then((r) => r.text()).then((next) => {
    if (next) location.href = next;
  });
});
</script>`

const checkPage = `<!doctype html><html><head><title>Portal</title></head><body>
<h1>Test record portal</h1>
<script>
(async () => {
  const local = [];
  for (let i = 0; i < localStorage.length; i++) local.push(localStorage.getItem(localStorage.key(i)));
  const dbs = (await indexedDB.databases()).map((d) => d.name);
  let idb = "";
  await new Promise((done) => {
    const open = indexedDB.open("canarydb");
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains("s")) return done();
      const get = db.transaction("s").objectStore("s").get("k");
      get.onsuccess = () => { idb = get.result || ""; done(); };
      get.onerror = () => done();
    };
    open.onerror = () => done();
  });
  // A part of the portal behind HTTP authentication, if the test has one (creds_test.go): does
  // the browser send a credential of the last session on its own?
  await fetch("/private/check").catch(() => {});
  fetch("/report", {method: "POST", body: JSON.stringify({local, dbs, idb})});
})();
</script></body></html>`
