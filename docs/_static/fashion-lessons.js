// Fashion Lessons: fixes to what the theme and docutils write.

// A first visit's colour mode. pydata-sphinx-theme's inline script in <head> sets
// <html data-mode> and data-theme from localStorage, which is empty on a first visit,
// else from the Jinja variable `default_mode`, which sphinx-book-theme never sets: both
// end up "". The theme's deferred script then logs "Got invalid theme mode: ." as a
// console error before it falls back to "auto", and until it runs no colour rules
// apply. This file loads (synchronously, in <head>) before that script and before the
// first paint: follow the system's scheme, as the theme means to. (Setting
// html_context["default_mode"] = "auto" in conf.py would also silence the error, but
// would write data-theme="auto" into the HTML, which leaves pages without JavaScript
// with no colours at all instead of the light theme.)
(() => {
  const root = document.documentElement;
  if (!["light", "dark", "auto"].includes(root.dataset.mode)) {
    root.dataset.mode = "auto";
  }
  if (!["light", "dark"].includes(root.dataset.theme)) {
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    root.dataset.theme = dark ? "dark" : "light";
  }
})();

// Accessibility fixes.
document.addEventListener("DOMContentLoaded", () => {
  // docutils marks bibliography entries role="doc-biblioentry" inside role="list",
  // a combination screen readers and axe reject: they are list items.
  document.querySelectorAll('.citation-list > [role="doc-biblioentry"]').forEach((entry) => {
    entry.setAttribute("role", "listitem");
  });
  // The search buttons show "Search Ctrl+K" but are labelled just "Search": let
  // their accessible name come from what they show.
  document.querySelectorAll("button.search-button-field[aria-label]").forEach((button) => {
    button.removeAttribute("aria-label");
  });
});
