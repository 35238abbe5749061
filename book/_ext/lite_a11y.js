// Added to the JupyterLite copy's pages by lite_copy.py. JupyterLab's toolbar buttons
// (<jp-button>) put aria-pressed on the custom element itself, which has no button role, so the
// attribute is not allowed there (WCAG 4.1.2, axe rule aria-allowed-attr). Move it to the real
// <button> inside the element's shadow root, where it belongs, whenever JupyterLab sets it.
(() => {
  const move = () => {
    for (const host of document.querySelectorAll("jp-button[aria-pressed]")) {
      const button = host.shadowRoot && host.shadowRoot.querySelector("button");
      if (!button) continue;
      button.setAttribute("aria-pressed", host.getAttribute("aria-pressed"));
      host.removeAttribute("aria-pressed");
    }
  };
  new MutationObserver(move).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-pressed"],
  });
})();
