// hooks.c: connects the shell to GTK and WebKit: window, lockdown settings, policy decisions,
// input activity, messages from the kiosk's isolated script world. Policy itself is decided in Go
// (policy.go); this file only asks and obeys.
#include "hooks.h"
#include "_cgo_export.h"
#include <string.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/gdkx.h>
#endif

// view_of is the window's web view: its child, until the on-screen keyboard puts the two in a
// box (keyboard.c), so the first call remembers it.
WebKitWebView *view_of(GtkWidget *window) {
	WebKitWebView *v = g_object_get_data(G_OBJECT(window), "ck-view");
	if (!v) {
		v = WEBKIT_WEB_VIEW(gtk_bin_get_child(GTK_BIN(window)));
		g_object_set_data(G_OBJECT(window), "ck-view", v);
	}
	return v;
}

int ck_gtk_init(void) { return gtk_init_check(NULL, NULL); }

// Page code runs in WebKit's web processes; each starts inside a bubblewrap sandbox of its own
// (its own mount, PID, IPC and network namespaces, the system read-only, none of the kiosk's
// files, devices or sockets). It must be set before the first web process starts.
int ck_sandbox(void) {
	WebKitWebContext *c = webkit_web_context_get_default();
	webkit_web_context_set_sandbox_enabled(c, TRUE);
	return webkit_web_context_get_sandbox_enabled(c);
}

// A close request (Alt+F4, a window manager's button) never closes the kiosk.
static gboolean on_delete(GtkWidget *w, GdkEvent *e, gpointer d) { return TRUE; }

GtkWidget *ck_window_new(int windowed, int width, int height) {
	GtkWidget *w = gtk_window_new(GTK_WINDOW_TOPLEVEL);
	gtk_window_set_title(GTK_WINDOW(w), "carekiosk");
	g_signal_connect(w, "delete-event", G_CALLBACK(on_delete), NULL);
	if (windowed) {
		gtk_window_set_default_size(GTK_WINDOW(w), width, height);
		return w;
	}
	// Under cage the only window is full screen anyway; under a bare X server with no window
	// manager gtk_window_fullscreen does nothing, so size the window to the monitor as well.
	gtk_window_set_decorated(GTK_WINDOW(w), FALSE);
	gtk_window_set_deletable(GTK_WINDOW(w), FALSE);
	GdkDisplay *dpy = gdk_display_get_default();
	GdkMonitor *mon = gdk_display_get_primary_monitor(dpy);
	if (!mon) mon = gdk_display_get_monitor(dpy, 0);
	if (mon) {
		GdkRectangle r;
		gdk_monitor_get_geometry(mon, &r);
		gtk_window_move(GTK_WINDOW(w), r.x, r.y);
		gtk_window_set_default_size(GTK_WINDOW(w), r.width, r.height);
	}
	gtk_window_fullscreen(GTK_WINDOW(w));
	return w;
}

// committed: the main frame's last load has replaced the document (no load is waiting for its
// first response). auth_deferred: a site asked for HTTP authentication meanwhile (on_authenticate).
// decided, loading: the last navigation allowed (any frame), and the main frame's load under way
// (webkit_web_view_get_uri still says the page on the screen for one a page started).
static int committed = 1, auth_deferred;
static char *decided, *loading;

static gboolean on_decide(WebKitWebView *v, WebKitPolicyDecision *d, WebKitPolicyDecisionType t, gpointer data) {
	if (t == WEBKIT_POLICY_DECISION_TYPE_RESPONSE) {
		// Anything the view cannot show would become a download: refuse it.
		WebKitResponsePolicyDecision *r = WEBKIT_RESPONSE_POLICY_DECISION(d);
		// A PDF is shown in WebKit's own viewer, which the shell then lets load (ckPDFViewer).
		ckResponse(webkit_response_policy_decision_is_main_frame_main_resource(r),
			(char *)webkit_uri_response_get_mime_type(webkit_response_policy_decision_get_response(r)));
		if (!webkit_response_policy_decision_is_mime_type_supported(r)) {
			WebKitURIRequest *req = webkit_response_policy_decision_get_request(r);
			ckRefused((char *)webkit_uri_request_get_uri(req), (char *)"download");
			webkit_policy_decision_ignore(d);
			return TRUE;
		}
		return FALSE;
	}
	WebKitNavigationAction *a = webkit_navigation_policy_decision_get_navigation_action(WEBKIT_NAVIGATION_POLICY_DECISION(d));
	const char *uri = webkit_uri_request_get_uri(webkit_navigation_action_get_request(a));
	// WebKit's PDF viewer loads into the frame of a PDF document: never a page, never a window.
	int viewer = t == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION && ckPDFViewer((char *)uri);
	if (!viewer && !ckAllowed((char *)uri)) {
		ckRefused((char *)uri, (char *)"navigation");
		webkit_policy_decision_ignore(d);
		return TRUE;
	}
	if (t == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION) {
		// No new windows: an allowed target=_blank or window.open opens in place.
		webkit_policy_decision_ignore(d);
		webkit_web_view_load_uri(v, uri);
		return TRUE;
	}
	g_free(decided);
	decided = g_strdup(uri);
	webkit_policy_decision_use(d);
	return TRUE;
}

static void on_load(WebKitWebView *v, WebKitLoadEvent e, gpointer data) {
	if (e == WEBKIT_LOAD_STARTED || e == WEBKIT_LOAD_REDIRECTED) {
		committed = 0;
		g_free(loading);
		loading = g_strdup(decided);
	}
	// Committed: the page is now the view's document (a page that navigates away while it
	// is still loading may never finish).
	if (e == WEBKIT_LOAD_COMMITTED) {
		committed = 1;
		ckLoaded((char *)webkit_web_view_get_uri(v));
	}
	if (auth_deferred && (e == WEBKIT_LOAD_COMMITTED || e == WEBKIT_LOAD_FINISHED)) {
		auth_deferred = 0;
		ckAuth();
	}
}

static gboolean on_load_failed(WebKitWebView *v, WebKitLoadEvent e, gchar *uri, GError *err, gpointer data) {
	if (g_error_matches(err, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
	    g_error_matches(err, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
		return FALSE;
	ckFailed(uri, err->message);
	return FALSE;
}

// TLS errors fail closed: the page is not shown, whatever the error.
static gboolean on_tls_error(WebKitWebView *v, gchar *uri, GTlsCertificate *c, GTlsCertificateFlags f, gpointer data) {
	ckFailed(uri, (char *)"the site's certificate is not trusted");
	return TRUE;
}

// The zoom levels Ctrl+plus and Ctrl+minus step through, as browsers do (200% is one of them).
static const double zoom_levels[] = {0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0};
#define N_ZOOM (sizeof zoom_levels / sizeof zoom_levels[0])

static double zoom_step(double now, int dir) {
	if (dir > 0) {
		for (size_t i = 0; i < N_ZOOM; i++)
			if (zoom_levels[i] > now + 0.001) return zoom_levels[i];
		return zoom_levels[N_ZOOM - 1];
	}
	for (size_t i = N_ZOOM; i-- > 0;)
		if (zoom_levels[i] < now - 0.001) return zoom_levels[i];
	return zoom_levels[0];
}

// Keys are filtered on the window, before the web view or GTK's own bindings see them.
static gboolean on_key(GtkWidget *w, GdkEventKey *e, gpointer data) {
	GdkModifierType mods = e->state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_MOD1_MASK | GDK_SUPER_MASK);
	int action = ckKey(gdk_keyval_to_lower(e->keyval), mods);
	WebKitWebView *v = view_of(w);
	switch (action) {
	case CK_KEY_PASS:
		return FALSE;
	case CK_KEY_ZOOM_IN:
		webkit_web_view_set_zoom_level(v, zoom_step(webkit_web_view_get_zoom_level(v), 1));
		break;
	case CK_KEY_ZOOM_OUT:
		webkit_web_view_set_zoom_level(v, zoom_step(webkit_web_view_get_zoom_level(v), -1));
		break;
	case CK_KEY_ZOOM_RESET:
		webkit_web_view_set_zoom_level(v, 1.0);
		break;
	}
	return TRUE;
}

// Script dialogs (alert, confirm, prompt) are shown, but a page that opens them in a loop to
// trap the patient gets them dismissed at once.
static gboolean on_script_dialog(WebKitWebView *v, WebKitScriptDialog *d, gpointer data) {
	if (ckDialogAllowed())
		return FALSE;
	if (webkit_script_dialog_get_dialog_type(d) == WEBKIT_SCRIPT_DIALOG_CONFIRM ||
	    webkit_script_dialog_get_dialog_type(d) == WEBKIT_SCRIPT_DIALOG_BEFORE_UNLOAD_CONFIRM)
		webkit_script_dialog_confirm_set_confirmed(d, FALSE);
	return TRUE;
}

// HTTP authentication (a 401) from an allowed host: the kiosk's own sign-in prompt, not
// WebKit's dialog, which covers the whole view (the kiosk bar included) and hides the password
// reminder. A request can't wait for the prompt: while a page's load waits for an answer, the
// page on the screen takes no script, so no prompt could be drawn on it. So WebKit's request is
// cancelled at once (the site's own 401 page shows) and the supervisor shows the prompt; the
// patient's answer (ck_auth_answer) reloads the page and answers the next request of that host
// with it. Nothing offers to remember the password: requests may not save credentials, WebKit's
// persistent credential storage is off (ck_setup), and the credential lives in this process only.
// The page that asked (the one loading, or on the screen) and its host; then the patient's answer,
// until it is used.
static char *auth_uri, *auth_host, *auth_user, *auth_password;

static void auth_forget(void) {
	g_clear_pointer(&auth_uri, g_free);
	g_clear_pointer(&auth_host, g_free);
	g_clear_pointer(&auth_user, g_free);
	if (auth_password) memset(auth_password, 0, strlen(auth_password));
	g_clear_pointer(&auth_password, g_free);
}

static gboolean on_authenticate(WebKitWebView *v, WebKitAuthenticationRequest *r, gpointer data) {
	const char *host = webkit_authentication_request_get_host(r);
	WebKitAuthenticationScheme scheme = webkit_authentication_request_get_scheme(r);
	if (!ckHostAllowed((char *)host) || scheme == WEBKIT_AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE_REQUESTED ||
	    scheme == WEBKIT_AUTHENTICATION_SCHEME_CLIENT_CERTIFICATE_PIN_REQUESTED) {
		webkit_authentication_request_cancel(r);
		return TRUE;
	}
	webkit_authentication_request_set_can_save_credentials(r, FALSE);
	// The patient's answer is used once (a request after a cancelled one counts as a retry, so
	// is_retry can't tell a wrong password): a wrong one finds nothing here and asks again.
	if (auth_user && g_strcmp0(host, auth_host) == 0) {
		WebKitCredential *c = webkit_credential_new(auth_user, auth_password, WEBKIT_CREDENTIAL_PERSISTENCE_FOR_SESSION);
		webkit_authentication_request_authenticate(r, c);
		webkit_credential_free(c);
		auth_forget();
		return TRUE;
	}
	auth_forget();
	auth_host = g_strdup(host);
	auth_uri = g_strdup(committed || !loading ? webkit_web_view_get_uri(v) : loading);
	webkit_authentication_request_cancel(r);
	// The prompt goes on the page that shows the answer: the site's 401 page, once the load that
	// asked has committed it; else (a fetch of the page on the screen) at once.
	if (committed)
		ckAuth();
	else
		auth_deferred = 1;
	return TRUE;
}

// ck_auth_answer: the patient signed in on the prompt with user and password (load the page
// that asked again and answer its site with them), or cancelled (user NULL: the site's 401 page
// stays).
void ck_auth_answer(GtkWidget *window, const char *user, const char *password) {
	char *host = g_steal_pointer(&auth_host), *uri = g_steal_pointer(&auth_uri);
	auth_forget();
	if (user && host && uri) {
		auth_host = host;
		auth_user = g_strdup(user);
		auth_password = g_strdup(password);
		// Loaded again, not reloaded: a page whose load asked has not replaced the one shown.
		webkit_web_view_load_uri(view_of(window), uri);
	} else {
		g_free(host);
	}
	g_free(uri);
}

// The content filter is compiled into the session's own cache directory; no page loads
// before it is in place.
static void on_filter_saved(GObject *store, GAsyncResult *res, gpointer data) {
	GError *err = NULL;
	WebKitUserContentFilter *f = webkit_user_content_filter_store_save_finish(WEBKIT_USER_CONTENT_FILTER_STORE(store), res, &err);
	if (!f) {
		ckFilterReady(0, err->message);
		g_error_free(err);
		return;
	}
	webkit_user_content_manager_add_filter(WEBKIT_USER_CONTENT_MANAGER(data), f);
	webkit_user_content_filter_unref(f);
	ckFilterReady(1, (char *)"");
}

// The quick-exit key chord: Escape pressed three times within 2 s, each a separate press (a
// held key's auto-repeat does not count). Seen here, before the page, so no page can stop it.
static void quick_exit_chord(GdkEvent *e) {
	static guint32 at[2];
	static int n, down;
	if (e->key.keyval != GDK_KEY_Escape) {
		if (e->type == GDK_KEY_PRESS) n = 0;
		return;
	}
	if (e->type == GDK_KEY_RELEASE) {
		down = 0;
		return;
	}
	if (down) return;
	down = 1;
	guint32 t = e->key.time;
	if (n == 2 && t - at[0] <= 2000) {
		n = 0;
		ckQuickExit();
		return;
	}
	if (n == 2) at[0] = at[1], n = 1;
	at[n++] = t;
}

// Input from the patient, from GTK itself so that no page script can fake or swallow it.
static gboolean on_event(GtkWidget *w, GdkEvent *e, gpointer data) {
	if (e->type == GDK_KEY_PRESS || e->type == GDK_KEY_RELEASE) quick_exit_chord(e);
	switch (e->type) {
	case GDK_KEY_PRESS:
	case GDK_BUTTON_PRESS:
	case GDK_MOTION_NOTIFY:
	case GDK_SCROLL:
	case GDK_TOUCH_BEGIN:
	case GDK_TOUCH_UPDATE:
		ckActivity();
	default:
		break;
	}
	return FALSE;
}

static void on_message(WebKitUserContentManager *m, WebKitJavascriptResult *r, gpointer data) {
	char *s = jsc_value_to_string(webkit_javascript_result_get_js_value(r));
	ckMessage(s);
	g_free(s);
}

static gboolean refuse(void) { return TRUE; }

// Printing (printing = true): straight to the default printer, never a print dialog (it would
// offer "print to file" and a file browser). No printer, or a job that fails: the supervisor
// tells the patient in plain words.
static void on_print_failed(WebKitPrintOperation *op, GError *err, gpointer data) {
	g_object_set_data(G_OBJECT(op), "carekiosk-failed", GINT_TO_POINTER(1));
	ckPrinted(0, err ? err->message : (char *)"");
}

// "finished" follows "failed" too: only a job that did not fail counts as sent.
static void on_print_finished(WebKitPrintOperation *op, gpointer data) {
	if (!g_object_get_data(G_OBJECT(op), "carekiosk-failed"))
		ckPrinted(1, (char *)"");
}

static gboolean on_print(WebKitWebView *v, WebKitPrintOperation *op, gpointer data) {
	if (!ckPrintAllowed())
		return TRUE; // a page printing in a loop: the jobs beyond the limit are dropped
	g_signal_connect(op, "failed", G_CALLBACK(on_print_failed), NULL);
	g_signal_connect(op, "finished", G_CALLBACK(on_print_finished), NULL);
	webkit_print_operation_print(op);
	return TRUE;
}

static gboolean on_permission(WebKitWebView *v, WebKitPermissionRequest *r, gpointer data) {
	webkit_permission_request_deny(r);
	return TRUE;
}

static gboolean on_file_chooser(WebKitWebView *v, WebKitFileChooserRequest *r, gpointer data) {
	webkit_file_chooser_request_cancel(r);
	return TRUE;
}

// window.open: no new window ever; an allowed address opens in place, anything else is refused.
static GtkWidget *on_create(WebKitWebView *v, WebKitNavigationAction *a, gpointer data) {
	const char *uri = webkit_uri_request_get_uri(webkit_navigation_action_get_request(a));
	if (ckAllowed((char *)uri))
		webkit_web_view_load_uri(v, uri);
	else
		ckRefused((char *)uri, (char *)"new window");
	return NULL;
}

static void on_crashed(WebKitWebView *v, WebKitWebProcessTerminationReason reason, gpointer data) {
	ckCrashed((int)reason);
}

// No download ever reaches the disk; the patient is told, as for a refused page.
static void on_download(WebKitWebContext *c, WebKitDownload *d, gpointer data) {
	webkit_download_cancel(d);
	ckRefused((char *)webkit_uri_request_get_uri(webkit_download_get_request(d)), (char *)"download");
}

// no_preconnect turns off WebKit's connections ahead of a load, and says whether it could.
// "LinkPreconnect": a click on a link that targets _blank, or the main frame itself, makes WebKit
// connect to the link's host at once, beside the navigation, whatever decide-policy or create then
// answer, and with no look at the content filter (WebCore's HTMLAnchorElement::handleClick): a
// refused link still gave an off-list host a connection. It also makes <link rel=preconnect>
// work (that one the filter does stop). "LinkPreconnectEarlyHints": the network process
// preconnects to hosts that an allowed server names in a 103 Early Hints response, with no filter
// either. Both are on wherever WebKit has server preconnect: WebKitGTK 4.1 (libsoup 3, Debian 13)
// in 2.50 and every build since 2.52; 4.0 (libsoup 2, Debian 12) never preconnects. No
// WebKitSettings property covers them; they are WebKit features, found by identifier (since
// 2.42). Fails closed: if they can't be found and turned off (renamed, say), nothing loads.
static int no_preconnect(WebKitSettings *s) {
	static const char *const off[] = {"LinkPreconnect", "LinkPreconnectEarlyHints"};
	int found = 0;
	WebKitFeatureList *all = webkit_settings_get_all_features();
	for (gsize i = 0; i < webkit_feature_list_get_length(all); i++) {
		WebKitFeature *f = webkit_feature_list_get(all, i);
		for (size_t j = 0; j < G_N_ELEMENTS(off); j++) {
			if (g_strcmp0(webkit_feature_get_identifier(f), off[j]) != 0) continue;
			webkit_settings_set_feature_enabled(s, f, FALSE);
			if (!webkit_settings_get_feature_enabled(s, f)) found++;
		}
	}
	webkit_feature_list_unref(all);
	return found == G_N_ELEMENTS(off);
}

int ck_setup(GtkWidget *window, const char *script, const char *lockdown, const char *rules, const char *filter_dir, int printing, int accelerated) {
	WebKitWebView *v = view_of(window);
	WebKitSettings *s = webkit_web_view_get_settings(v);
	if (!no_preconnect(s)) return 0;
	webkit_settings_set_javascript_can_access_clipboard(s, FALSE);
	// No credential is ever stored: WebKit would keep HTTP authentication passwords in the
	// keyring (libsecret), beyond the session, and offer "remember password" for them.
	webkit_website_data_manager_set_persistent_credential_storage_enabled(
		webkit_web_context_get_website_data_manager(webkit_web_view_get_context(v)), FALSE);
	webkit_settings_set_enable_developer_extras(s, FALSE);
	webkit_settings_set_enable_write_console_messages_to_stdout(s, FALSE);
	// Every window.open reaches on_create, which never opens a window: allowed addresses open
	// in place, others are refused and counted, with or without a click.
	webkit_settings_set_javascript_can_open_windows_automatically(s, TRUE);
	webkit_settings_set_enable_back_forward_navigation_gestures(s, FALSE);
	webkit_settings_set_enable_fullscreen(s, FALSE);
	// Software rendering unless accelerated (CAREKIOSK_ACCELERATED=1 for the supervisor): the
	// kiosk's screens and record portals are documents, and without a GPU (Xvfb, many kiosk
	// boxes) GL compositing through llvmpipe made every screen change 4-5 times slower and the
	// tree 45 MiB bigger (make bench).
	if (!accelerated) webkit_settings_set_hardware_acceleration_policy(s, WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER);

	g_signal_connect(v, "decide-policy", G_CALLBACK(on_decide), NULL);
	g_signal_connect(v, "load-changed", G_CALLBACK(on_load), NULL);
	g_signal_connect(v, "load-failed", G_CALLBACK(on_load_failed), NULL);
	g_signal_connect(v, "load-failed-with-tls-errors", G_CALLBACK(on_tls_error), NULL);
	g_signal_connect(v, "context-menu", G_CALLBACK(refuse), NULL);
	g_signal_connect(v, "print", printing ? G_CALLBACK(on_print) : G_CALLBACK(refuse), NULL);
	g_signal_connect(v, "permission-request", G_CALLBACK(on_permission), NULL);
	g_signal_connect(v, "run-file-chooser", G_CALLBACK(on_file_chooser), NULL);
	g_signal_connect(v, "create", G_CALLBACK(on_create), NULL);
	g_signal_connect(v, "web-process-terminated", G_CALLBACK(on_crashed), NULL);
	g_signal_connect(v, "event", G_CALLBACK(on_event), NULL);
	g_signal_connect(v, "authenticate", G_CALLBACK(on_authenticate), NULL);
	g_signal_connect(v, "script-dialog", G_CALLBACK(on_script_dialog), NULL);
	g_signal_connect(webkit_web_view_get_context(v), "download-started", G_CALLBACK(on_download), NULL);
	g_signal_connect(window, "key-press-event", G_CALLBACK(on_key), NULL);
	gtk_drag_dest_unset(GTK_WIDGET(v)); // nothing dragged in from outside

	WebKitUserContentManager *m = webkit_web_view_get_user_content_manager(v);
	g_signal_connect(m, "script-message-received::carekiosk", G_CALLBACK(on_message), NULL);
	webkit_user_content_manager_register_script_message_handler_in_world(m, "carekiosk", CK_WORLD);
	WebKitUserScript *us = webkit_user_script_new_for_world(script, WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
		WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START, CK_WORLD, NULL, NULL);
	webkit_user_content_manager_add_script(m, us);
	webkit_user_script_unref(us);
	us = webkit_user_script_new_for_world(lockdown, WEBKIT_USER_CONTENT_INJECT_ALL_FRAMES,
		WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START, CK_WORLD, NULL, NULL);
	webkit_user_content_manager_add_script(m, us);
	webkit_user_script_unref(us);
	// Room for the kiosk bar at the top of every page, and a page that can't hide itself and the
	// kiosk's overlay with it.
	WebKitUserStyleSheet *ss = webkit_user_style_sheet_new("html { margin-top: 64px !important; "
		"opacity: 1 !important; filter: none !important; visibility: visible !important; "
		"display: block !important; clip-path: none !important; }",
		WEBKIT_USER_CONTENT_INJECT_TOP_FRAME, WEBKIT_USER_STYLE_LEVEL_USER, NULL, NULL);
	webkit_user_content_manager_add_style_sheet(m, ss);
	webkit_user_style_sheet_unref(ss);

	WebKitUserContentFilterStore *store = webkit_user_content_filter_store_new(filter_dir);
	GBytes *b = g_bytes_new(rules, strlen(rules));
	webkit_user_content_filter_store_save(store, "carekiosk", b, NULL, on_filter_saved, m);
	g_bytes_unref(b);
	g_object_unref(store);
	return 1;
}

// Where a standby window waits on X11: far beyond the right edge of any screen (X coordinates
// stop at 32767), mapped, so that WebKit lays out and paints its pages while it waits.
#define CK_OFFSCREEN_X 16000

// ck_standby starts a pre-warmed standby. WebKit does not render a view that is not mapped, so
// a standby started hidden would paint its first frame only when shown, late. On X11 (no window
// manager: a full-screen kiosk) it is mapped off the screen instead and ck_show only moves it;
// it returns 1 then. Elsewhere — Wayland, where cage shows every mapped window on top, or a
// windowed dev kiosk under a window manager that would place it — it stays unmapped until the
// supervisor maps it (ck_show), and returns 0.
int ck_standby(GtkWidget *window, int offscreen) {
#ifdef GDK_WINDOWING_X11
	if (offscreen && GDK_IS_X11_DISPLAY(gdk_display_get_default())) {
		gint x, y;
		gtk_window_get_position(GTK_WINDOW(window), &x, &y);
		g_object_set_data(G_OBJECT(window), "ck-home-x", GINT_TO_POINTER(x));
		g_object_set_data(G_OBJECT(window), "ck-home-y", GINT_TO_POINTER(y));
		g_object_set_data(G_OBJECT(window), "ck-offscreen", GINT_TO_POINTER(1));
		gtk_window_move(GTK_WINDOW(window), CK_OFFSCREEN_X, y);
		gtk_widget_show_all(window);
		return 1;
	}
#endif
	return 0;
}

void ck_hide(GtkWidget *window) { gtk_widget_hide(window); }

// ck_raise brings a mapped window back on top of one mapped after it. A client can't raise itself
// under cage (no xdg-activation), but cage puts every newly mapped window on top and focuses it:
// so the window is unmapped and mapped again. Its page stays as it was.
void ck_raise(GtkWidget *window) {
	gtk_widget_hide(window);
	ck_show(window);
}

void ck_show(GtkWidget *window) {
	if (g_object_get_data(G_OBJECT(window), "ck-offscreen")) {
		g_object_set_data(G_OBJECT(window), "ck-offscreen", NULL);
		gtk_window_move(GTK_WINDOW(window), GPOINTER_TO_INT(g_object_get_data(G_OBJECT(window), "ck-home-x")),
			GPOINTER_TO_INT(g_object_get_data(G_OBJECT(window), "ck-home-y")));
		if (gtk_widget_get_window(window)) gdk_window_raise(gtk_widget_get_window(window));
	}
	gtk_widget_show_all(window);
	gtk_window_present(GTK_WINDOW(window));
	gtk_widget_grab_focus(GTK_WIDGET(view_of(window)));
}

int ck_trust(GtkWidget *window, const char *pem, const char *host) {
	GError *err = NULL;
	GTlsCertificate *c = g_tls_certificate_new_from_pem(pem, -1, &err);
	if (!c) {
		g_error_free(err);
		return 0;
	}
	webkit_web_context_allow_tls_certificate_for_host(webkit_web_view_get_context(view_of(window)), c, host);
	g_object_unref(c);
	return 1;
}

void ck_eval(GtkWidget *window, const char *js) {
	webkit_web_view_evaluate_javascript(view_of(window), js, -1, CK_WORLD, NULL, NULL, NULL, NULL);
}

void ck_load_uri(GtkWidget *window, const char *uri) { webkit_web_view_load_uri(view_of(window), uri); }

void ck_load_html(GtkWidget *window, const char *html) { webkit_web_view_load_html(view_of(window), html, "about:blank"); }
