// focus.js: runs in the kiosk's isolated script world in every frame (iframes too) while the
// on-screen keyboard is on. It tells the shell when a field a patient types into takes the focus
// — and whether it is a password field — and when the focus leaves it; and it keeps the focused
// field in sight when the page area shrinks above the keyboard. The listeners are added at
// document start, before any page script, so a page can't stop them.
(() => {
  const post = (m) => window.webkit.messageHandlers.carekiosk.postMessage(JSON.stringify(m));
  const notText = /^(button|checkbox|color|file|hidden|image|radio|range|reset|submit)$/;
  const deepFocus = () => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a;
  };
  const typedInto = (el) => !!el && !el.disabled && !el.readOnly &&
    (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && !notText.test(el.type)) || el.isContentEditable);
  window.addEventListener("focusin", () => {
    const a = deepFocus();
    // The kiosk's own prompts, in its closed shadow root, report their fields themselves (kiosk.js).
    if (a && a.localName !== "carekiosk-ui" && typedInto(a)) post({ ev: "field", name: a.type === "password" ? "password" : "text" });
  }, true);
  window.addEventListener("focusout", () => post({ ev: "field", name: "" }), true);
  window.addEventListener("resize", () => {
    const a = document.activeElement; // in the top frame, the iframe that holds the field
    if (!a || a === document.body || a.localName === "carekiosk-ui") return;
    const r = a.getBoundingClientRect();
    if (r.top < 0 || r.bottom > innerHeight) a.scrollIntoView({ block: "center" });
  });
})();
