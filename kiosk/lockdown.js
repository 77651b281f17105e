// lockdown.js: runs in the kiosk's isolated script world on every page of a session. It makes
// "remember me" impossible: such boxes are unticked and disabled, and stay so whatever the page
// does. A disabled box is not submitted, so the provider never hears "remember me".
(() => {
  const remember = /remember|keep me|stay (signed|logged)|trust this (device|computer|browser)|don.?t ask again/i;
  const labelText = (box) => {
    const texts = [box.name, box.id, box.getAttribute("aria-label") || "", box.title];
    for (const l of box.labels || []) texts.push(l.textContent);
    return texts.join(" ");
  };
  const defeat = () => {
    for (const box of document.querySelectorAll('input[type="checkbox"]')) {
      if (remember.test(labelText(box)) && !(box.disabled && !box.checked)) {
        box.checked = false;
        box.disabled = true;
      }
    }
    for (const f of document.querySelectorAll("form, input")) {
      if (f.getAttribute("autocomplete") !== "off") f.setAttribute("autocomplete", "off");
    }
  };
  const start = () => {
    defeat();
    new MutationObserver(defeat).observe(document.documentElement, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["checked", "disabled", "autocomplete"],
    });
    document.addEventListener("change", defeat, true);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
