// kiosk.js: draws the kiosk's own UI — its screens, the kiosk bar, warnings — over whatever page
// the shell shows. It runs in an isolated script world: page scripts can neither see it nor post
// to its message handler, and its closed shadow root keeps page styles and scripts out.
// CK_CSS is prepended by the supervisor.
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
  bar.className = "bar";
  warning.className = "warning";
  root.append(screen, bar, warning);
  host.style.cssText = "all:initial;position:fixed;inset:0;z-index:2147483647;pointer-events:none";

  // Keep the UI in the document, whatever the page does to it.
  const mount = () => {
    const at = document.documentElement;
    if (at && host.parentNode !== at) at.appendChild(host);
  };
  new MutationObserver(mount).observe(document, { childList: true, subtree: true });
  mount();

  const fill = (el, html) => {
    el.innerHTML = html || "";
    el.hidden = !html;
  };

  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    for (const el of root.querySelectorAll("[data-until]")) {
      const s = Math.max(0, Math.ceil((Number(el.dataset.until) - Date.now()) / 1000));
      el.textContent = Math.floor(s / 60) + ":" + pad(s % 60);
    }
  };
  setInterval(tick, 250);

  root.addEventListener("click", (e) => {
    const b = e.target.closest("[data-action]");
    if (b) post({ ev: "button", name: b.dataset.action });
  });

  window.__carekiosk = {
    render(ui) {
      mount();
      fill(screen, ui.html);
      fill(bar, ui.screen ? "" : ui.bar);
      fill(warning, ui.warning);
      tick();
      if (ui.focus) {
        const f = root.querySelector('[data-action="' + ui.focus + '"]');
        if (f) f.focus();
      }
      const name = ui.screen || (ui.warning ? "warning" : "session");
      requestAnimationFrame(() => requestAnimationFrame(() => post({ ev: "shown", screen: name })));
    },
  };
  post({ ev: "hello" });
})();
