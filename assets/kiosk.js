// kiosk.js: draws the kiosk's own UI — its screens, the kiosk bar, warnings and prompts — over
// whatever page the shell shows. It runs in an isolated script world: page scripts can neither
// see it nor post to its message handler, and its closed shadow root keeps page styles and
// scripts out. A hostile page can still see the host element in the DOM, so the script keeps it
// mounted, styled, on top and out of reach: see keep() below. CK_CSS is prepended by the
// supervisor.
(() => {
  if (window.top !== window) return;
  const post = (m) => window.webkit.messageHandlers.carekiosk.postMessage(JSON.stringify(m));
  const host = document.createElement("carekiosk-ui");
  const root = host.attachShadow({ mode: "closed" });
  // A constructed style sheet: a page's Content-Security-Policy can't block it.
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(CK_CSS);
  root.adoptedStyleSheets = [sheet];
  const screen = document.createElement("div");
  const bar = document.createElement("div");
  const warning = document.createElement("div");
  screen.className = "screen";
  screen.setAttribute("role", "main");
  bar.className = "bar";
  warning.className = "warning";
  root.append(screen, bar, warning);

  // Inline !important declarations beat every page style sheet, even !important ones. They are
  // set through the CSSOM: a page's CSP that forbids style attributes does not apply to it.
  const HOST_STYLE = Object.entries({
    display: "block", position: "fixed", inset: "0px", width: "auto", height: "auto",
    "min-width": "0px", "min-height": "0px", "max-width": "none", "max-height": "none",
    margin: "0px", padding: "0px", border: "0px none", overflow: "visible", background: "transparent",
    "z-index": "2147483647", "pointer-events": "none", visibility: "visible", opacity: "1",
    filter: "none", "backdrop-filter": "none", transform: "none", scale: "none", rotate: "none",
    translate: "none", "clip-path": "none", mask: "none", contain: "none", zoom: "1",
    "content-visibility": "visible", "mix-blend-mode": "normal",
  });
  const styleHost = () => {
    const s = host.style;
    for (const [p, v] of HOST_STYLE) {
      if (s.getPropertyValue(p) !== v || s.getPropertyPriority(p) !== "important") s.setProperty(p, v, "important");
    }
  };
  // The host is a manual popover: the top layer is above any z-index a page can use.
  host.popover = "manual";
  let mounted = false;

  // keep puts the UI back the way it must be: the last child of <html>, styled as above, shown
  // in the top layer above anything the page put there, never inert. Pages can move, restyle or
  // cover it; each time, the observers below call keep again.
  let keeping = false;
  const keep = () => {
    if (keeping) return;
    keeping = true;
    try {
      const at = document.documentElement;
      if (at && (host.parentNode !== at || host.nextSibling)) at.appendChild(host);
      styleHost();
      for (const a of [...host.attributes]) if (a.name !== "style" && a.name !== "popover") host.removeAttribute(a.name);
      if (host.popover !== "manual") host.popover = "manual";
      if (at && at.inert) at.inert = false;
      if (host.isConnected) {
        // A page's modal dialog would make the kiosk's buttons inert: keep it open, not modal.
        for (const d of document.querySelectorAll("dialog:modal")) { d.close(); d.show(); }
        const others = [...document.querySelectorAll(":popover-open")].filter((e) => e !== host);
        if (!host.matches(":popover-open") || others.length || document.fullscreenElement) {
          if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
          if (host.matches(":popover-open")) host.hidePopover();
          host.showPopover();
        }
        mounted = true;
      }
    } catch (e) {
      // keep again at the next tick
    } finally {
      keeping = false;
    }
  };
  // Watch only what can hide the UI (its host, <html>, the top layer); the tick catches the rest.
  let watched = null;
  const track = () => {
    const at = document.documentElement;
    if (at && at !== watched) {
      watched = at;
      watch.observe(at, { childList: true, attributes: true, attributeFilter: ["inert"] });
    }
    keep();
  };
  const watch = new MutationObserver(track);
  watch.observe(document, { childList: true });
  watch.observe(host, { attributes: true });
  document.addEventListener("toggle", keep, true);
  track();

  const fill = (el, html) => {
    el.innerHTML = html || "";
    el.hidden = !html;
  };

  const pad = (n) => String(n).padStart(2, "0");
  let lang = "en";
  const tick = () => {
    keep();
    for (const el of root.querySelectorAll("[data-until]")) {
      const s = Math.max(0, Math.ceil((Number(el.dataset.until) - Date.now()) / 1000));
      el.textContent = Math.floor(s / 60) + ":" + pad(s % 60);
    }
    const now = new Date();
    for (const el of root.querySelectorAll("[data-clock]")) el.textContent = pad(now.getHours()) + ":" + pad(now.getMinutes());
    for (const el of root.querySelectorAll("[data-date]")) {
      el.textContent = now.toLocaleDateString(lang + "-GB", { weekday: "long", day: "numeric", month: "long" });
    }
    checkPassword();
  };
  setInterval(tick, 250);

  // Buttons: only a real touch, click or key press counts, never a page's synthetic event.
  root.addEventListener("click", (e) => {
    const b = e.isTrusted && e.target.closest("[data-action]");
    if (b) post({ ev: "button", name: b.dataset.action });
  });

  // The sign-in prompt (a site's HTTP authentication): the patient's own submit sends the name
  // and password to the shell, which answers the site with them and tells no one else.
  root.addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    if (!e.isTrusted || f.dataset.form !== "auth") return;
    post({ ev: "auth", user: f.elements.user.value, password: f.elements.password.value });
    f.reset();
  });

  // The password reminder: report when a password field takes focus. The listener is added at
  // document start, before any page script, so a page can't stop it; the tick checks as well.
  let onPassword = false;
  const deepFocus = () => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a;
  };
  function checkPassword() {
    const a = deepFocus();
    const now = !!a && a.tagName === "INPUT" && a.type === "password";
    if (now && !onPassword) post({ ev: "password" });
    onPassword = now;
  }
  window.addEventListener("focusin", checkPassword, true);
  // The on-screen keyboard (if the unit has one) comes up for the kiosk's own fields too, such
  // as the sign-in prompt's; page fields report themselves (focus.js).
  root.addEventListener("focusin", (e) => {
    if (e.target.tagName === "INPUT") post({ ev: "field", name: e.target.type === "password" ? "password" : "text" });
  });
  root.addEventListener("focusout", (e) => {
    if (e.target.tagName === "INPUT") post({ ev: "field", name: "" });
  });

  // While a kiosk screen or dialog covers the page, the page is inert (no focus, no screen
  // reader), and the page's focus comes back when the patient answers.
  let covered = false;
  let pageFocus = null;
  const cover = (on) => {
    const body = document.body;
    if (on && !covered) {
      const a = document.activeElement;
      pageFocus = a && a !== host && a !== body ? a : null;
      if (body) body.inert = true;
    } else if (!on && covered) {
      if (body) body.inert = false;
      if (pageFocus && pageFocus.isConnected) pageFocus.focus();
      pageFocus = null;
    }
    covered = on;
  };

  let shown = "";
  window.__carekiosk = {
    render(ui) {
      keep();
      lang = ui.lang || "en";
      for (const el of [screen, bar, warning]) el.lang = lang;
      screen.className = "screen" + (ui.screen ? " s-" + ui.screen : "");
      fill(screen, ui.html);
      fill(bar, ui.screen ? "" : ui.bar);
      fill(warning, ui.warning);
      cover(!!(ui.html || ui.warning));
      tick();
      if (ui.focus) {
        // The dialog's button first: the bar may have one of the same name under it.
        const sel = '[data-action="' + ui.focus + '"], [data-field="' + ui.focus + '"]';
        const f = warning.querySelector(sel) || screen.querySelector(sel) || bar.querySelector(sel);
        if (f) f.focus();
      }
      shown = ui.screen || ui.prompt || "session";
      requestAnimationFrame(() => requestAnimationFrame(() => post({ ev: "shown", screen: shown })));
    },
    // reshown reports the screen again once painted: a standby window that drew it off the
    // screen has just been brought on.
    reshown() {
      requestAnimationFrame(() => requestAnimationFrame(() => post({ ev: "shown", screen: shown })));
    },
    // readUI reports the kiosk's own text and buttons (for tests): only this shadow root, never
    // the page's content.
    readUI() {
      const visible = (el) => !el.hidden && el.getClientRects().length > 0;
      const parts = [screen, bar, warning].filter(visible).map((el) => el.innerText);
      // Buttons, and the fields a prompt may put the focus in (data-field).
      const buttons = [...root.querySelectorAll("button, [data-field]")].filter(visible).map((b) => {
        const r = b.getBoundingClientRect();
        return { action: b.dataset.action || b.dataset.field, text: b.innerText, x: r.x, y: r.y, w: r.width, h: r.height, focused: root.activeElement === b };
      });
      const qrs = [...root.querySelectorAll("svg.qr")].map((q) => q.getAttribute("aria-label"));
      // The colours of every piece of the kiosk's text, with the background it sits on, for
      // contrast checks.
      const background = (el) => {
        for (; el && el !== root; el = el.parentNode) {
          const c = getComputedStyle(el).backgroundColor;
          if (!/^rgba\(.*, 0\)$|transparent/.test(c)) return c;
        }
        return "rgb(255, 255, 255)";
      };
      const colours = [...root.querySelectorAll("*")].filter((el) => visible(el) &&
        [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())).map((el) => {
        const s = getComputedStyle(el);
        return { text: el.innerText.slice(0, 40), fg: s.color, bg: background(el), size: parseFloat(s.fontSize), weight: Number(s.fontWeight) };
      });
      post({ ev: "ui-text", detail: JSON.stringify({ screen: shown, lang, text: parts.join("\n"), buttons, qrs, colours, mounted, width: innerWidth, height: innerHeight,
        barHeight: bar.hidden ? 0 : bar.getBoundingClientRect().height }) });
    },
  };
  post({ ev: "hello" });
})();
