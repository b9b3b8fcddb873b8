// Fashion Lessons: the chapter's network, trained in the reader's browser.
//
// This is fashion_lessons/mlp.py's MLP and the SGD, momentum and Adam of
// fashion_lessons/optimizers.py in plain JavaScript, operation for operation, in
// float64 (numpy's MLP with dtype=np.float64). Read them side by side:
//
//   mlp.py (numpy)                                here
//   z = a @ W + b                 (layers.dense)  dense(a, rows, W, b, nIn, nOut)
//   a = relu(z) for hidden layers, z for the last forward(net, x, rows)
//   (softmax(z) - onehot(y)) / N  (losses)        outputDelta(z, y, rows, classes)
//   dW = inputs[l].T @ delta,  db = delta.sum(0)  backward(net, cache, y, rows)
//   delta = (delta @ W.T) * relu_derivative(z)    backward, one layer down
//   SGD       p -= g * lr                         makeOptimizer("sgd", ...)
//   momentum  v = v * mu - g * lr;  p += v        makeOptimizer("momentum", ...)
//   Adam      m += (g - m) * (1 - beta1)          makeOptimizer("adam", ...)
//             v += (g**2 - v) * (1 - beta2)
//             alpha = lr * sqrt(1 - beta2**t) / (1 - beta1**t)
//             p -= m * alpha / (sqrt(v) + eps)
//
// Like Keras (and optimizers.py), the learning rate, the momentum and the betas in
// beta**t pass through float32 (Math.fround). Weights are row-major: W[i * nOut + j]
// connects input i to neuron j, as W[i, j] in numpy and Keras.
//
// Everything inside mlpCore runs in a Web Worker: fashion-lessons-trainer.js makes
// the worker's script from this function's source text (a Blob, which works from
// file:// too), so the page stays responsive while the network trains. The worker
// answers these messages (see onMessage at the end):
//   {type: "data", meta, payload}  the sample of fashion_lessons/browser_sample.py
//   {type: "train", options}       train; sends "progress" points and "done"
//   {type: "pause"}, {type: "resume"}
//   {type: "steps", ...}           given initial parameters and batches, take those
//                                  steps and send the parameters back (the tests
//                                  compare them with numpy's MLP)
(function () {
  "use strict";

  function mlpCore(scope) {
    const SIDE = 28;
    const PIXELS = SIDE * SIDE;
    const CLASSES = 10;
    const MOMENTUM = 0.9; // the chapter's SGD(learning_rate, momentum=0.9)
    const POINTS_PER_EPOCH = 5; // how often the curves get a validation point

    // -- Random numbers (seeded; the same seed gives the same run) ---------------------

    // mulberry32: a small 32-bit generator, uniform in [0, 1). Each stream of a seed
    // (initial weights, shuffling) gets its own state.
    function makeRandom(seed, stream) {
      let state = (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(stream, 0x85ebca77)) >>> 0;
      return function () {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }

    // A random order of 0 .. n-1 (Fisher-Yates), one per epoch as in batch_indices.
    function permutation(n, random) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
      return order;
    }

    // -- The network (MLP) ---------------------------------------------------------

    // MLP(sizes): Glorot-uniform weights on +-sqrt(6 / (n_in + n_out)), zero biases.
    function createNetwork(sizes, seed) {
      const random = makeRandom(seed, 1);
      const weights = [];
      const biases = [];
      for (let l = 0; l + 1 < sizes.length; l++) {
        const nIn = sizes[l];
        const nOut = sizes[l + 1];
        const limit = Math.sqrt(6 / (nIn + nOut));
        const W = new Float64Array(nIn * nOut);
        for (let k = 0; k < W.length; k++) W[k] = -limit + 2 * limit * random();
        weights.push(W);
        biases.push(new Float64Array(nOut));
      }
      return { sizes: sizes.slice(), weights: weights, biases: biases };
    }

    // [W1, b1, W2, b2, ...], the order of MLP.params and of its gradients.
    function params(net) {
      const all = [];
      net.weights.forEach((W, l) => all.push(W, net.biases[l]));
      return all;
    }

    // z = a @ W + b for `rows` inputs a (rows x nIn): the products first, then the bias.
    function dense(a, rows, W, b, nIn, nOut) {
      const z = new Float64Array(rows * nOut);
      for (let r = 0; r < rows; r++) {
        const zr = r * nOut;
        const ar = r * nIn;
        for (let i = 0; i < nIn; i++) {
          const ai = a[ar + i];
          if (ai === 0) continue; // background pixels and relus that are off add nothing
          const Wi = i * nOut;
          for (let j = 0; j < nOut; j++) z[zr + j] += ai * W[Wi + j];
        }
        for (let j = 0; j < nOut; j++) z[zr + j] += b[j];
      }
      return z;
    }

    function relu(z) {
      const a = new Float64Array(z.length);
      for (let k = 0; k < z.length; k++) a[k] = z[k] > 0 ? z[k] : 0;
      return a;
    }

    // MLP._forward: each layer's input a_{l-1} and pre-activation z_l, which backward
    // needs; the last z is the logits.
    function forward(net, x, rows) {
      const inputs = [];
      const zs = [];
      const last = net.weights.length - 1;
      let a = x;
      for (let l = 0; l <= last; l++) {
        const z = dense(a, rows, net.weights[l], net.biases[l], net.sizes[l], net.sizes[l + 1]);
        inputs.push(a);
        zs.push(z);
        a = l < last ? relu(z) : z; // the softmax is in the loss
      }
      return { inputs: inputs, zs: zs };
    }

    // Each row's cross-entropy, -log softmax(z)[y], from the logits (log-softmax: finite
    // even where a probability rounds to 0), and whether its largest logit is y.
    function lossesAndHits(z, y, rows, classes) {
      const losses = new Float64Array(rows);
      let hits = 0;
      for (let r = 0; r < rows; r++) {
        const zr = r * classes;
        let max = -Infinity;
        let best = 0;
        for (let k = 0; k < classes; k++) {
          if (z[zr + k] > max) {
            max = z[zr + k];
            best = k;
          }
        }
        let sum = 0;
        for (let k = 0; k < classes; k++) sum += Math.exp(z[zr + k] - max);
        losses[r] = -(z[zr + y[r]] - max - Math.log(sum));
        if (best === y[r]) hits++;
      }
      return { losses: losses, hits: hits };
    }

    // dL/dz of the mean cross-entropy: (softmax(z) - onehot(y)) / N.
    function outputDelta(z, y, rows, classes) {
      const delta = new Float64Array(rows * classes);
      for (let r = 0; r < rows; r++) {
        const zr = r * classes;
        let max = -Infinity;
        for (let k = 0; k < classes; k++) if (z[zr + k] > max) max = z[zr + k];
        let sum = 0;
        for (let k = 0; k < classes; k++) {
          delta[zr + k] = Math.exp(z[zr + k] - max);
          sum += delta[zr + k];
        }
        for (let k = 0; k < classes; k++) {
          const p = delta[zr + k] / sum;
          delta[zr + k] = (p - (k === y[r] ? 1 : 0)) / rows;
        }
      }
      return delta;
    }

    // MLP.backward: [dW1, db1, dW2, db2, ...] of the mean loss of the forward's batch.
    function backward(net, cache, y, rows) {
      const { inputs, zs } = cache;
      const L = net.weights.length;
      let delta = outputDelta(zs[L - 1], y, rows, net.sizes[L]);
      const grads = new Array(2 * L);
      for (let l = L - 1; l >= 0; l--) {
        const nIn = net.sizes[l];
        const nOut = net.sizes[l + 1];
        const a = inputs[l];
        // z_l = a_{l-1} W_l + b_l: dW = a_{l-1}^T delta, db = the sum of delta's rows.
        const dW = new Float64Array(nIn * nOut);
        const db = new Float64Array(nOut);
        for (let r = 0; r < rows; r++) {
          const dr = r * nOut;
          const ar = r * nIn;
          for (let i = 0; i < nIn; i++) {
            const ai = a[ar + i];
            if (ai === 0) continue;
            const Wi = i * nOut;
            for (let j = 0; j < nOut; j++) dW[Wi + j] += ai * delta[dr + j];
          }
          for (let j = 0; j < nOut; j++) db[j] += delta[dr + j];
        }
        grads[2 * l] = dW;
        grads[2 * l + 1] = db;
        if (l > 0) {
          // Send delta back through W_l, then through the relu of layer l-1.
          const W = net.weights[l];
          const below = zs[l - 1];
          const next = new Float64Array(rows * nIn);
          for (let r = 0; r < rows; r++) {
            for (let i = 0; i < nIn; i++) {
              if (!(below[r * nIn + i] > 0)) continue; // relu'(z) = 0 for z <= 0
              let sum = 0;
              for (let j = 0; j < nOut; j++) sum += delta[r * nOut + j] * W[i * nOut + j];
              next[r * nIn + i] = sum;
            }
          }
          delta = next;
        }
      }
      return grads;
    }

    // -- Optimizers (optimizers.py, Keras's update rules) ------------------------------

    // An object whose apply(grads, params) takes one step, updating params in place.
    function makeOptimizer(name, learningRate) {
      if (!(learningRate > 0)) throw new Error("the learning rate must be above 0");
      const lr = Math.fround(learningRate); // Keras keeps it in a float32 variable
      let slots = null; // state arrays, created on the first step as zeros
      let iterations = 0;
      const zeros = (ps) => ps.map((p) => new Float64Array(p.length));
      const rules = {
        sgd: function (g, p) {
          for (let k = 0; k < p.length; k++) p[k] -= g[k] * lr;
        },
        momentum: function (g, p, i) {
          const mu = Math.fround(MOMENTUM);
          const v = slots.velocity[i];
          for (let k = 0; k < p.length; k++) {
            v[k] = v[k] * mu - g[k] * lr;
            p[k] += v[k];
          }
        },
        adam: function (g, p, i) {
          const beta1 = 0.9;
          const beta2 = 0.999;
          const epsilon = 1e-7;
          const t = iterations + 1;
          const alpha =
            (lr * Math.sqrt(1 - Math.fround(beta2) ** t)) / (1 - Math.fround(beta1) ** t);
          const m = slots.momentum[i];
          const v = slots.velocity[i];
          for (let k = 0; k < p.length; k++) {
            m[k] += (g[k] - m[k]) * (1 - beta1);
            v[k] += (g[k] * g[k] - v[k]) * (1 - beta2);
            p[k] -= (m[k] * alpha) / (Math.sqrt(v[k]) + epsilon);
          }
        },
      };
      const rule = rules[name];
      if (!rule) throw new Error("unknown optimizer " + name + ": sgd, momentum or adam");
      return {
        apply: function (grads, ps) {
          if (slots === null) slots = { velocity: zeros(ps), momentum: zeros(ps) };
          for (let i = 0; i < ps.length; i++) rule(grads[i], ps[i], i);
          iterations++;
        },
      };
    }

    // -- Data and the training loop ------------------------------------------------------

    const SCALE = new Float64Array(256).map((_, v) => v / 255); // pixels to [0, 1]

    // The chosen images of a split as network inputs (rows x 784) and their labels.
    function gather(split, chosen) {
      const x = new Float64Array(chosen.length * PIXELS);
      const y = new Int32Array(chosen.length);
      for (let r = 0; r < chosen.length; r++) {
        const from = chosen[r] * PIXELS;
        for (let k = 0; k < PIXELS; k++) x[r * PIXELS + k] = SCALE[split.images[from + k]];
        y[r] = split.labels[chosen[r]];
      }
      return { x: x, y: y, rows: chosen.length };
    }

    // MLP.train_step: forward, backward, one optimizer step; returns the batch's losses
    // and correct answers from before the update.
    function trainStep(net, batch, optimizer) {
      const cache = forward(net, batch.x, batch.rows);
      const L = net.weights.length;
      const result = lossesAndHits(cache.zs[L - 1], batch.y, batch.rows, net.sizes[L]);
      optimizer.apply(backward(net, cache, batch.y, batch.rows), params(net));
      return result;
    }

    // Mean loss and accuracy on a whole split (MLP.loss and MLP.accuracy), in chunks.
    function evaluate(net, split) {
      let loss = 0;
      let hits = 0;
      const chunk = 250;
      for (let first = 0; first < split.count; first += chunk) {
        const rows = Math.min(chunk, split.count - first);
        const chosen = Array.from({ length: rows }, (_, r) => first + r);
        const batch = gather(split, chosen);
        const z = forward(net, batch.x, rows).zs[net.weights.length - 1];
        const scored = lossesAndHits(z, batch.y, rows, net.sizes[net.sizes.length - 1]);
        for (let r = 0; r < rows; r++) loss += scored.losses[r];
        hits += scored.hits;
      }
      return { loss: loss / split.count, accuracy: hits / split.count };
    }

    // MLP.fit, one step per next(): shuffle each epoch, cut into batches (the last may be
    // smaller), take a step per batch. Yields null after a step, or a point for the
    // curves: the training loss and accuracy averaged over the batches since the last
    // point (taken while the weights changed, as fit reports them), and the validation
    // loss and accuracy at that moment. Returns the result.
    function* training(net, data, options) {
      const optimizer = makeOptimizer(options.optimizer, options.learningRate);
      const random = makeRandom(options.seed, 2);
      const n = data.train.count;
      const stepsPerEpoch = Math.ceil(n / options.batchSize);
      const every = Math.max(1, Math.round(stepsPerEpoch / POINTS_PER_EPOCH));
      const history = { loss: [], accuracy: [], val_loss: [], val_accuracy: [] };
      const start = performance.now();
      let step = 0;
      const untrained = evaluate(net, data.validation);
      yield { step: 0, epoch: 0, val_loss: untrained.loss, val_accuracy: untrained.accuracy };
      for (let epoch = 1; epoch <= options.epochs; epoch++) {
        const order = permutation(n, random);
        let epochLoss = 0;
        let epochHits = 0;
        let loss = 0;
        let hits = 0;
        let seen = 0;
        for (let first = 0; first < n; first += options.batchSize) {
          const chosen = order.subarray(first, first + options.batchSize);
          const scored = trainStep(net, gather(data.train, chosen), optimizer);
          step++;
          for (let r = 0; r < chosen.length; r++) loss += scored.losses[r];
          hits += scored.hits;
          seen += chosen.length;
          const endOfEpoch = first + options.batchSize >= n;
          if (step % every !== 0 && !endOfEpoch) {
            yield null;
            continue;
          }
          const validation = evaluate(net, data.validation);
          const point = {
            step: step,
            epoch: epoch - 1 + (first + chosen.length) / n,
            loss: loss / seen,
            accuracy: hits / seen,
            val_loss: validation.loss,
            val_accuracy: validation.accuracy,
          };
          epochLoss += loss;
          epochHits += hits;
          loss = hits = seen = 0;
          if (endOfEpoch) {
            history.loss.push(epochLoss / n);
            history.accuracy.push(epochHits / n);
            history.val_loss.push(validation.loss);
            history.val_accuracy.push(validation.accuracy);
            point.endOfEpoch = true;
            point.epoch_loss = epochLoss / n;
            point.epoch_accuracy = epochHits / n;
          }
          yield point;
          if (!Number.isFinite(point.loss)) {
            // The weights have become infinite or not a number: nothing more to learn.
            return { diverged: true, steps: step, history: history };
          }
        }
      }
      const test = evaluate(net, data.test);
      return {
        testAccuracy: test.accuracy,
        testLoss: test.loss,
        steps: step,
        seconds: (performance.now() - start) / 1000,
        history: history,
      };
    }

    // -- The worker's side -------------------------------------------------------------

    // The sample file's payload (base64 of gzip) as its splits.
    async function unpack(meta, payload) {
      const binary = atob(payload);
      const packed = new Uint8Array(binary.length);
      for (let k = 0; k < binary.length; k++) packed[k] = binary.charCodeAt(k);
      const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
      const raw = new Uint8Array(await new Response(stream).arrayBuffer());
      const splits = {};
      let at = 0;
      for (const split of meta.splits) {
        const n = split.count;
        splits[split.name] = {
          count: n,
          images: raw.subarray(at, at + n * PIXELS),
          labels: raw.subarray(at + n * PIXELS, at + n * (PIXELS + 1)),
        };
        at += n * (PIXELS + 3); // images, labels, then each image's index (uint16)
      }
      if (at !== raw.length) throw new Error("the sample's payload does not match its splits");
      return splits;
    }

    function checkOptions(o) {
      const whole = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
      if (!["sgd", "momentum", "adam"].includes(o.optimizer)) {
        throw new Error("optimizer must be sgd, momentum or adam, got " + o.optimizer);
      }
      if (!(o.learningRate > 0 && o.learningRate <= 10)) {
        throw new Error("the learning rate must be above 0 and at most 10");
      }
      if (!whole(o.batchSize, 1, 6000)) throw new Error("batch size: a whole number, 1 to 6000");
      if (!whole(o.hiddenUnits, 1, 1024)) throw new Error("hidden units: 1 to 1024");
      if (!whole(o.epochs, 1, 100)) throw new Error("epochs: a whole number, 1 to 100");
      if (!Number.isInteger(o.seed)) throw new Error("the seed must be a whole number");
    }

    // Run the training generator in slices of about 40 ms, so that "pause" (and any
    // other message) is read between slices; a MessageChannel schedules the next slice
    // without setTimeout's minimum delay.
    function runner(post) {
      let data = null;
      let job = null;
      const tick = new MessageChannel();
      tick.port1.onmessage = slice;

      function slice() {
        if (!job || job.paused) return;
        const until = performance.now() + 40;
        while (performance.now() < until) {
          const next = job.steps.next();
          if (next.done) {
            const result = next.value;
            result.network = { sizes: job.net.sizes, params: params(job.net) };
            job = null;
            post({ type: "done", result: result });
            return;
          }
          if (next.value) post({ type: "progress", point: next.value });
        }
        tick.port2.postMessage(null);
      }

      const handlers = {
        data: async function (message) {
          data = await unpack(message.meta, message.payload);
          post({ type: "ready" });
        },
        train: function (message) {
          const o = message.options;
          checkOptions(o);
          const net = createNetwork([PIXELS, o.hiddenUnits, CLASSES], o.seed);
          job = { net: net, steps: training(net, data, o), paused: false };
          tick.port2.postMessage(null);
        },
        pause: function () {
          if (job) job.paused = true;
          post({ type: "paused" });
        },
        resume: function () {
          if (job && job.paused) {
            job.paused = false;
            tick.port2.postMessage(null);
          }
        },
        steps: function (message) {
          const sizes = message.sizes;
          const net = { sizes: sizes, weights: [], biases: [] };
          message.params.forEach((p, k) => {
            (k % 2 ? net.biases : net.weights).push(Float64Array.from(p));
          });
          const optimizer = makeOptimizer(message.optimizer, message.learningRate);
          for (const chosen of message.batches) {
            trainStep(net, gather(data.train, chosen), optimizer);
          }
          post({ type: "steps", params: params(net).map((p) => Array.from(p)) });
        },
      };

      return async function (message) {
        try {
          await handlers[message.type](message);
        } catch (error) {
          job = null;
          post({ type: "error", message: error.message });
        }
      };
    }

    const core = {
      makeRandom: makeRandom,
      createNetwork: createNetwork,
      params: params,
      forward: forward,
      backward: backward,
      makeOptimizer: makeOptimizer,
      gather: gather,
      trainStep: trainStep,
      evaluate: evaluate,
      training: training,
      runner: runner,
    };
    if (scope && typeof scope.postMessage === "function" && !scope.document) {
      const handle = runner((message) => scope.postMessage(message));
      scope.onmessage = (event) => handle(event.data);
    }
    return core;
  }

  if (typeof window !== "undefined") {
    const api = (window.fashionLessons = window.fashionLessons || {});
    api.mlpCore = mlpCore;
  } else if (typeof module !== "undefined") {
    module.exports = mlpCore; // for Node.js
  }
})();
