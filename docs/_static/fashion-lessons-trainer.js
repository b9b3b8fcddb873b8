// Fashion Lessons: the training widget (the page loads it only when the reader opens
// the widget; fashion-lessons-train.js is the loader).
//
// The reader picks the optimizer, learning rate, batch size, hidden units, epochs and
// seed; the network of fashion-lessons-mlp.js trains in a Web Worker on the sample of
// fashion_lessons/browser_sample.py, and the curves are drawn as the points arrive.
// When it has finished, "Use the network you trained" keeps it in the browser's
// localStorage, where the prediction widget (fashion-lessons-predict.js) finds it.
//
// On window.fashionLessons.trainer (also for tests):
//   train(options)  a run without the widget: a promise of {testAccuracy, testLoss,
//                   seconds (training, in the worker), totalSeconds (with loading),
//                   steps, history (per epoch, as MLP.fit returns it), points, options}
//   steps(options)  take the given steps from the given parameters (see mlpCore)
//   defaults, widgets, mount(root)
(function () {
  "use strict";

  const api = window.fashionLessons;
  const { element, radioGroup } = api.dom; // fashion-lessons-dom.js, loaded first
  const assets = api.trainerAssets; // where the loader found the files

  const OPTIMIZERS = {
    sgd: { label: "SGD", learningRate: 0.1 },
    momentum: { label: "SGD with momentum 0.9", learningRate: 0.01 },
    adam: { label: "Adam", learningRate: 0.001 },
  };
  const DEFAULTS = {
    optimizer: "adam",
    learningRate: 0.001,
    batchSize: 32,
    epochs: 3,
    hiddenUnits: 128,
    seed: 0,
  };
  const BATCH_SIZES = [8, 16, 32, 64, 128, 256, 512];
  const HIDDEN_UNITS = [16, 32, 64, 128, 256];
  const MAX_EPOCHS = 50;
  const STORAGE_KEY = "fashion-lessons-trained-network";

  const percent = (p) => (100 * p).toFixed(1) + " %";
  const fixed = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : "not a number");
  const count = (n) => n.toLocaleString("en-US");

  // The reader's options, completed with the defaults (the learning rate defaults to
  // the chosen optimizer's).
  function resolveOptions(options) {
    const o = Object.assign({}, DEFAULTS, options || {});
    if (!(o.optimizer in OPTIMIZERS)) {
      throw new Error("optimizer must be one of sgd, momentum, adam; got " + o.optimizer);
    }
    if (!options || options.learningRate === undefined) {
      o.learningRate = OPTIMIZERS[o.optimizer].learningRate;
    }
    return o;
  }

  function describe(o) {
    return (
      OPTIMIZERS[o.optimizer].label + ", learning rate " + o.learningRate + ", batches of " +
      o.batchSize + ", " + o.hiddenUnits + " hidden units"
    );
  }

  // -- The sample and the worker ---------------------------------------------------------

  let sample = null;

  // The data file, loaded once with a <script> tag (fetch() refuses file:// pages):
  // {meta, payload}, the payload still packed (the worker unpacks it).
  function loadSample() {
    if (!sample) {
      sample = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = assets.url(assets.data);
        script.onload = () => {
          const data = window.fashionLessonsTrainingData;
          delete window.fashionLessonsTrainingData;
          script.remove();
          if (!data || data.format !== "fashion-lessons-sample" || data.version !== 1) {
            reject(new Error("the images' file is not a fashion-lessons-sample, version 1"));
            return;
          }
          const meta = { splits: data.splits, classNames: data.classNames, seed: data.seed };
          resolve({ meta: meta, payload: data.payload });
        };
        script.onerror = () => {
          sample = null; // let a later attempt try again
          reject(new Error("the images did not load (" + assets.data + ")"));
        };
        document.head.append(script);
      });
    }
    return sample;
  }

  // A worker running mlpCore, made from its source text: a Blob works from file:// too.
  function newWorker() {
    const source = "(" + api.mlpCore.toString() + ")(self);\n";
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const worker = new Worker(url);
    worker.addEventListener("message", () => URL.revokeObjectURL(url), { once: true });
    return worker;
  }

  // A worker with the sample in it; `handlers` get its messages by type.
  function sampleWorker(handlers, onError) {
    const worker = newWorker();
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "error") onError(new Error(message.message));
      else if (handlers[message.type]) handlers[message.type](message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      onError(new Error(event.message || "the training worker failed"));
    };
    loadSample().then(
      (s) => worker.postMessage({ type: "data", meta: s.meta, payload: s.payload }),
      onError
    );
    return worker;
  }

  // Start a training run in its own worker. callbacks: progress(point), paused(),
  // done(result), error(Error). Returns {pause(), resume(), stop()}.
  function startRun(options, callbacks) {
    let worker = sampleWorker(
      {
        ready: () => worker.postMessage({ type: "train", options: options }),
        progress: (m) => callbacks.progress(m.point),
        paused: () => callbacks.paused(),
        done: (m) => {
          stop();
          callbacks.done(m.result);
        },
      },
      (error) => {
        stop();
        callbacks.error(error);
      }
    );
    function stop() {
      if (worker) worker.terminate();
      worker = null;
    }
    return {
      pause: () => worker && worker.postMessage({ type: "pause" }),
      resume: () => worker && worker.postMessage({ type: "resume" }),
      stop: stop,
    };
  }

  function train(options) {
    let o;
    try {
      o = resolveOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const started = performance.now();
    const points = [];
    return new Promise((resolve, reject) => {
      startRun(o, {
        progress: (point) => points.push(point),
        paused: () => {},
        done: (result) => {
          delete result.network;
          result.totalSeconds = (performance.now() - started) / 1000;
          result.points = points;
          result.options = o;
          resolve(result);
        },
        error: reject,
      });
    });
  }

  // For the tests: take message.batches (lists of indices into the training sample)
  // from message.params with the optimizer; a promise of the parameters after them.
  function steps(message) {
    return new Promise((resolve, reject) => {
      const worker = sampleWorker(
        {
          ready: () => worker.postMessage(Object.assign({}, message, { type: "steps" })),
          steps: (m) => {
            worker.terminate();
            resolve(m.params);
          },
        },
        (error) => {
          worker.terminate();
          reject(error);
        }
      );
    });
  }

  // -- Keeping the network for the prediction widget -------------------------------------

  // Little-endian float32 values as base64 (the format of fashion_lessons/export.py).
  function base64Float32(values) {
    const bytes = new Uint8Array(4 * values.length);
    const view = new DataView(bytes.buffer);
    for (let k = 0; k < values.length; k++) view.setFloat32(4 * k, values[k], true);
    let binary = "";
    for (let k = 0; k < bytes.length; k += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(k, k + 0x8000));
    }
    return btoa(binary);
  }

  function saveNetwork(result, options) {
    const { sizes, params } = result.network;
    const layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      layers.push({
        type: "dense",
        inputs: sizes[l],
        units: sizes[l + 1],
        activation: l + 2 < sizes.length ? "relu" : "softmax",
        kernel: base64Float32(params[2 * l]),
        bias: base64Float32(params[2 * l + 1]),
      });
    }
    const record = {
      format: "fashion-lessons-trained-network",
      version: 1,
      savedAt: new Date().toISOString(),
      options: options,
      description: describe(options) + ", " + options.epochs + " epochs",
      testAccuracy: result.testAccuracy,
      layers: layers,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(record));
  }

  // -- The curves ----------------------------------------------------------------------

  function colors(root) {
    const style = getComputedStyle(root);
    const get = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    const dark = document.documentElement.dataset.theme === "dark";
    return {
      background: get("--pst-color-background", dark ? "#14181e" : "#ffffff"),
      text: get("--pst-color-text-base", dark ? "#ced6dd" : "#222832"),
      border: get("--pst-color-border", dark ? "#48566b" : "#d1d5da"),
      // The book's figures: training blue (sky blue on a dark page), validation orange.
      training: dark ? "#56B4E9" : "#0072B2",
      validation: "#E69F00",
      font: style.fontFamily || "sans-serif",
    };
  }

  // The top of an axis from 0 that must reach `value`, and the step between its ticks:
  // 1, 2 or 5 times a power of ten, at most five steps.
  function axisTop(value) {
    const power = 10 ** Math.floor(Math.log10(value / 5));
    const tick = [1, 2, 5, 10].map((m) => m * power).find((t) => value / t <= 5);
    return [Math.ceil(value / tick - 1e-9) * tick, tick];
  }

  // Training (solid) and validation (dashed) values of `metric` against epochs.
  function drawChart(canvas, points, metric, epochs, c) {
    const width = canvas.clientWidth || 320;
    const height = canvas.clientHeight || 200;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.fillStyle = c.background;
    g.fillRect(0, 0, width, height);
    const plot = { left: 46, top: 12, right: width - 10, bottom: height - 36 };
    const series = [metric, "val_" + metric].map((key) =>
      points.filter((p) => p[key] !== undefined).map((p) => [p.epoch, p[key]])
    );
    let top = 1;
    let tick = 0.25;
    if (metric === "loss") {
      const finite = series.flat().map((xy) => xy[1]).filter(Number.isFinite);
      // A run that blows up is clipped at 5.
      [top, tick] = axisTop(Math.min(Math.max(0.5, ...finite), 5));
    }
    const toX = (x) => plot.left + (x / epochs) * (plot.right - plot.left);
    const toY = (y) => plot.bottom - (Math.min(y, top) / top) * (plot.bottom - plot.top);
    g.font = "12px " + c.font;
    g.fillStyle = c.text;
    g.strokeStyle = c.border;
    g.lineWidth = 1;
    g.textAlign = "right";
    g.textBaseline = "middle";
    for (let k = 0; k * tick <= top + 1e-9; k++) {
      const y = k * tick;
      g.beginPath();
      g.moveTo(plot.left, toY(y));
      g.lineTo(plot.right, toY(y));
      g.stroke();
      const label = metric === "loss" ? String(+y.toFixed(3)) : Math.round(100 * y) + "%";
      g.fillText(label, plot.left - 6, toY(y));
    }
    g.textAlign = "center";
    g.textBaseline = "top";
    const every = Math.ceil(epochs / 10);
    for (let e = 0; e <= epochs; e += every) g.fillText(String(e), toX(e), plot.bottom + 5);
    g.fillText("epoch", (plot.left + plot.right) / 2, plot.bottom + 20);
    [c.training, c.validation].forEach((color, k) => {
      g.strokeStyle = color;
      g.lineWidth = 2;
      g.setLineDash(k ? [6, 4] : []);
      g.beginPath();
      let drawing = false;
      for (const [x, y] of series[k]) {
        if (!Number.isFinite(y)) {
          drawing = false;
          continue;
        }
        if (drawing) g.lineTo(toX(x), toY(y));
        else g.moveTo(toX(x), toY(y));
        drawing = true;
      }
      g.stroke();
    });
    g.setLineDash([]);
    return series;
  }

  // What a chart shows, in words (its accessible name).
  function chartText(series, metric) {
    const show = (v) =>
      metric === "loss" ? fixed(v, 3) : Number.isFinite(v) ? percent(v) : "not a number";
    const parts = ["training", "validation"].map((name, k) => {
      const s = series[k];
      if (!s.length) return name + ": no point yet";
      return name + " from " + show(s[0][1]) + " to " + show(s[s.length - 1][1]);
    });
    return "Line chart of the " + metric + " against epochs; " + parts.join("; ") + ".";
  }

  // -- The widget ----------------------------------------------------------------------

  let widgetCount = 0;

  class TrainWidget {
    constructor(root) {
      this.root = root;
      this.id = "fl-train-" + ++widgetCount;
      const link = root.querySelector(".fl-train-predict a");
      this.predictUrl = link ? link.href.split("#")[0] : null;
      this.run = null;
      this.state = "idle"; // idle, running, paused, done
      this.points = [];
      this.build();
      this.setState("idle");
      loadSample().then(
        (s) => {
          const [train, validation, test] = s.meta.splits.map((split) => count(split.count));
          this.say(
            "Ready: " + train + " training, " + validation + " validation and " + test +
            " test images."
          );
          this.root.dataset.ready = "true";
        },
        (error) => this.fail(error)
      );
    }

    build() {
      const id = this.id;
      const body = this.root.querySelector(".fl-train") || this.root;
      const field = (name, label, control) =>
        element("div", { className: "fl-field" }, [
          element("label", { for: id + "-" + name, className: "fl-field-name", text: label }),
          control,
        ]);
      const labels = Object.fromEntries(Object.entries(OPTIMIZERS).map(([k, o]) => [k, o.label]));
      const optimizers = radioGroup("Optimizer", id + "-optimizer", id + "-", labels);
      const optimizerField = optimizers.fieldset;
      this.optimizerInputs = optimizers.inputs;
      for (const [name, input] of Object.entries(this.optimizerInputs)) {
        input.checked = name === DEFAULTS.optimizer;
        input.addEventListener("change", () => {
          this.learningRate.value = String(OPTIMIZERS[name].learningRate);
          this.check();
        });
      }
      const number = (name, value, attributes) =>
        element(
          "input",
          Object.assign({ type: "number", id: id + "-" + name, value: value }, attributes)
        );
      const select = (name, values, value) => {
        const box = element("select", { id: id + "-" + name });
        for (const v of values) {
          box.append(element("option", { value: String(v), text: String(v) }));
        }
        box.value = String(value);
        return box;
      };
      this.learningRate = number("lr", String(DEFAULTS.learningRate), {
        min: "0.0001",
        max: "10",
        step: "any",
      });
      this.batchSize = select("batch", BATCH_SIZES, DEFAULTS.batchSize);
      this.hiddenUnits = select("hidden", HIDDEN_UNITS, DEFAULTS.hiddenUnits);
      this.epochs = number("epochs", String(DEFAULTS.epochs), {
        min: "1",
        max: String(MAX_EPOCHS),
        step: "1",
      });
      this.seed = number("seed", String(DEFAULTS.seed), { step: "1" });
      this.error = element("p", { className: "fl-error", id: id + "-error", role: "alert" });
      const settings = element("fieldset", { className: "fl-train-settings" }, [
        element("legend", { text: "Settings" }),
        optimizerField,
        element("div", { className: "fl-train-fields" }, [
          field("lr", "Learning rate", this.learningRate),
          field("batch", "Batch size", this.batchSize),
          field("hidden", "Hidden units", this.hiddenUnits),
          field("epochs", "Epochs", this.epochs),
          field("seed", "Random seed", this.seed),
        ]),
        this.error,
      ]);
      this.settings = settings;
      [this.learningRate, this.epochs, this.seed].forEach((box) => {
        box.setAttribute("aria-describedby", id + "-error");
        box.addEventListener("input", () => this.check());
      });

      this.startButton = element("button", { type: "button", className: "fl-button fl-primary" });
      this.resetButton = element("button", {
        type: "button",
        className: "fl-button",
        text: "Reset",
      });
      this.startButton.addEventListener("click", () => this.startOrPause());
      this.resetButton.addEventListener("click", () => this.reset());
      this.progress = element("progress", {
        max: "1",
        value: "0",
        "aria-label": "Training progress",
      });
      this.status = element("p", {
        className: "fl-status",
        role: "status",
        "aria-live": "polite",
        "aria-atomic": "true",
        text: "Loading the images…",
      });

      const chart = (metric) =>
        element("canvas", {
          className: "fl-train-chart",
          role: "img",
          "aria-label": "Line chart of the " + metric + " against epochs; no point yet.",
        });
      this.charts = { loss: chart("loss"), accuracy: chart("accuracy") };
      const legend = element("ul", { className: "fl-legend", "aria-label": "Curves" }, [
        element("li", {}, [
          element("span", { className: "fl-line fl-line-training", "aria-hidden": "true" }),
          element("span", {
            text:
              "training: averaged over the batches since the last point, while the " +
              "weights change",
          }),
        ]),
        element("li", {}, [
          element("span", { className: "fl-line fl-line-validation", "aria-hidden": "true" }),
          element("span", { text: "validation: measured at each point" }),
        ]),
      ]);
      this.table = element("tbody");
      const headers = [
        "Epoch",
        "Training loss",
        "Training accuracy",
        "Validation loss",
        "Validation accuracy",
      ];
      const table = element("table", { className: "fl-train-table" }, [
        element("caption", { text: "Each epoch" }),
        element("thead", {}, [
          element("tr", {}, headers.map((h) => element("th", { scope: "col", text: h }))),
        ]),
        this.table,
      ]);

      this.useButton = element("button", {
        type: "button",
        className: "fl-button",
        text: "Use the network you trained",
      });
      this.useButton.addEventListener("click", () => this.use());
      this.useStatus = element("p", { className: "fl-use-status", "aria-live": "polite" });

      body.append(
        settings,
        element("div", { className: "fl-buttons" }, [this.startButton, this.resetButton]),
        this.progress,
        this.status,
        element("div", { className: "fl-train-charts" }, [
          element("figure", {}, [element("figcaption", { text: "Loss" }), this.charts.loss]),
          element("figure", {}, [
            element("figcaption", { text: "Accuracy" }),
            this.charts.accuracy,
          ]),
        ]),
        legend,
        element("div", { className: "fl-table-scroll" }, [table]),
        element("div", { className: "fl-buttons" }, [this.useButton]),
        this.useStatus
      );
      if (!this.predictUrl) this.useButton.hidden = true;
      this.draw();
      new MutationObserver(() => this.draw()).observe(document.documentElement, {
        attributes: true,
        attributeFilter: ["data-theme", "data-mode"],
      });
      if (window.ResizeObserver) new ResizeObserver(() => this.draw()).observe(body);
    }

    // The settings, or null (and the reason shown) if one is not valid.
    check() {
      const problems = [];
      const lr = Number(this.learningRate.value);
      const epochs = Number(this.epochs.value);
      const seed = Number(this.seed.value);
      const bad = (box, wrong) => box.setAttribute("aria-invalid", wrong ? "true" : "false");
      bad(this.learningRate, !(lr > 0 && lr <= 10) || this.learningRate.value === "");
      bad(this.epochs, !(Number.isInteger(epochs) && epochs >= 1 && epochs <= MAX_EPOCHS));
      bad(this.seed, !Number.isInteger(seed) || this.seed.value === "");
      if (this.learningRate.getAttribute("aria-invalid") === "true") {
        problems.push("a learning rate above 0 and at most 10, such as 0.001");
      }
      if (this.epochs.getAttribute("aria-invalid") === "true") {
        problems.push("a whole number of epochs from 1 to " + MAX_EPOCHS);
      }
      if (this.seed.getAttribute("aria-invalid") === "true") {
        problems.push("a whole number as the seed, such as 0");
      }
      this.error.textContent = problems.length ? "Please enter " + problems.join("; ") + "." : "";
      if (problems.length) return null;
      const optimizer = Object.keys(OPTIMIZERS).find((n) => this.optimizerInputs[n].checked);
      return {
        optimizer: optimizer,
        learningRate: lr,
        batchSize: Number(this.batchSize.value),
        hiddenUnits: Number(this.hiddenUnits.value),
        epochs: epochs,
        seed: seed,
      };
    }

    setState(state) {
      this.state = state;
      this.root.dataset.state = state;
      const labels = {
        idle: "Start training",
        running: "Pause",
        paused: "Resume",
        done: "Train again",
      };
      this.startButton.textContent = labels[state];
      const locked = state === "running" || state === "paused";
      this.settings.disabled = locked;
      this.resetButton.disabled = state === "idle" && !this.points.length;
      this.useButton.disabled = !(state === "done" && this.result && this.result.network);
    }

    say(text) {
      this.status.textContent = text;
    }

    fail(error) {
      if (this.run) this.run.stop();
      this.run = null;
      this.setState(this.points.length ? "done" : "idle");
      this.say("Training stopped: " + error.message + ".");
    }

    startOrPause() {
      if (this.state === "running") {
        this.run.pause();
        this.setState("paused");
        this.say("Paused after step " + count(this.lastStep()) + ". Resume or reset.");
      } else if (this.state === "paused") {
        this.run.resume();
        delete this.root.dataset.workerPaused;
        this.setState("running");
        this.say("Training again from step " + count(this.lastStep()) + ".");
      } else {
        this.start();
      }
    }

    lastStep() {
      return this.points.length ? this.points[this.points.length - 1].step : 0;
    }

    start() {
      const options = this.check();
      if (!options) return;
      this.clear();
      this.options = options;
      this.result = null;
      this.stepsPerEpoch = null;
      this.setState("running");
      this.say("Training: " + describe(options) + ", " + options.epochs + " epochs.");
      this.started = performance.now();
      this.run = startRun(options, {
        progress: (point) => this.progressed(point),
        paused: () => (this.root.dataset.workerPaused = "true"), // no step until resumed
        done: (result) => this.finished(result),
        error: (error) => this.fail(error),
      });
    }

    progressed(point) {
      this.points.push(point);
      const o = this.options;
      this.progress.max = o.epochs;
      this.progress.value = point.epoch;
      if (point.endOfEpoch) {
        const e = Math.round(point.epoch);
        this.addRow(e, point);
        if (this.state === "running") {
          this.say(
            "Epoch " + e + " of " + o.epochs + ": validation accuracy " +
            percent(point.val_accuracy) + ", validation loss " + fixed(point.val_loss, 3) + "."
          );
        }
      }
      this.draw();
    }

    // A row of the table: the epoch's training loss and accuracy (averaged over all its
    // batches, as MLP.fit reports them) and the validation's at its end.
    addRow(epoch, point) {
      const cells = [
        String(epoch),
        fixed(point.epoch_loss, 3),
        percent(point.epoch_accuracy),
        fixed(point.val_loss, 3),
        percent(point.val_accuracy),
      ];
      this.table.append(
        element(
          "tr",
          {},
          cells.map((text, k) => element(k ? "td" : "th", k ? { text } : { scope: "row", text }))
        )
      );
    }

    finished(result) {
      this.run = null;
      this.result = result;
      const seconds = (performance.now() - this.started) / 1000;
      const last = this.points[this.points.length - 1];
      if (result.diverged) {
        this.setState("done");
        this.useButton.disabled = true;
        this.say(
          "Stopped at step " + count(result.steps) + ": the loss is no longer a number, the " +
          "steps have thrown the weights away. Try a smaller learning rate."
        );
        return;
      }
      this.setState("done");
      this.say(
        "Done: " + count(result.steps) + " steps in " + seconds.toFixed(1) + " s. Validation " +
        "accuracy " + percent(last.val_accuracy) + "; on the test images, which training " +
        "never saw, " + percent(result.testAccuracy) + "."
      );
      this.root.dataset.testAccuracy = String(result.testAccuracy);
    }

    use() {
      if (!this.result || !this.result.network) return;
      try {
        saveNetwork(this.result, this.options);
      } catch (error) {
        this.useStatus.textContent =
          "Your browser would not keep the network (" + error.message + "): it may be " +
          "blocking storage for this site.";
        return;
      }
      this.useStatus.textContent = "";
      const link = element("a", {
        href: this.predictUrl + "?network=trained#fashion-lessons-predict",
        text: "the prediction widget",
      });
      this.useStatus.append(
        "Kept in this browser. Open ",
        link,
        " and choose \u201cthe network you trained\u201d: it runs your network on the " +
          "test images and on your drawings."
      );
    }

    clear() {
      if (this.run) this.run.stop();
      this.run = null;
      this.points = [];
      this.result = null;
      this.table.textContent = "";
      this.progress.value = 0;
      this.useStatus.textContent = "";
      delete this.root.dataset.testAccuracy;
      delete this.root.dataset.workerPaused;
      this.draw();
    }

    reset() {
      this.clear();
      this.setState("idle");
      this.say("Reset: change the settings if you like, then start training.");
      this.startButton.focus();
    }

    draw() {
      const c = colors(this.root);
      const epochs = this.options ? this.options.epochs : Number(this.epochs.value) || 1;
      for (const metric of ["loss", "accuracy"]) {
        const canvas = this.charts[metric];
        const series = drawChart(canvas, this.points, metric, epochs, c);
        canvas.setAttribute("aria-label", chartText(series, metric));
      }
    }
  }

  const widgets = [];

  function mount(root) {
    if (root.dataset.mounted) return;
    root.dataset.mounted = "true";
    widgets.push(new TrainWidget(root));
  }

  api.trainer = {
    defaults: Object.assign({}, DEFAULTS),
    optimizers: OPTIMIZERS,
    storageKey: STORAGE_KEY,
    train: train,
    steps: steps,
    loadSample: loadSample,
    mount: mount,
    widgets: widgets,
  };
})();
