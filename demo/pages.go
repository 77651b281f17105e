package demo

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"
)

//go:embed site
var site embed.FS

// cookieName names the session cookie.
const cookieName = "demo_session"

// maxForm bounds a sign-in form's body.
const maxForm = 16 << 10

// pageNames are the templates in site/, each defining "content" for site/base.html.
var pageNames = []string{"signin", "signedout", "notfound", "summary", "consultations", "results", "medicines", "letters", "letter"}

// funcs are the templates' helpers: inc numbers the letters from 1.
var funcs = template.FuncMap{"inc": func(i int) int { return i + 1 }}

// pages holds the parsed templates and the style sheet.
type pages struct {
	t   map[string]*template.Template
	css []byte
}

func loadPages() (*pages, error) {
	pg := &pages{t: make(map[string]*template.Template)}
	for _, name := range pageNames {
		t, err := template.New("base.html").Funcs(funcs).ParseFS(site, "site/base.html", "site/"+name+".html")
		if err != nil {
			return nil, err
		}
		pg.t[name] = t
	}
	css, err := site.ReadFile("site/style.css")
	if err != nil {
		return nil, err
	}
	pg.css = css
	return pg, nil
}

// view is what every page template gets. Patient is nil on pages shown signed out, which then
// have no record nav bar.
type view struct {
	Title    string
	Nav      string // the nav entry of this page
	Patient  *patient
	Error    string // sign-in
	Username string // sign-in, to fill the form again
	Practice string
	Data     any
}

func (p *Portal) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.signInPage)
	mux.HandleFunc("POST /{$}", p.signIn)
	mux.HandleFunc("GET /logout", p.logout)
	mux.HandleFunc("POST /logout", p.logout)
	mux.HandleFunc("GET /style.css", p.style)
	mux.HandleFunc("GET /record", p.recordPage("summary", "Your record", func(*http.Request) (any, bool) {
		return summary{consultations[0], results[0], medicines, len(letters), problems}, true
	}))
	mux.HandleFunc("GET /record/consultations", p.recordPage("consultations", "Consultations", static(consultations)))
	mux.HandleFunc("GET /record/results", p.recordPage("results", "Test results", static(results)))
	mux.HandleFunc("GET /record/medicines", p.recordPage("medicines", "Medicines", static(medicines)))
	mux.HandleFunc("GET /record/letters", p.recordPage("letters", "Letters", static(letters)))
	mux.HandleFunc("GET /record/letters/{n}", p.recordPage("letter", "Letter", func(r *http.Request) (any, bool) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 1 || n > len(letters) || strconv.Itoa(n) != r.PathValue("n") {
			return nil, false
		}
		return letters[n-1], true
	}))
	mux.HandleFunc("/", p.notFound)
	return mux
}

// summary is the data of the record's front page.
type summary struct {
	Latest    consultation
	Results   resultSet
	Medicines []medicine
	Letters   int
	Problems  []problem
}

func static(v any) func(*http.Request) (any, bool) {
	return func(*http.Request) (any, bool) { return v, true }
}

func (p *Portal) signInPage(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := p.current(r); ok {
		http.Redirect(w, r, "/record", http.StatusSeeOther)
		return
	}
	p.render(w, http.StatusOK, "signin", view{Title: "Sign in"})
}

// signIn accepts any non-empty username and password. A repeated sign-in replaces the browser's
// earlier session.
func (p *Portal) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return
	}
	user := strings.TrimSpace(r.PostForm.Get("username"))
	pass := r.PostForm.Get("password")
	var problem string
	switch {
	case user == "" && strings.TrimSpace(pass) == "":
		problem = "Enter your username and password."
	case user == "":
		problem = "Enter your username."
	case strings.TrimSpace(pass) == "":
		problem = "Enter your password."
	}
	if problem != "" {
		p.render(w, http.StatusOK, "signin", view{Title: "Sign in", Error: problem, Username: user})
		return
	}
	if _, id, ok := p.current(r); ok {
		p.store.remove(id)
	}
	lifetime, maxAge := idleLifetime, 0
	if r.PostForm.Get("remember") != "" {
		lifetime, maxAge = rememberLifetime, int(rememberLifetime.Seconds())
	}
	id, err := p.store.add(user, lifetime)
	if err != nil {
		http.Error(w, "Sign-in is not working at the moment.", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, sessionCookie(id, maxAge))
	http.Redirect(w, r, "/record", http.StatusSeeOther)
}

// logout ends the browser's server-side session, if any, expires its cookie and says so.
func (p *Portal) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		p.store.remove(c.Value)
		http.SetCookie(w, sessionCookie("", -1))
	}
	p.render(w, http.StatusOK, "signedout", view{Title: "Signed out"})
}

// recordPage serves a page of the record to a signed-in browser and sends any other to the
// sign-in page. data gives the page's content, or false for a page that does not exist.
func (p *Portal) recordPage(name, title string, data func(*http.Request) (any, bool)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user, _, ok := p.current(r)
		if !ok {
			if _, err := r.Cookie(cookieName); err == nil {
				http.SetCookie(w, sessionCookie("", -1))
			}
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
		pt := newPatient(user)
		d, found := data(r)
		if !found {
			p.render(w, http.StatusNotFound, "notfound", view{Title: "Page not found", Patient: &pt})
			return
		}
		nav := name
		if name == "letter" {
			nav = "letters"
			title = d.(letter).Subject
		}
		p.render(w, http.StatusOK, name, view{Title: title, Nav: nav, Patient: &pt, Data: d})
	}
}

func (p *Portal) notFound(w http.ResponseWriter, r *http.Request) {
	v := view{Title: "Page not found"}
	if user, _, ok := p.current(r); ok {
		pt := newPatient(user)
		v.Patient = &pt
	}
	p.render(w, http.StatusNotFound, "notfound", v)
}

func (p *Portal) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Write(p.pages.css)
}

// current returns the user and session id of the request's live session, if it has one.
func (p *Portal) current(r *http.Request) (user, id string, ok bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return "", "", false
	}
	user, ok = p.store.get(c.Value)
	return user, c.Value, ok
}

// sessionCookie is the session cookie with value; maxAge 0 makes it last until the browser
// closes, negative expires it.
func sessionCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     cookieName,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   true,
		SameSite: http.SameSiteLaxMode,
	}
}

// render writes page name with status, or a plain 500 if the template fails.
func (p *Portal) render(w http.ResponseWriter, status int, name string, v view) {
	v.Practice = practiceName
	var buf bytes.Buffer
	if err := p.pages.t[name].ExecuteTemplate(&buf, "base", v); err != nil {
		p.log.Error("demo portal page failed", "page", name, "err", err)
		http.Error(w, "This page is not working at the moment.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}
