// Boxes that scroll sideways (a wide equation, figure, table or output on a phone) must be
// reachable from the keyboard (WCAG 2.1.1, axe rule scrollable-region-focusable): each one that
// actually scrolls gets tabindex="0", so Tab stops on it and the arrow keys scroll it.
(() => {
  const BOXES = 'mjx-container[display="true"], div.math, div.cell_output, figure, .bd-content table, pre';
  const mark = () => {
    for (const box of document.querySelectorAll(BOXES)) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    }
  };
  window.addEventListener("load", () => {
    mark();
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) MathJax.startup.promise.then(mark);
  });
  window.addEventListener("resize", mark);
})();

// MathJax's TeX input reads \text{...} as plain characters, so \text{fan\_in} showed a stray
// backslash. Its textmacros package (bundled with the site's MathJax) reads TeX's text-mode
// escapes there. This file runs after the page's MathJax settings and before the deferred
// MathJax script reads them, so it adds the package to those settings.
(() => {
  const config = (window.MathJax = window.MathJax || {});
  if (config.version) return; // MathJax is already running: too late to configure
  config.loader = config.loader || {};
  config.loader.load = [...(config.loader.load || []), "[tex]/textmacros"];
  config.tex = config.tex || {};
  config.tex.packages = { "[+]": ["textmacros"] };
})();
