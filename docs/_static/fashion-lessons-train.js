// Fashion Lessons: the training widget's loader, the only part of it a page loads at once.
//
// The widget is a <details> element marked data-fashion-lessons-train. When the reader
// opens it, this loads its style sheet and scripts (the DOM helpers, the network of
// fashion-lessons-mlp.js and the widget, fashion-lessons-trainer.js), which then load
// the images; a page that is only read loads none of them. The build passes each
// file's checksum in data-versions, so a browser never runs an old copy.
//
// window.fashionLessons.train(options) loads the same files and trains without the
// widget: see fashion-lessons-trainer.js.
(function () {
  "use strict";

  const api = (window.fashionLessons = window.fashionLessons || {});
  const loader = document.currentScript;
  const versions = JSON.parse(loader.dataset.versions || "{}");
  const STYLES = ["fashion-lessons-widgets.css"];
  const SCRIPTS = [
    "fashion-lessons-dom.js",
    "fashion-lessons-mlp.js",
    "fashion-lessons-trainer.js",
  ];

  // A file beside this one (in _static), from a server or from disk alike.
  function url(name) {
    const address = new URL(name, loader.src);
    if (versions[name]) address.search = "?v=" + versions[name];
    return address.href;
  }

  // Add a <link> or <script> for `name` unless the page has one; resolves once it loaded.
  function add(name) {
    const href = url(name).split("?")[0];
    const style = name.endsWith(".css");
    const present = Array.from(document.querySelectorAll(style ? "link" : "script")).some(
      (e) => (style ? e.href : e.src).split("?")[0] === href
    );
    if (present) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const e = document.createElement(style ? "link" : "script");
      if (style) {
        e.rel = "stylesheet";
        e.href = url(name);
      } else {
        e.src = url(name);
        e.async = false; // run in the order added
      }
      e.onload = () => resolve();
      e.onerror = () => reject(new Error("could not load " + name));
      document.head.append(e);
    });
  }

  api.trainerAssets = { url: url, data: "fashion-lessons/fashion-lessons-train-data.js" };

  let loading = null;
  function load() {
    if (!loading) {
      loading = Promise.all(STYLES.concat(SCRIPTS).map(add)).then(() => api.trainer);
      loading.catch(() => (loading = null)); // a later attempt tries again
    }
    return loading;
  }

  api.loadTrainer = load;
  api.train = (options) => load().then((trainer) => trainer.train(options));

  function open(root) {
    if (!root.open) return;
    load().then(
      (trainer) => trainer.mount(root),
      (error) => {
        const note = document.createElement("p");
        note.className = "fl-error";
        note.textContent = "The training widget did not load (" + error.message + ").";
        root.append(note);
      }
    );
  }

  function start() {
    document.querySelectorAll("[data-fashion-lessons-train]").forEach((root) => {
      root.addEventListener("toggle", () => open(root));
      open(root);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
