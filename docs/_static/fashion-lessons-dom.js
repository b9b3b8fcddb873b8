// Fashion Lessons: the DOM helpers both widgets share (the prediction widget and the
// optimizer explorer). Loaded before either, on the pages that have one; it adds
// window.fashionLessons.dom = { element, onReady, radioGroup }.
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

  // radioGroup("Optimizer", "w1-optimizer", "w1-", { sgd: "SGD", adam: "Adam" }): a
  // fieldset with that legend and one labelled radio button per option (the button's id is
  // the prefix and the option's key); returns { fieldset, inputs: { key: button } }.
  function radioGroup(legend, name, idPrefix, labels) {
    const fieldset = element("fieldset", { className: "fl-optimizers" }, [
      element("legend", { text: legend }),
    ]);
    const inputs = {};
    for (const [key, label] of Object.entries(labels)) {
      const input = element("input", { type: "radio", name: name, id: idPrefix + key, value: key });
      inputs[key] = input;
      fieldset.append(
        element("span", { className: "fl-radio" }, [
          input,
          element("label", { for: input.id, text: label }),
        ])
      );
    }
    return { fieldset: fieldset, inputs: inputs };
  }

  // Run start() once the page's elements exist (now, if they already do).
  function onReady(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  api.dom = { element: element, onReady: onReady, radioGroup: radioGroup };
})();
