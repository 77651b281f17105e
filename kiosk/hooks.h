// hooks.h: the GTK/WebKit side of the shell. Everything here runs on the GTK thread.
#ifndef CAREKIOSK_HOOKS_H
#define CAREKIOSK_HOOKS_H

#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

// The isolated script world the kiosk's own UI lives in: page scripts cannot see it.
#define CK_WORLD "carekiosk"

int ck_gtk_init(void);
WebKitWebView *view_of(GtkWidget *window);
int ck_sandbox(void);
GtkWidget *ck_window_new(int windowed, int width, int height);
// What ckKey tells on_key to do with a key press.
enum { CK_KEY_PASS, CK_KEY_SWALLOW, CK_KEY_ZOOM_IN, CK_KEY_ZOOM_OUT, CK_KEY_ZOOM_RESET };

// ck_setup returns 0 if WebKit's preconnect can't be turned off: then nothing may load.
int ck_setup(GtkWidget *window, const char *script, const char *lockdown, const char *rules, const char *filter_dir, int printing, int accelerated);
void ck_show(GtkWidget *window);
int ck_standby(GtkWidget *window, int offscreen);
void ck_raise(GtkWidget *window);
void ck_hide(GtkWidget *window);
int ck_trust(GtkWidget *window, const char *pem, const char *host);
void ck_eval(GtkWidget *window, const char *js);
void ck_load_uri(GtkWidget *window, const char *uri);
void ck_load_html(GtkWidget *window, const char *html);
void ck_auth_answer(GtkWidget *window, const char *user, const char *password);

// The on-screen keyboard (keyboard.c).
GtkWidget *ck_kbd_new(GtkWidget *window);
void ck_kbd_clear(GtkWidget *grid);
void ck_kbd_key(GtkWidget *grid, const char *label, const char *name, int id, int left, int top, int width, int special);
void ck_kbd_show(GtkWidget *grid, int shown, int private);
void ck_kbd_type(GtkWidget *window, guint keyval);
guint ck_unicode_keyval(guint32 c);
char *ck_kbd_keys(GtkWidget *grid);

#endif
