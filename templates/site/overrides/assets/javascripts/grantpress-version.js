/*
 * grantpress: the version selector's button named by what it shows.
 *
 * Material writes the button as <button aria-label="Select version">2</button>:
 * its accessible name lacks its visible text, so a visitor who says "2" to a
 * voice control finds nothing (WCAG 2.5.3; axe-core: label-content-name-mismatch).
 * The name becomes the visible text followed by Material's label («2, Выберите
 * версию»). The selector is written after versions.json arrives, hence the observer.
 */
(function () {
  "use strict";
  function name(root) {
    root.querySelectorAll(".md-version__current[aria-label]:not([data-gp-named])").forEach(function (button) {
      var shown = button.textContent.replace(/\s+/g, " ").trim();
      button.setAttribute("aria-label", shown + ", " + button.getAttribute("aria-label"));
      button.setAttribute("data-gp-named", "");
    });
  }
  new MutationObserver(function () { name(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
  name(document);
})();
