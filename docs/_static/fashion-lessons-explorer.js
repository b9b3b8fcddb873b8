// Fashion Lessons: the optimizer explorer.
//
// Paths of five optimizers on the two loss surfaces of the optimizers chapter,
// drawn live on a contour plot. The surfaces and the update rules are those of
// fashion_lessons/surfaces.py and optimizers.py (Keras 3's rules), operation for operation, so a
// path here is the path trajectory() computes there:
//
//   quadratic(x, y)  = 0.5 * (x**2 + QUADRATIC_STEEPNESS * y**2), QUADRATIC_STEEPNESS = 10
//   rosenbrock(x, y) = (a - x)**2 + b * (y - x**2)**2, a = 1, b = 100
//   gd        p -= g * lr
//   momentum  v = v * mu - g * lr;  p += v
//   nesterov  v = v * mu - g * lr;  p += v * mu - g * lr
//   rmsprop   s = rho * s + (1 - rho) * g**2;  p -= lr * g / sqrt(s + eps)   (eps inside)
//   adam      m += (g - m) * (1 - beta1);  v += (g**2 - v) * (1 - beta2)
//             alpha = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
//             p -= m * alpha / (sqrt(v) + eps)                           (epsilon hat)
//
// Like Keras, lr, mu and the betas in beta**t pass through float32 (Math.fround).
//
// Every element marked data-fashion-lessons-explorer becomes an explorer;
// data-surface ("quadratic" or "rosenbrock") and data-optimizer ("gd", "momentum",
// "nesterov", "rmsprop", "adam") choose what it shows first. For tests:
// window.fashionLessons.explorer.trajectory(name, options) returns the path as
// [[x, y], ...], steps + 1 points, like trajectory() in Python; name is one of the five
// above (any case, "sgd" for "gd"); options: surface, learningRate, momentum, rho,
// beta1, beta2, epsilon, start [x, y], steps (defaults: the chapter's settings).
(function () {
  "use strict";

  const api = (window.fashionLessons = window.fashionLessons || {});
  const { element, onReady, radioGroup } = api.dom; // fashion-lessons-dom.js, loaded first

  // -- Surfaces (fashion_lessons.surfaces) ---------------------------------------------

  const QUADRATIC_STEEPNESS = 10.0;
  const ROSENBROCK_A = 1.0;
  const ROSENBROCK_B = 100.0;

  const SURFACES = {
    quadratic: {
      name: "elongated quadratic",
      formula: "f(x, y) = ½ (x² + 10 y²)",
      f: (x, y) => 0.5 * (x * x + QUADRATIC_STEEPNESS * y * y),
      grad: (x, y) => [x, QUADRATIC_STEEPNESS * y],
      start: [-4.0, 1.0],
      minimum: [0.0, 0.0],
      xlim: [-4.6, 1.6],
      ylim: [-1.3, 1.3],
      steps: 40,
      // The chapter's learning rates for this surface.
      settings: {
        gd: { learningRate: 0.12 },
        momentum: { learningRate: 0.12, momentum: 0.5 },
        nesterov: { learningRate: 0.12, momentum: 0.5 },
        rmsprop: { learningRate: 0.2 },
        adam: { learningRate: 0.3 },
      },
    },
    rosenbrock: {
      name: "Rosenbrock's valley",
      formula: "f(x, y) = (1 − x)² + 100 (y − x²)²",
      f: (x, y) => {
        const a = ROSENBROCK_A - x;
        const b = y - x * x;
        return a * a + ROSENBROCK_B * b * b;
      },
      grad: (x, y) => {
        const a = ROSENBROCK_A;
        const b = ROSENBROCK_B;
        return [-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)];
      },
      start: [-1.2, 1.0],
      minimum: [1.0, 1.0],
      xlim: [-1.5, 1.5],
      ylim: [-0.5, 1.5],
      steps: 1000,
      settings: {
        gd: { learningRate: 0.001 },
        momentum: { learningRate: 0.001, momentum: 0.9 },
        nesterov: { learningRate: 0.001, momentum: 0.9 },
        rmsprop: { learningRate: 0.005 },
        adam: { learningRate: 0.1 },
      },
    },
  };

  // Colours and line styles of fashion_lessons.plots.optimizer_style (Okabe-Ito).
  const OPTIMIZERS = {
    gd: { label: "Gradient descent", color: "#0072B2", dash: [] },
    momentum: { label: "Momentum", color: "#E69F00", dash: [9, 4] },
    nesterov: { label: "Nesterov", color: "#009E73", dash: [10, 3, 2, 3] },
    rmsprop: { label: "RMSprop", color: "#D55E00", dash: [2, 3] },
    adam: { label: "Adam", color: "#CC79A7", dash: [12, 3, 2, 3, 2, 3] },
  };
  // Brighter versions for a dark page, where the darkest of them would fade.
  const DARK_COLORS = { gd: "#3A9FE0" };

  // -- The update rules ----------------------------------------------------------

  function resolveOptions(name, options) {
    if (!(name in OPTIMIZERS)) {
      throw new Error("unknown optimizer " + name + "; one of " + Object.keys(OPTIMIZERS));
    }
    const o = Object.assign({ surface: "quadratic" }, options || {});
    const surface = SURFACES[o.surface];
    if (!surface) throw new Error("unknown surface " + o.surface);
    const chapter = surface.settings[name];
    const resolved = {
      surface: o.surface,
      learningRate: o.learningRate !== undefined ? o.learningRate : chapter.learningRate,
      momentum:
        o.momentum !== undefined
          ? o.momentum
          : chapter.momentum !== undefined
            ? chapter.momentum
            : 0,
      rho: o.rho !== undefined ? o.rho : 0.9,
      beta1: o.beta1 !== undefined ? o.beta1 : 0.9,
      beta2: o.beta2 !== undefined ? o.beta2 : 0.999,
      epsilon: o.epsilon !== undefined ? o.epsilon : 1e-7,
      start: o.start !== undefined ? o.start : surface.start,
      steps: o.steps !== undefined ? o.steps : surface.steps,
    };
    if (!(resolved.learningRate > 0)) {
      throw new Error("learning rate must be positive, got " + resolved.learningRate);
    }
    if (!(resolved.momentum >= 0 && resolved.momentum <= 1)) {
      throw new Error("momentum must be in [0, 1], got " + resolved.momentum);
    }
    if (!(Number.isInteger(resolved.steps) && resolved.steps >= 0)) {
      throw new Error("steps must be a whole number, got " + resolved.steps);
    }
    return resolved;
  }

  // One optimizer's step, updating the point p = [x, y] in place from its gradient g.
  function makeStep(name, o) {
    const lr = Math.fround(o.learningRate); // Keras keeps the learning rate in float32
    if (name === "gd" || ((name === "momentum" || name === "nesterov") && o.momentum === 0)) {
      // SGD without momentum keeps no velocity.
      return (p, g) => {
        for (let i = 0; i < 2; i++) p[i] -= g[i] * lr;
      };
    }
    if (name === "momentum" || name === "nesterov") {
      const mu = Math.fround(o.momentum);
      const v = [0, 0];
      const nesterov = name === "nesterov";
      return (p, g) => {
        for (let i = 0; i < 2; i++) {
          v[i] = v[i] * mu - g[i] * lr;
          if (nesterov) p[i] += v[i] * mu - g[i] * lr;
          else p[i] += v[i];
        }
      };
    }
    if (name === "rmsprop") {
      const rho = o.rho;
      const epsilon = o.epsilon;
      const s = [0, 0];
      return (p, g) => {
        for (let i = 0; i < 2; i++) {
          s[i] = rho * s[i] + (1 - rho) * (g[i] * g[i]);
          p[i] -= (lr * g[i]) / Math.sqrt(s[i] + epsilon); // epsilon inside the root
        }
      };
    }
    // Adam, in Keras's "epsilon hat" form.
    const beta1 = o.beta1;
    const beta2 = o.beta2;
    const beta1f = Math.fround(beta1);
    const beta2f = Math.fround(beta2);
    const epsilon = o.epsilon;
    const m = [0, 0];
    const v = [0, 0];
    let t = 0;
    return (p, g) => {
      t += 1;
      const beta1Power = Math.pow(beta1f, t);
      const beta2Power = Math.pow(beta2f, t);
      const alpha = (lr * Math.sqrt(1 - beta2Power)) / (1 - beta1Power);
      for (let i = 0; i < 2; i++) {
        m[i] += (g[i] - m[i]) * (1 - beta1);
        v[i] += (g[i] * g[i] - v[i]) * (1 - beta2);
        p[i] -= (m[i] * alpha) / (Math.sqrt(v[i]) + epsilon);
      }
    };
  }

  function trajectory(optimizer, options) {
    // Any case; "sgd" is gradient descent, as in the chapter's tables.
    const name = String(optimizer).toLowerCase() === "sgd" ? "gd" : String(optimizer).toLowerCase();
    const o = resolveOptions(name, options);
    const surface = SURFACES[o.surface];
    const step = makeStep(name, o);
    const p = [Number(o.start[0]), Number(o.start[1])];
    const path = [[p[0], p[1]]];
    for (let k = 1; k <= o.steps; k++) {
      step(p, surface.grad(p[0], p[1]));
      path.push([p[0], p[1]]);
    }
    return path;
  }

  // -- Contour lines (marching squares on log f) ----------------------------------------

  const contourCache = {};

  function contours(key) {
    if (contourCache[key]) return contourCache[key];
    const s = SURFACES[key];
    const nx = 180;
    const ny = 120;
    const xs = [];
    const ys = [];
    for (let i = 0; i <= nx; i++) xs.push(s.xlim[0] + ((s.xlim[1] - s.xlim[0]) * i) / nx);
    for (let j = 0; j <= ny; j++) ys.push(s.ylim[0] + ((s.ylim[1] - s.ylim[0]) * j) / ny);
    const values = [];
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j <= ny; j++) {
      const row = [];
      for (let i = 0; i <= nx; i++) {
        const v = s.f(xs[i], ys[j]);
        row.push(Math.log(Math.max(v, 1e-12)));
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      values.push(row);
    }
    // 14 levels spaced evenly in log f, as in the chapter's figures.
    const first = Math.log(Math.max(lo, 1e-3));
    const last = Math.log(hi);
    const levels = [];
    for (let k = 0; k < 14; k++) levels.push(first + ((last - first) * k) / 13);
    const segments = [];
    const cross = (a, b, va, vb, level) => a + ((b - a) * (level - va)) / (vb - va);
    for (const level of levels) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const v00 = values[j][i];
          const v10 = values[j][i + 1];
          const v01 = values[j + 1][i];
          const v11 = values[j + 1][i + 1];
          const points = [];
          if (v00 < level !== v10 < level) {
            points.push([cross(xs[i], xs[i + 1], v00, v10, level), ys[j]]);
          }
          if (v10 < level !== v11 < level) {
            points.push([xs[i + 1], cross(ys[j], ys[j + 1], v10, v11, level)]);
          }
          if (v01 < level !== v11 < level) {
            points.push([cross(xs[i], xs[i + 1], v01, v11, level), ys[j + 1]]);
          }
          if (v00 < level !== v01 < level) {
            points.push([xs[i], cross(ys[j], ys[j + 1], v00, v01, level)]);
          }
          if (points.length >= 2) segments.push(points[0], points[1]);
          if (points.length === 4) segments.push(points[2], points[3]);
        }
      }
    }
    contourCache[key] = segments;
    return segments;
  }

  function niceTicks(lo, hi) {
    const raw = (hi - lo) / 6;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= raw);
    const ticks = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
      ticks.push(Math.round(t / step) * step);
    }
    return ticks;
  }

  // A coordinate: four decimals, enough to see a path settle.
  function formatCoordinate(v) {
    if (!Number.isFinite(v)) return String(v);
    if (Math.abs(v) >= 1e4) return v.toExponential(2);
    return String(Number(v.toFixed(4)));
  }

  // A setting or a loss: three significant digits.
  function formatNumber(v) {
    if (!Number.isFinite(v)) return String(v);
    if (v === 0) return "0";
    const a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
    return String(Number(v.toPrecision(3)));
  }

  // -- The explorer -------------------------------------------------------------------

  let explorerCount = 0;

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  class Explorer {
    constructor(root) {
      this.root = root;
      this.id = "fl-explorer-" + ++explorerCount;
      const surface = root.dataset.surface in SURFACES ? root.dataset.surface : "quadratic";
      const optimizer = root.dataset.optimizer in OPTIMIZERS ? root.dataset.optimizer : "gd";
      this.state = { surface: surface, optimizer: optimizer };
      this.shown = 0; // points of the path drawn so far (animation)
      this.frame = null;
      this.build();
      this.applyChapterSettings(true);
      this.update({ animate: false });
      new MutationObserver(() => this.render()).observe(document.documentElement, {
        attributes: true,
        attributeFilter: ["data-theme", "data-mode"],
      });
      // Redraw the bitmap when the page reflows; the canvas's layout size never depends
      // on its bitmap, so this cannot loop.
      if (window.ResizeObserver) new ResizeObserver(() => this.render()).observe(this.canvas);
    }

    build() {
      const id = this.id;
      this.root.textContent = "";
      const field = (labelText, input, ...more) =>
        element("div", { className: "fl-field" }, [
          element("label", { for: input.id, text: labelText, className: "fl-field-name" }),
          input,
          ...more,
        ]);
      const number = (suffix, attributes) =>
        element("input", Object.assign({ type: "number", id: id + "-" + suffix }, attributes));

      this.surfaceSelect = element("select", { id: id + "-surface" });
      for (const [key, s] of Object.entries(SURFACES)) {
        const name = s.name.charAt(0).toUpperCase() + s.name.slice(1);
        this.surfaceSelect.append(element("option", { value: key, text: name }));
      }
      const labels = Object.fromEntries(Object.entries(OPTIMIZERS).map(([k, o]) => [k, o.label]));
      const optimizers = radioGroup("Optimizer", id + "-optimizer", id + "-opt-", labels);
      const optimizerField = optimizers.fieldset;
      this.radios = optimizers.inputs;
      this.lrBox = number("lr", { min: "0.00001", max: "10", step: "any" });
      this.lrSlider = element("input", {
        type: "range",
        id: id + "-lr-slider",
        min: "-4",
        max: "0.5",
        step: "0.01",
      });
      this.momentumBox = number("momentum", { min: "0", max: "1", step: "0.05" });
      this.momentumSlider = element("input", {
        type: "range",
        id: id + "-momentum-slider",
        min: "0",
        max: "0.99",
        step: "0.01",
      });
      this.momentumNote = element("span", {
        className: "fl-hint",
        id: id + "-momentum-note",
        text: "(momentum and Nesterov only)",
      });
      this.startX = number("x", { step: "0.1" });
      this.startY = number("y", { step: "0.1" });
      this.stepsBox = number("steps", { min: "1", max: "5000", step: "1" });
      this.compare = element("input", { type: "checkbox", id: id + "-compare" });
      this.replayButton = element("button", {
        type: "button",
        className: "fl-button",
        text: "Replay",
      });
      this.resetButton = element("button", {
        type: "button",
        className: "fl-button",
        text: "Chapter's settings",
      });

      this.lrSlider.setAttribute("aria-label", "Learning rate, on a log scale");
      this.momentumSlider.setAttribute("aria-label", "Momentum");
      const controls = element("div", { className: "fl-explorer-controls" }, [
        element("div", {}, [
          field("Loss surface", this.surfaceSelect),
          optimizerField,
          element("div", { className: "fl-field fl-check" }, [
            this.compare,
            element("label", {
              for: this.compare.id,
              text: "Also show the other optimizers, with the chapter's settings",
            }),
          ]),
        ]),
        element("div", {}, [
          field("Learning rate", this.lrBox, this.lrSlider),
          field("Momentum", this.momentumBox, this.momentumSlider, this.momentumNote),
          field("Start x", this.startX),
          field("Start y", this.startY),
          field("Steps", this.stepsBox),
          element("div", { className: "fl-buttons" }, [this.replayButton, this.resetButton]),
          (this.error = element("p", { className: "fl-error", role: "alert" })),
        ]),
      ]);

      this.canvas = element("canvas", {
        className: "fl-explorer-canvas",
        tabindex: "0",
        role: "img",
        "aria-describedby": id + "-canvas-hint",
      });
      this.hint = element("p", {
        className: "fl-hint",
        id: id + "-canvas-hint",
        text:
          "Click the plot to start from there, or focus it and move the start with the " +
          "arrow keys (Shift for larger moves); Enter replays.",
      });
      this.legend = element("ul", { className: "fl-legend", "aria-label": "Paths shown" });
      this.status = element("p", {
        className: "fl-status",
        role: "status",
        "aria-live": "polite",
        "aria-atomic": "true",
      });
      const figure = element("div", { className: "fl-explorer-plot" }, [
        this.canvas,
        this.legend,
        this.status,
        this.hint,
      ]);
      this.root.append(element("div", { className: "fl-explorer-layout" }, [figure, controls]));

      this.surfaceSelect.addEventListener("change", () => {
        this.state.surface = this.surfaceSelect.value;
        this.applyChapterSettings(true);
        this.update({ animate: true });
      });
      for (const radio of Object.values(this.radios)) {
        radio.addEventListener("change", () => {
          this.state.optimizer = radio.value;
          this.applyChapterSettings(false);
          this.update({ animate: true });
        });
      }
      this.lrSlider.addEventListener("input", () => {
        this.lrBox.value = formatNumber(Math.pow(10, Number(this.lrSlider.value)));
        this.update({ animate: false });
      });
      this.momentumSlider.addEventListener("input", () => {
        this.momentumBox.value = this.momentumSlider.value;
        this.update({ animate: false });
      });
      for (const box of [this.lrBox, this.momentumBox, this.startX, this.startY, this.stepsBox]) {
        box.addEventListener("input", () => this.update({ animate: false }));
      }
      this.compare.addEventListener("change", () => this.update({ animate: false }));
      this.replayButton.addEventListener("click", () => this.update({ animate: true }));
      this.resetButton.addEventListener("click", () => {
        this.applyChapterSettings(true);
        this.update({ animate: true });
      });
      this.canvas.addEventListener("click", (event) => this.clickStart(event));
      this.canvas.addEventListener("keydown", (event) => this.keyStart(event));
    }

    // The chapter's learning rate (and momentum) for this surface and optimizer;
    // with `all`, also its start point and number of steps.
    applyChapterSettings(all) {
      const surface = SURFACES[this.state.surface];
      const chapter = surface.settings[this.state.optimizer];
      this.surfaceSelect.value = this.state.surface;
      this.radios[this.state.optimizer].checked = true;
      this.lrBox.value = String(chapter.learningRate);
      this.momentumBox.value = String(chapter.momentum !== undefined ? chapter.momentum : 0.9);
      if (all) {
        this.startX.value = String(surface.start[0]);
        this.startY.value = String(surface.start[1]);
        this.stepsBox.value = String(surface.steps);
      }
    }

    // Read the controls; null (with a message) if one of them is not a valid number.
    readOptions() {
      const problems = [];
      const read = (box, what, ok) => {
        const v = box.value.trim() === "" ? NaN : Number(box.value);
        const valid = Number.isFinite(v) && ok(v);
        box.setAttribute("aria-invalid", valid ? "false" : "true");
        if (!valid) problems.push(what);
        return v;
      };
      const options = {
        surface: this.state.surface,
        learningRate: read(this.lrBox, "a learning rate above 0", (v) => v > 0),
        momentum: read(this.momentumBox, "a momentum from 0 to 1", (v) => v >= 0 && v <= 1),
        start: [read(this.startX, "a start x", () => true), read(this.startY, "a start y", () => true)],
        steps: read(
          this.stepsBox,
          "a whole number of steps from 1 to 5000",
          (v) => Number.isInteger(v) && v >= 1 && v <= 5000
        ),
      };
      this.error.textContent = problems.length ? "Enter " + problems.join(", ") + "." : "";
      return problems.length ? null : options;
    }

    update(how) {
      const momentumUsed = this.state.optimizer === "momentum" || this.state.optimizer === "nesterov";
      this.momentumBox.disabled = !momentumUsed;
      this.momentumSlider.disabled = !momentumUsed;
      this.momentumNote.hidden = momentumUsed;
      const options = this.readOptions();
      if (options === null) return;
      this.lrSlider.value = String(Math.log10(options.learningRate));
      this.lrSlider.setAttribute("aria-valuetext", formatNumber(options.learningRate));
      this.momentumSlider.value = String(options.momentum);
      this.options = options;
      this.paths = [];
      const names = this.compare.checked ? Object.keys(OPTIMIZERS) : [this.state.optimizer];
      for (const name of names) {
        const own = name === this.state.optimizer;
        const o = own
          ? options
          : Object.assign({}, SURFACES[options.surface].settings[name], {
              surface: options.surface,
              start: options.start,
              steps: options.steps,
            });
        this.paths.push({ name: name, own: own, options: o, points: trajectory(name, o) });
      }
      // The selected optimizer last, drawn on top of the others.
      this.paths.sort((a, b) => a.own - b.own);
      this.describe();
      if (this.frame !== null) cancelAnimationFrame(this.frame);
      this.frame = null;
      const total = options.steps + 1;
      if (!how.animate || reducedMotion()) {
        this.shown = total;
        this.render();
        return;
      }
      const duration = Math.min(2500, 60 * options.steps + 300);
      const began = performance.now();
      const tick = (now) => {
        this.shown = Math.max(1, Math.min(total, Math.ceil((total * (now - began)) / duration)));
        this.render();
        this.frame = this.shown < total ? requestAnimationFrame(tick) : null;
      };
      this.shown = 1;
      this.frame = requestAnimationFrame(tick);
    }

    settingsText(path) {
      return (
        OPTIMIZERS[path.name].label + " (learning rate " + formatNumber(path.options.learningRate) +
        (path.name === "momentum" || path.name === "nesterov"
          ? ", momentum " + formatNumber(path.options.momentum)
          : "") +
        ")"
      );
    }

    // Where a path ends: "after 40 steps at (x, y), loss L", or where it blew up.
    outcome(path) {
      const s = SURFACES[path.options.surface];
      const points = path.points;
      const steps = points.length - 1;
      const broken = points.findIndex((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1]));
      if (broken >= 0) return "diverged: its numbers overflowed at step " + broken;
      const [x, y] = points[steps];
      const outside =
        x < s.xlim[0] || x > s.xlim[1] || y < s.ylim[0] || y > s.ylim[1] ? ", off the plot" : "";
      return (
        "after " + steps + " steps at (" + formatCoordinate(x) + ", " + formatCoordinate(y) +
        ")" + outside + ", loss " + formatNumber(s.f(x, y))
      );
    }

    summary(path) {
      return this.settingsText(path) + ": " + this.outcome(path) + ".";
    }

    describe() {
      const s = SURFACES[this.options.surface];
      const own = this.paths[this.paths.length - 1];
      const outcome = this.outcome(own);
      const diverged = outcome.startsWith("diverged");
      this.status.textContent = OPTIMIZERS[own.name].label + (diverged ? " " : ": ") + outcome + ".";
      this.canvas.setAttribute(
        "aria-label",
        "Contour plot of the " + s.name + ", " + s.formula + ", for x from " + s.xlim[0] +
          " to " + s.xlim[1] + " and y from " + s.ylim[0] + " to " + s.ylim[1] +
          ", minimum at (" + s.minimum.join(", ") + "). Paths from (" +
          this.options.start.map(formatCoordinate).join(", ") + "). " +
          this.paths.map((p) => this.summary(p)).join(" ")
      );
      this.legend.textContent = "";
      const order = Object.keys(OPTIMIZERS);
      const listed = this.paths.slice().sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
      for (const path of listed) {
        const swatch = element("canvas", {
          className: "fl-swatch",
          width: "36",
          height: "10",
          "aria-hidden": "true",
        });
        swatch.dataset.optimizer = path.name;
        const final = path.points[path.points.length - 1];
        const loss = s.f(final[0], final[1]);
        this.legend.append(
          element("li", { className: path.own ? "fl-own" : "" }, [
            swatch,
            element("span", {
              text:
                this.settingsText(path) +
                (Number.isFinite(loss) ? ", final loss " + formatNumber(loss) : ", diverged"),
            }),
          ])
        );
        this.paintSwatch(swatch, path.name);
      }
    }

    colors() {
      const style = getComputedStyle(this.root);
      const get = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
      const dark = document.documentElement.dataset.theme === "dark";
      return {
        dark: dark,
        background: get("--pst-color-background", dark ? "#14181e" : "#ffffff"),
        text: get("--pst-color-text-base", dark ? "#ced6dd" : "#222832"),
        muted: get("--pst-color-text-muted", dark ? "#9ca4af" : "#596574"),
        border: get("--pst-color-border", dark ? "#48566b" : "#d1d5da"),
        contour: dark ? "rgba(86, 180, 233, 0.55)" : "rgba(86, 180, 233, 0.8)",
      };
    }

    optimizerColor(name, dark) {
      return (dark && DARK_COLORS[name]) || OPTIMIZERS[name].color;
    }

    paintSwatch(swatch, name) {
      const context = swatch.getContext("2d");
      context.clearRect(0, 0, swatch.width, swatch.height);
      context.strokeStyle = this.optimizerColor(name, this.colors().dark);
      context.lineWidth = 2.5;
      context.setLineDash(OPTIMIZERS[name].dash);
      context.beginPath();
      context.moveTo(0, 5);
      context.lineTo(36, 5);
      context.stroke();
    }

    // Plot area in CSS pixels and the maps between data and canvas coordinates.
    geometry() {
      // The canvas's size on the page comes from the style sheet (width and aspect ratio).
      const width = this.canvas.clientWidth || 600;
      const height = this.canvas.clientHeight || Math.round(width * 0.62);
      const s = SURFACES[this.options.surface];
      const margin = { left: 46, right: 12, top: 12, bottom: 38 };
      const plot = {
        left: margin.left,
        top: margin.top,
        width: width - margin.left - margin.right,
        height: height - margin.top - margin.bottom,
      };
      const toX = (x) => plot.left + ((x - s.xlim[0]) / (s.xlim[1] - s.xlim[0])) * plot.width;
      const toY = (y) => plot.top + (1 - (y - s.ylim[0]) / (s.ylim[1] - s.ylim[0])) * plot.height;
      const fromX = (px) => s.xlim[0] + ((px - plot.left) / plot.width) * (s.xlim[1] - s.xlim[0]);
      const fromY = (py) => s.ylim[0] + (1 - (py - plot.top) / plot.height) * (s.ylim[1] - s.ylim[0]);
      return { width, height, plot, toX, toY, fromX, fromY, surface: s };
    }

    render() {
      if (!this.options) return;
      const g = this.geometry();
      const ratio = window.devicePixelRatio || 1;
      if (this.canvas.width !== Math.round(g.width * ratio)) {
        this.canvas.width = Math.round(g.width * ratio);
      }
      if (this.canvas.height !== Math.round(g.height * ratio)) {
        this.canvas.height = Math.round(g.height * ratio);
      }
      const c = this.canvas.getContext("2d");
      const colors = this.colors();
      c.setTransform(ratio, 0, 0, ratio, 0, 0);
      c.fillStyle = colors.background;
      c.fillRect(0, 0, g.width, g.height);
      const { plot, toX, toY, surface } = g;

      // Contours, clipped to the plot.
      c.save();
      c.beginPath();
      c.rect(plot.left, plot.top, plot.width, plot.height);
      c.clip();
      c.strokeStyle = colors.contour;
      c.lineWidth = 1;
      c.beginPath();
      const segments = contours(this.options.surface);
      for (let k = 0; k < segments.length; k += 2) {
        c.moveTo(toX(segments[k][0]), toY(segments[k][1]));
        c.lineTo(toX(segments[k + 1][0]), toY(segments[k + 1][1]));
      }
      c.stroke();

      // Minimum (a star) and start (a square).
      c.fillStyle = colors.text;
      this.star(c, toX(surface.minimum[0]), toY(surface.minimum[1]), 8);
      const sx = toX(this.options.start[0]);
      const sy = toY(this.options.start[1]);
      c.fillRect(sx - 5, sy - 5, 10, 10);

      // Paths, the selected one last and thickest.
      for (const path of this.paths) {
        const shown = path.points.slice(0, this.shown);
        const color = this.optimizerColor(path.name, colors.dark);
        c.strokeStyle = color;
        c.fillStyle = color;
        c.lineWidth = path.own ? 2.5 : 1.6;
        c.setLineDash(OPTIMIZERS[path.name].dash);
        c.beginPath();
        let started = false;
        for (const [x, y] of shown) {
          if (!Number.isFinite(x) || !Number.isFinite(y)) break;
          // Far outside the plot, keep the line's direction without huge coordinates.
          const px = Math.max(-1e4, Math.min(1e4, toX(x)));
          const py = Math.max(-1e4, Math.min(1e4, toY(y)));
          if (started) c.lineTo(px, py);
          else c.moveTo(px, py);
          started = true;
        }
        c.stroke();
        c.setLineDash([]);
        const every = Math.max(1, Math.ceil(path.points.length / 60));
        shown.forEach(([x, y], k) => {
          if (k % every !== 0 || !Number.isFinite(x) || !Number.isFinite(y)) return;
          c.beginPath();
          c.arc(toX(x), toY(y), path.own ? 2.6 : 1.8, 0, 2 * Math.PI);
          c.fill();
        });
        if (path.own && shown.length) {
          const [x, y] = shown[shown.length - 1];
          if (Number.isFinite(x) && Number.isFinite(y)) {
            c.beginPath();
            c.arc(toX(x), toY(y), 5, 0, 2 * Math.PI);
            c.fill();
            c.strokeStyle = colors.background;
            c.lineWidth = 1.5;
            c.stroke();
          }
        }
      }
      c.restore();

      // Frame, ticks and axis labels.
      c.strokeStyle = colors.border;
      c.lineWidth = 1;
      c.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width - 1, plot.height - 1);
      c.fillStyle = colors.muted;
      c.font = "12px system-ui, sans-serif";
      c.textAlign = "center";
      c.textBaseline = "top";
      for (const t of niceTicks(surface.xlim[0], surface.xlim[1])) {
        const x = toX(t);
        c.fillRect(x, plot.top + plot.height, 1, 4);
        c.fillText(formatNumber(t), x, plot.top + plot.height + 6);
      }
      c.textAlign = "right";
      c.textBaseline = "middle";
      for (const t of niceTicks(surface.ylim[0], surface.ylim[1])) {
        const y = toY(t);
        c.fillRect(plot.left - 4, y, 4, 1);
        c.fillText(formatNumber(t), plot.left - 7, y);
      }
      c.fillStyle = colors.text;
      c.font = "italic 13px system-ui, sans-serif";
      c.textAlign = "center";
      c.textBaseline = "bottom";
      c.fillText("x", plot.left + plot.width / 2, g.height - 2);
      c.textAlign = "left";
      c.textBaseline = "top";
      c.fillText("y", 6, plot.top);
      for (const swatch of this.legend.querySelectorAll("canvas")) {
        this.paintSwatch(swatch, swatch.dataset.optimizer);
      }
    }

    star(c, x, y, r) {
      c.beginPath();
      for (let k = 0; k < 10; k++) {
        const radius = k % 2 === 0 ? r : r * 0.45;
        const angle = -Math.PI / 2 + (k * Math.PI) / 5;
        const px = x + radius * Math.cos(angle);
        const py = y + radius * Math.sin(angle);
        if (k === 0) c.moveTo(px, py);
        else c.lineTo(px, py);
      }
      c.closePath();
      c.fill();
    }

    setStart(x, y) {
      const round = (v) => Number(v.toFixed(2));
      this.startX.value = String(round(x));
      this.startY.value = String(round(y));
      this.update({ animate: true });
    }

    clickStart(event) {
      if (!this.options) return;
      const g = this.geometry();
      const box = this.canvas.getBoundingClientRect();
      const px = ((event.clientX - box.left) * g.width) / box.width;
      const py = ((event.clientY - box.top) * g.height) / box.height;
      const { plot } = g;
      if (px < plot.left || px > plot.left + plot.width || py < plot.top || py > plot.top + plot.height) {
        return;
      }
      this.setStart(g.fromX(px), g.fromY(py));
    }

    keyStart(event) {
      if (!this.options) return;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.update({ animate: true });
        return;
      }
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const s = SURFACES[this.options.surface];
      const factor = event.shiftKey ? 0.1 : 0.02;
      const [dx, dy] = moves[event.key];
      const clamp = (v, lim) => Math.min(lim[1], Math.max(lim[0], v));
      this.setStart(
        clamp(this.options.start[0] + dx * factor * (s.xlim[1] - s.xlim[0]), s.xlim),
        clamp(this.options.start[1] + dy * factor * (s.ylim[1] - s.ylim[0]), s.ylim)
      );
    }
  }

  api.explorer = {
    trajectory: trajectory,
    surfaces: SURFACES,
    optimizers: Object.keys(OPTIMIZERS),
    instances: [],
  };

  function start() {
    document.querySelectorAll("[data-fashion-lessons-explorer]").forEach((root) => {
      api.explorer.instances.push(new Explorer(root));
    });
  }

  onReady(start);
})();
