// Fashion Lessons: the walkthrough's network, running in the page.
//
// The build exports the trained network and a sample of test images as
// _static/fashion-lessons/fashion-lessons-model.js, which sets
// window.fashionLessonsData (format: the docstring of fashion_lessons/export.py).
// This file decodes it, runs the forward pass in plain JavaScript and builds the
// widget in every element marked data-fashion-lessons-predict.
//
// Hooks for tests and the curious, on window.fashionLessons:
//   predict(pixels)  784 numbers in [0, 1], row-major 28 x 28 -> 10 probabilities
//   sample           {count, images (Uint8Array of 784 each), labels, indices,
//                     kerasProbabilities (arrays of 10), classNames}
//   preprocess(ink, width, height)  a drawing (ink in [0, 1], row-major) -> 784 inputs
//   widgets          the widgets on the page (each: showSample(i), clear(), predictDrawing())
//   loadLayers(layers)  dense layers of the export format, decoded for forward()
(function () {
  "use strict";

  const api = (window.fashionLessons = window.fashionLessons || {});
  const { element, onReady } = api.dom; // fashion-lessons-dom.js, loaded first
  const SIDE = 28; // the images are 28 x 28
  const PIXELS = SIDE * SIDE;
  // A drawing is cropped to its ink and scaled so that its longer side fills the
  // 28-pixel frame, as Fashion-MNIST's own images were made (Xiao et al., 2017:
  // trimmed, longest edge resized to 28). MNIST's 20 x 20 box would make every
  // drawing smaller than any garment the network saw: shrinking the real test
  // images that way costs the walkthrough's network about half its accuracy.
  const FIT = SIDE;
  const DRAW_SIZE = 280; // drawing canvas, 10 canvas pixels per image pixel

  // -- Decoding the exported network ---------------------------------------------

  function base64Bytes(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  // Little-endian float32, whatever the machine's byte order.
  function base64Float32(text) {
    const bytes = base64Bytes(text);
    const view = new DataView(bytes.buffer);
    const values = new Float32Array(bytes.length / 4);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(4 * i, true);
    return values;
  }

  function softmax(z) {
    let max = -Infinity;
    for (let j = 0; j < z.length; j++) if (z[j] > max) max = z[j];
    let sum = 0;
    const out = new Float64Array(z.length);
    for (let j = 0; j < z.length; j++) {
      out[j] = Math.exp(z[j] - max); // minus the max: exp never overflows
      sum += out[j];
    }
    for (let j = 0; j < z.length; j++) out[j] /= sum;
    return out;
  }

  const ACTIVATIONS = {
    linear: (z) => z,
    relu: (z) => z.map((v) => (v > 0 ? v : 0)),
    sigmoid: (z) => z.map((v) => 1 / (1 + Math.exp(-v))),
    tanh: (z) => z.map(Math.tanh),
    softmax: softmax,
  };

  // The dense layers of the export format, decoded (also for the network the reader
  // trained, fashion-lessons-predict-trained.js).
  function loadLayers(exported) {
    return exported
      .filter((layer) => layer.type === "dense")
      .map((layer) => {
        if (!(layer.activation in ACTIVATIONS)) {
          throw new Error("unknown activation " + layer.activation);
        }
        return {
          inputs: layer.inputs,
          units: layer.units,
          activation: ACTIVATIONS[layer.activation],
          kernel: base64Float32(layer.kernel), // row-major (inputs, units)
          bias: base64Float32(layer.bias),
        };
      });
  }

  function loadNetwork(data) {
    if (!data || data.format !== "fashion-lessons-model" || data.version !== 1) {
      throw new Error("window.fashionLessonsData is not a fashion-lessons-model, version 1");
    }
    const layers = loadLayers(data.layers);
    const sample = data.sample;
    const allImages = base64Bytes(sample.images);
    const allProbabilities = base64Float32(sample.probabilities);
    const classes = data.classNames.length;
    const images = [];
    const kerasProbabilities = [];
    for (let i = 0; i < sample.count; i++) {
      images.push(allImages.subarray(i * PIXELS, (i + 1) * PIXELS));
      kerasProbabilities.push(
        Array.from(allProbabilities.subarray(i * classes, (i + 1) * classes))
      );
    }
    return {
      layers: layers,
      classNames: data.classNames.slice(),
      sample: {
        count: sample.count,
        images: images,
        labels: sample.labels.slice(),
        indices: sample.indices.slice(),
        kerasProbabilities: kerasProbabilities,
        classNames: data.classNames.slice(),
      },
    };
  }

  // One dense layer after the other: z = x W + b (in float64), then the activation.
  function forward(network, pixels) {
    let x = Float64Array.from(pixels);
    for (const layer of network.layers) {
      const z = Float64Array.from(layer.bias);
      const units = layer.units;
      const kernel = layer.kernel;
      for (let i = 0; i < layer.inputs; i++) {
        const xi = x[i];
        if (xi === 0) continue; // most pixels are background, and half the relus are 0
        const row = i * units;
        for (let j = 0; j < units; j++) z[j] += xi * kernel[row + j];
      }
      x = layer.activation(z);
    }
    return x;
  }

  // -- Preprocessing a drawing ----------------------------------------------------

  // Area-weighted resampling of `size` source cells onto `target` cells: for each
  // target cell, the source cells it overlaps and by how much.
  function resampleWeights(size, target) {
    const weights = [];
    const scale = size / target;
    for (let t = 0; t < target; t++) {
      const from = t * scale;
      const to = (t + 1) * scale;
      const cells = [];
      for (let s = Math.floor(from); s < Math.min(size, Math.ceil(to)); s++) {
        const overlap = Math.min(to, s + 1) - Math.max(from, s);
        if (overlap > 0) cells.push([s, overlap / scale]);
      }
      weights.push(cells);
    }
    return weights;
  }

  // ink: row-major values in [0, 1] (1 = garment) of a width x height drawing.
  // Returns 784 inputs: the ink cropped to its bounding box, scaled (area average)
  // so that its longer side is FIT pixels, and placed in the 28 x 28 frame with its
  // centre of mass as near the centre as the frame allows. Null if there is no ink.
  function preprocess(ink, width, height) {
    const threshold = 0.02;
    let top = height;
    let bottom = -1;
    let left = width;
    let right = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (ink[y * width + x] > threshold) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    if (bottom < 0) return null;
    const boxWidth = right - left + 1;
    const boxHeight = bottom - top + 1;
    const scale = FIT / Math.max(boxWidth, boxHeight);
    const outWidth = Math.max(1, Math.min(SIDE, Math.round(boxWidth * scale)));
    const outHeight = Math.max(1, Math.min(SIDE, Math.round(boxHeight * scale)));
    const across = resampleWeights(boxWidth, outWidth);
    const down = resampleWeights(boxHeight, outHeight);
    // Rows first, then columns.
    const rows = new Float64Array(boxHeight * outWidth);
    for (let y = 0; y < boxHeight; y++) {
      const offset = (top + y) * width + left;
      for (let tx = 0; tx < outWidth; tx++) {
        let sum = 0;
        for (const [sx, w] of across[tx]) sum += w * ink[offset + sx];
        rows[y * outWidth + tx] = sum;
      }
    }
    const small = new Float64Array(outHeight * outWidth);
    let mass = 0;
    let massX = 0;
    let massY = 0;
    for (let ty = 0; ty < outHeight; ty++) {
      for (let tx = 0; tx < outWidth; tx++) {
        let sum = 0;
        for (const [sy, w] of down[ty]) sum += w * rows[sy * outWidth + tx];
        const value = Math.min(1, Math.max(0, sum));
        small[ty * outWidth + tx] = value;
        mass += value;
        massX += value * (tx + 0.5);
        massY += value * (ty + 0.5);
      }
    }
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const shiftX = clamp(Math.round(SIDE / 2 - massX / mass), 0, SIDE - outWidth);
    const shiftY = clamp(Math.round(SIDE / 2 - massY / mass), 0, SIDE - outHeight);
    const out = new Array(PIXELS).fill(0);
    for (let ty = 0; ty < outHeight; ty++) {
      for (let tx = 0; tx < outWidth; tx++) {
        out[(ty + shiftY) * SIDE + tx + shiftX] = small[ty * outWidth + tx];
      }
    }
    return out;
  }

  // -- The widget -------------------------------------------------------------------

  let widgetCount = 0;

  function percent(p) {
    return (100 * p).toFixed(1) + "%";
  }

  // Draw 784 values in [0, 1] as a bright-on-dark 28 x 28 image (the data's convention).
  function paintPixels(canvas, values) {
    const context = canvas.getContext("2d");
    const image = context.createImageData(SIDE, SIDE);
    for (let i = 0; i < PIXELS; i++) {
      const grey = Math.round(255 * values[i]);
      image.data[4 * i] = grey;
      image.data[4 * i + 1] = grey;
      image.data[4 * i + 2] = grey;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  class PredictWidget {
    constructor(root, network) {
      this.root = root;
      this.network = network;
      this.sample = network.sample;
      this.names = network.classNames;
      this.id = "fl-predict-" + ++widgetCount;
      this.current = 0;
      this.drawn = false;
      this.build();
      this.showSample(0, { announce: false });
    }

    build() {
      const id = this.id;
      const n = this.sample.count;
      const first = this.sample.indices[0];
      const last = this.sample.indices[n - 1];
      const consecutive = last - first === n - 1;
      this.root.textContent = "";

      // Pick a test image: slider, number box, gallery.
      this.slider = element("input", {
        type: "range",
        id: id + "-slider",
        min: "0",
        max: String(n - 1),
        step: "1",
        value: "0",
      });
      this.numberBox = element("input", {
        type: "number",
        id: id + "-number",
        min: String(first),
        max: String(last),
        step: "1",
        value: String(first),
        inputmode: "numeric",
      });
      const rangeText = consecutive
        ? "test images " + first + " to " + last
        : n + " test images";
      const pick = element("fieldset", { className: "fl-pick" }, [
        element("legend", { text: "Pick a test image" }),
        element("div", { className: "fl-grid-controls" }, [
          element("label", { for: id + "-slider", text: "Slide through them" }),
          this.slider,
          element("label", { for: id + "-number", text: "Test image number" }),
          element("div", {}, [this.numberBox]),
        ]),
      ]);
      this.gallery = element("div", {
        className: "fl-gallery",
        role: "group",
        "aria-label": "Thumbnails of " + rangeText + ": arrow keys pick one",
      });
      this.thumbs = [];
      for (let i = 0; i < n; i++) {
        const thumb = element("canvas", { width: String(SIDE), height: String(SIDE) });
        const pixels = Array.from(this.sample.images[i], (v) => v / 255);
        paintPixels(thumb, pixels);
        const button = element(
          "button",
          {
            type: "button",
            className: "fl-thumb",
            tabindex: i === 0 ? "0" : "-1",
            "aria-pressed": "false",
            "aria-label":
              "Test image " + this.sample.indices[i] + ", " + this.names[this.sample.labels[i]],
          },
          [thumb]
        );
        button.addEventListener("click", () => this.showSample(i));
        this.thumbs.push(button);
        this.gallery.append(button);
      }
      pick.append(this.gallery);

      // Draw a garment.
      this.drawCanvas = element("canvas", {
        className: "fl-draw-canvas",
        width: String(DRAW_SIZE),
        height: String(DRAW_SIZE),
        role: "img",
        "aria-label":
          "Drawing area: draw a garment in white on black with a mouse, pen or finger",
        "aria-describedby": id + "-draw-hint",
      });
      this.brush = element("input", {
        type: "range",
        id: id + "-brush",
        min: "6",
        max: "40",
        step: "1",
        value: "18",
      });
      this.predictButton = element("button", {
        type: "button",
        className: "fl-button",
        text: "Predict",
      });
      this.clearButton = element("button", {
        type: "button",
        className: "fl-button",
        text: "Clear",
      });
      const draw = element("fieldset", { className: "fl-draw" }, [
        element("legend", { text: "Or draw one" }),
        element("p", {
          id: id + "-draw-hint",
          className: "fl-hint",
          text:
            "White ink on black, like the data: fill the garment's shape. The network " +
            "answers when you lift the pen. Without a pointer, pick a test image instead.",
        }),
        this.drawCanvas,
        element("div", { className: "fl-grid-controls" }, [
          element("label", { for: id + "-brush", text: "Brush size" }),
          this.brush,
        ]),
        element("div", { className: "fl-buttons" }, [this.predictButton, this.clearButton]),
      ]);

      // What the network sees and what it says.
      this.inputCanvas = element("canvas", {
        className: "fl-input-canvas",
        width: String(SIDE),
        height: String(SIDE),
        role: "img",
        "aria-label": "",
      });
      this.caption = element("p", { className: "fl-caption" });
      this.truth = element("p", { className: "fl-truth" });
      this.status = element("p", {
        className: "fl-status",
        role: "status",
        "aria-live": "polite",
        "aria-atomic": "true",
      });
      this.bars = element("ol", {
        className: "fl-bars",
        "aria-label": "Probability of each class",
      });
      this.barRows = this.names.map((name) => {
        const fill = element("span", { className: "fl-bar-fill" });
        const value = element("span", { className: "fl-bar-value" });
        const tag = element("span", { className: "fl-bar-tag" });
        const row = element("li", { className: "fl-bar-row" }, [
          element("span", { className: "fl-bar-name", text: name }),
          element("span", { className: "fl-bar-track", "aria-hidden": "true" }, [fill]),
          value,
          tag,
        ]);
        this.bars.append(row);
        return { row: row, fill: fill, value: value, tag: tag };
      });
      const result = element("div", { className: "fl-result" }, [
        element("p", { className: "fl-result-title", text: "What the network sees" }),
        this.inputCanvas,
        this.caption,
        this.truth,
        this.status,
        this.bars,
      ]);

      this.root.append(
        element("div", { className: "fl-predict-layout" }, [
          element("div", { className: "fl-inputs" }, [pick, draw]),
          result,
        ])
      );

      this.slider.addEventListener("input", () => this.showSample(Number(this.slider.value)));
      this.numberBox.addEventListener("change", () => this.fromNumberBox());
      this.numberBox.addEventListener("keydown", (event) => {
        if (event.key === "Enter") this.fromNumberBox();
      });
      this.gallery.addEventListener("keydown", (event) => this.galleryKey(event));
      this.predictButton.addEventListener("click", () => this.predictDrawing());
      this.clearButton.addEventListener("click", () => this.clear());
      this.setUpDrawing();
    }

    fromNumberBox() {
      const wanted = Math.round(Number(this.numberBox.value));
      const position = this.sample.indices.indexOf(wanted);
      if (position >= 0) {
        this.showSample(position);
      } else {
        const first = this.sample.indices[0];
        const last = this.sample.indices[this.sample.count - 1];
        this.status.textContent =
          "Test image " + this.numberBox.value + " is not in the page's sample: pick one from " +
          first + " to " + last + ".";
      }
    }

    // Arrow keys, Home, End, Page Up and Page Down pick a thumbnail (one tab stop for the
    // whole gallery, like a radio group).
    galleryKey(event) {
      const index = this.thumbs.indexOf(document.activeElement);
      if (index < 0) return;
      const top = this.thumbs[0].offsetTop;
      let perRow = this.thumbs.findIndex((t) => t.offsetTop !== top);
      if (perRow < 1) perRow = this.thumbs.length;
      const moves = {
        ArrowLeft: -1,
        ArrowRight: 1,
        ArrowUp: -perRow,
        ArrowDown: perRow,
        PageUp: -4 * perRow,
        PageDown: 4 * perRow,
      };
      let target;
      if (event.key in moves) target = index + moves[event.key];
      else if (event.key === "Home") target = 0;
      else if (event.key === "End") target = this.thumbs.length - 1;
      else return;
      event.preventDefault();
      target = Math.min(this.thumbs.length - 1, Math.max(0, target));
      this.showSample(target);
      this.thumbs[target].focus();
    }

    showSample(i, options) {
      const announce = !options || options.announce !== false;
      this.current = i;
      const index = this.sample.indices[i];
      const label = this.sample.labels[i];
      const pixels = Array.from(this.sample.images[i], (v) => v / 255);
      this.slider.value = String(i);
      this.slider.setAttribute("aria-valuetext", "test image " + index);
      this.numberBox.value = String(index);
      this.thumbs.forEach((t, j) => {
        t.setAttribute("aria-pressed", j === i ? "true" : "false");
        t.setAttribute("tabindex", j === i ? "0" : "-1");
      });
      if (announce) this.thumbs[i].scrollIntoView({ block: "nearest", inline: "nearest" });
      this.show(pixels, {
        source: "test image " + index,
        caption: "Test image " + index + " (x_test[" + index + "])",
        label: label,
      });
    }

    // Run the network on 784 inputs and show the image, the answer and the bars.
    show(pixels, what) {
      const probabilities = forward(this.network, pixels);
      this.lastInput = pixels.slice();
      this.lastWhat = what;
      this.lastProbabilities = Array.from(probabilities);
      paintPixels(this.inputCanvas, pixels);
      this.inputCanvas.setAttribute("aria-label", what.caption + ", as the network sees it");
      this.caption.textContent = what.caption;
      let best = 0;
      for (let j = 1; j < probabilities.length; j++) {
        if (probabilities[j] > probabilities[best]) best = j;
      }
      const hasLabel = what.label !== undefined && what.label !== null;
      this.truth.textContent = hasLabel
        ? "True class: " + this.names[what.label]
        : "True class: none, this is your drawing";
      let verdict = "";
      if (hasLabel) verdict = best === what.label ? " Right." : " Wrong.";
      this.status.textContent =
        "Prediction for " + what.source + ": " + this.names[best] + ", " +
        percent(probabilities[best]) + "." + verdict;
      this.root.dataset.prediction = this.names[best];
      this.barRows.forEach((bar, j) => {
        const p = probabilities[j];
        bar.fill.style.width = (100 * p).toFixed(2) + "%";
        bar.value.textContent = percent(p);
        const tags = [];
        if (j === best) tags.push("predicted");
        if (hasLabel && j === what.label) tags.push("true class");
        bar.tag.textContent = tags.join(", ");
        bar.row.classList.toggle("fl-best", j === best);
        bar.row.classList.toggle("fl-true", hasLabel && j === what.label);
      });
    }

    // -- Drawing --------------------------------------------------------------------

    setUpDrawing() {
      const canvas = this.drawCanvas;
      this.ink = canvas.getContext("2d", { willReadFrequently: true });
      this.clearCanvas();
      let last = null;
      const point = (event) => {
        const box = canvas.getBoundingClientRect();
        return {
          x: ((event.clientX - box.left) * canvas.width) / box.width,
          y: ((event.clientY - box.top) * canvas.height) / box.height,
        };
      };
      canvas.addEventListener("pointerdown", (event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        canvas.setPointerCapture(event.pointerId);
        last = point(event);
        this.stroke(last, last);
      });
      canvas.addEventListener("pointermove", (event) => {
        if (last === null) return;
        const next = point(event);
        this.stroke(last, next);
        last = next;
      });
      const end = (event) => {
        if (last === null) return;
        last = null;
        if (canvas.hasPointerCapture(event.pointerId)) {
          canvas.releasePointerCapture(event.pointerId);
        }
        this.predictDrawing();
      };
      canvas.addEventListener("pointerup", end);
      canvas.addEventListener("pointercancel", end);
    }

    clearCanvas() {
      this.ink.fillStyle = "#000";
      this.ink.fillRect(0, 0, DRAW_SIZE, DRAW_SIZE);
    }

    // A soft, anti-aliased brush: overlapping dabs that fade out towards their rim,
    // so strokes have the blurred edges of the data's garments.
    stroke(from, to) {
      const radius = Number(this.brush.value);
      const context = this.ink;
      const distance = Math.hypot(to.x - from.x, to.y - from.y);
      const steps = Math.max(1, Math.ceil(distance / (radius / 4)));
      for (let s = 0; s <= steps; s++) {
        const x = from.x + ((to.x - from.x) * s) / steps;
        const y = from.y + ((to.y - from.y) * s) / steps;
        const dab = context.createRadialGradient(x, y, 0, x, y, radius);
        dab.addColorStop(0, "rgba(255, 255, 255, 0.9)");
        dab.addColorStop(0.5, "rgba(255, 255, 255, 0.6)");
        dab.addColorStop(1, "rgba(255, 255, 255, 0)");
        context.fillStyle = dab;
        context.beginPath();
        context.arc(x, y, radius, 0, 2 * Math.PI);
        context.fill();
      }
      this.drawn = true;
    }

    // The drawing as the network's 784 inputs, or null if nothing is drawn.
    drawingInput() {
      const data = this.ink.getImageData(0, 0, DRAW_SIZE, DRAW_SIZE).data;
      const ink = new Float64Array(DRAW_SIZE * DRAW_SIZE);
      for (let i = 0; i < ink.length; i++) ink[i] = data[4 * i] / 255;
      return preprocess(ink, DRAW_SIZE, DRAW_SIZE);
    }

    predictDrawing() {
      const pixels = this.drawn ? this.drawingInput() : null;
      if (pixels === null) {
        this.status.textContent =
          "Nothing drawn yet: draw a garment in the black square, then press Predict.";
        return;
      }
      this.show(pixels, {
        source: "your drawing",
        caption: "Your drawing, cropped and scaled to 28 by 28 pixels",
        label: null,
      });
      this.thumbs.forEach((t) => t.setAttribute("aria-pressed", "false"));
    }

    clear() {
      this.clearCanvas();
      this.drawn = false;
      this.showSample(this.current, { announce: false });
      this.status.textContent = "Drawing cleared. " + this.status.textContent;
    }
  }

  // -- Start ----------------------------------------------------------------------

  function start() {
    const roots = document.querySelectorAll("[data-fashion-lessons-predict]");
    let network;
    try {
      network = loadNetwork(window.fashionLessonsData);
    } catch (error) {
      roots.forEach((root) => {
        root.textContent =
          "The trained network did not load (" + error.message + "), so this widget " +
          "cannot run. Rebuild the book to export it.";
      });
      return;
    }
    api.classNames = network.classNames;
    api.sample = network.sample;
    api.predict = function (pixels) {
      if (!pixels || pixels.length !== PIXELS) {
        throw new Error("predict takes " + PIXELS + " numbers (28 x 28, row-major)");
      }
      return Array.from(forward(network, pixels));
    };
    api.preprocess = preprocess;
    api.loadLayers = loadLayers;
    api.widgets = Array.from(roots, (root) => new PredictWidget(root, network));
  }

  onReady(start);
})();
