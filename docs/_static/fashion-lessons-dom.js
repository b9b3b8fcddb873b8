// Fashion Lessons: the DOM helpers both widgets share (the prediction widget and the
// optimizer explorer). Loaded before either, on the pages that have one; it adds
// window.fashionLessons.dom = { element, onReady }.
(function () {
  "use strict";

  const api = (window.fashionLessons = window.fashionLessons || {});

  // element("p", { className: "x", text: "hello", "aria-live": "polite" }, [children]):
  // a new element with its attributes ("text" sets the text, "className" the class)
  // and its children appended in order.
  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  // Run start() once the page's elements exist (now, if they already do).
  function onReady(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  api.dom = { element: element, onReady: onReady };
})();
