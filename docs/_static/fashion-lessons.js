// Fashion Lessons: accessibility fixes to markup the theme and docutils write.
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
