// keyboard.c: draws the on-screen keyboard (package keyboard decides its keys) as GTK buttons
// under the web view, and types with it through GTK itself. The keys are native widgets, not
// part of any page: a page can't see, cover, restyle or press them, and the page area shrinks
// above them instead of being covered.
#include "hooks.h"
#include "_cgo_export.h"

// The keys: at least 48 × 48 px whatever the screen (AA contrast: #111 on white is 18.9:1, on
// the grey of the special keys 13:1). A touched key shows it is pressed, except in a password
// field ("private"): there no key changes at all, so nobody behind the patient sees which
// key was touched.
static const char *css =
	".ck-osk { background-color: #1f2328; padding: 4px; }"
	".ck-osk button { all: unset; background-color: #ffffff; border: 1px solid #59636e;"
	"  border-radius: 6px; margin: 3px; min-width: 48px; min-height: 56px; }"
	".ck-osk button label { color: #111111; font-size: 24px; }"
	".ck-osk button.special { background-color: #d5dbe2; }"
	".ck-osk button:active { background-color: #a8c7f0; }"
	".ck-osk.private button:active { background-color: #ffffff; }"
	".ck-osk.private button.special:active { background-color: #d5dbe2; }";

GtkWidget *ck_kbd_new(GtkWidget *window) {
	GtkWidget *view = GTK_WIDGET(view_of(window));
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);
	g_object_ref(view);
	gtk_container_remove(GTK_CONTAINER(window), view);
	gtk_box_pack_start(GTK_BOX(box), view, TRUE, TRUE, 0);
	g_object_unref(view);
	GtkWidget *grid = gtk_grid_new();
	gtk_grid_set_column_homogeneous(GTK_GRID(grid), TRUE);
	gtk_grid_set_row_homogeneous(GTK_GRID(grid), TRUE);
	gtk_style_context_add_class(gtk_widget_get_style_context(grid), "ck-osk");
	gtk_widget_set_no_show_all(grid, TRUE); // shown only while a field has the focus
	gtk_box_pack_end(GTK_BOX(box), grid, FALSE, FALSE, 0);
	gtk_container_add(GTK_CONTAINER(window), box);
	gtk_widget_show(view);
	gtk_widget_show(box);

	GtkCssProvider *p = gtk_css_provider_new();
	gtk_css_provider_load_from_data(p, css, -1, NULL);
	gtk_style_context_add_provider_for_screen(gtk_widget_get_screen(window), GTK_STYLE_PROVIDER(p),
		GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
	g_object_unref(p);
	return grid;
}

static void on_touch(GtkButton *b, gpointer id) { ckKeyboard(GPOINTER_TO_INT(id)); }

void ck_kbd_clear(GtkWidget *grid) {
	GList *keys = gtk_container_get_children(GTK_CONTAINER(grid));
	for (GList *k = keys; k; k = k->next) gtk_widget_destroy(GTK_WIDGET(k->data));
	g_list_free(keys);
}

// ck_kbd_key adds one key. It never takes the focus: the page's field keeps it, and the key
// events go there.
void ck_kbd_key(GtkWidget *grid, const char *label, const char *name, int id, int left, int top, int width, int special) {
	GtkWidget *b = gtk_button_new_with_label(label);
	gtk_widget_set_can_focus(b, FALSE);
	gtk_widget_set_focus_on_click(b, FALSE);
	gtk_widget_set_name(b, name);
	if (special) gtk_style_context_add_class(gtk_widget_get_style_context(b), "special");
	g_signal_connect(b, "clicked", G_CALLBACK(on_touch), GINT_TO_POINTER(id));
	gtk_grid_attach(GTK_GRID(grid), b, left, top, width, 1);
	gtk_widget_show_all(b);
}

void ck_kbd_show(GtkWidget *grid, int shown, int private) {
	GtkStyleContext *c = gtk_widget_get_style_context(grid);
	if (private) gtk_style_context_add_class(c, "private");
	else gtk_style_context_remove_class(c, "private");
	if (shown) gtk_widget_show(grid);
	else gtk_widget_hide(grid);
}

// ck_kbd_type presses and releases keyval as a physical key would: a key event of the window,
// which GTK gives the focused widget (the web view) and WebKit turns into the page's keydown,
// input and keyup, trusted, with the text of the keyval. Characters not on the keymap (ŵ on a US
// map) keep hardware keycode 0; GTK's simple input method commits their text all the same.
void ck_kbd_type(GtkWidget *window, guint keyval) {
	GdkWindow *gw = gtk_widget_get_window(window);
	if (!gw) return;
	GdkDisplay *dpy = gdk_window_get_display(gw);
	guint16 code = 0;
	guint8 group = 0;
	GdkModifierType state = 0;
	GdkKeymapKey *keys;
	gint n;
	if (gdk_keymap_get_entries_for_keyval(gdk_keymap_get_for_display(dpy), keyval, &keys, &n)) {
		code = keys[0].keycode;
		group = keys[0].group;
		if (keys[0].level == 1) state = GDK_SHIFT_MASK;
		g_free(keys);
	}
	GdkSeat *seat = gdk_display_get_default_seat(dpy);
	GdkDevice *kbd = seat ? gdk_seat_get_keyboard(seat) : NULL;
	GdkEventType types[] = {GDK_KEY_PRESS, GDK_KEY_RELEASE};
	for (int i = 0; i < 2; i++) {
		GdkEvent *e = gdk_event_new(types[i]);
		e->key.window = g_object_ref(gw);
		e->key.time = gtk_get_current_event_time();
		e->key.state = state;
		e->key.keyval = keyval;
		e->key.hardware_keycode = code;
		e->key.group = group;
		e->key.string = g_strdup("");
		if (kbd) gdk_event_set_device(e, kbd);
		gtk_main_do_event(e);
		gdk_event_free(e);
	}
}

guint ck_unicode_keyval(guint32 c) { return gdk_unicode_to_keyval(c); }

// ck_kbd_keys lists the keys drawn, one a line: "name x y width height", in the window's
// coordinates (for the tests, through the shell's read-ui answer). The caller frees it.
char *ck_kbd_keys(GtkWidget *grid) {
	GString *s = g_string_new("");
	GtkWidget *top = gtk_widget_get_toplevel(grid);
	GList *keys = gtk_container_get_children(GTK_CONTAINER(grid));
	for (GList *k = keys; k; k = k->next) {
		GtkWidget *b = GTK_WIDGET(k->data);
		GtkAllocation a;
		gint x, y;
		gtk_widget_get_allocation(b, &a);
		if (!gtk_widget_is_drawable(b) || !gtk_widget_translate_coordinates(b, top, 0, 0, &x, &y)) continue;
		g_string_append_printf(s, "%s %d %d %d %d\n", gtk_widget_get_name(b), x, y, a.width, a.height);
	}
	g_list_free(keys);
	return g_string_free(s, FALSE);
}
