// Fashion Lessons: the network the reader trained, offered by the prediction widget.
//
// The training widget (fashion-lessons-trainer.js, in the chapter that builds the
// network from scratch) keeps the network the reader trained in localStorage, which
// works from a server and from file:// alike. Loaded after fashion-lessons-predict.js,
// this adds a choice of network to each prediction widget when one is kept: the book's
// (Keras's, exported by the build) or the reader's. ?network=trained in the address
// chooses the reader's at once. A network saved in another tab shows up here too.
(function () {
  "use strict";

  const api = window.fashionLessons;
  const { element, onReady } = api.dom;
  const KEY = "fashion-lessons-trained-network";
  const PIXELS = 784;

  // The kept network, {description, testAccuracy, layers (decoded)}, or null if there is
  // none, storage is blocked, or what is kept is not a network this widget can run.
  function readTrained(classes) {
    let record;
    try {
      record = JSON.parse(localStorage.getItem(KEY));
    } catch (error) {
      return null;
    }
    if (!record || record.format !== "fashion-lessons-trained-network" || record.version !== 1) {
      return null;
    }
    try {
      const layers = api.loadLayers(record.layers);
      const chained = layers.every(
        (layer, l) =>
          layer.inputs === (l ? layers[l - 1].units : PIXELS) &&
          layer.kernel.length === layer.inputs * layer.units &&
          layer.bias.length === layer.units
      );
      if (!layers.length || !chained || layers[layers.length - 1].units !== classes) return null;
      return { description: record.description, testAccuracy: record.testAccuracy, layers };
    } catch (error) {
      return null;
    }
  }

  let count = 0;

  function attach(widget) {
    const id = "fl-network-" + ++count;
    const book = widget.network;
    const bookInput = element("input", {
      type: "radio",
      name: id,
      id: id + "-book",
      value: "book",
    });
    const trainedInput = element("input", {
      type: "radio",
      name: id,
      id: id + "-trained",
      value: "trained",
    });
    const trainedLabel = element("label", { for: id + "-trained" });
    const forget = element("button", {
      type: "button",
      className: "fl-button",
      text: "Forget the network you trained",
    });
    const choice = element("fieldset", { className: "fl-network-choice" }, [
      element("legend", { text: "Network" }),
      element("span", { className: "fl-radio" }, [
        bookInput,
        element("label", {
          for: id + "-book",
          text: "The book's network, trained with Keras when the book was built",
        }),
      ]),
      element("span", { className: "fl-radio" }, [trainedInput, trainedLabel]),
      element("div", { className: "fl-buttons" }, [forget]),
    ]);
    bookInput.checked = true;
    widget.root.querySelector(".fl-inputs").prepend(choice);

    function use(name, trained) {
      widget.network =
        name === "trained" ? Object.assign({}, book, { layers: trained.layers }) : book;
      widget.root.dataset.network = name;
      widget.show(widget.lastInput, widget.lastWhat); // the same image, the other network
    }

    // Show the choice if a network is kept (choosing it if `chosen` says so).
    function refresh(chosen) {
      const trained = readTrained(book.classNames.length);
      choice.hidden = !trained;
      if (!trained) {
        bookInput.checked = true;
        if (widget.network !== book) use("book");
        return;
      }
      trainedLabel.textContent =
        "The network you trained in your browser: " + trained.description + "; " +
        (100 * trained.testAccuracy).toFixed(1) + " % right on the trainer's test images";
      if (chosen) trainedInput.checked = true;
      use(trainedInput.checked ? "trained" : "book", trained);
    }

    bookInput.addEventListener("change", () => refresh());
    trainedInput.addEventListener("change", () => refresh());
    forget.addEventListener("click", () => {
      try {
        localStorage.removeItem(KEY);
      } catch (error) {
        // storage blocked: there was nothing to forget
      }
      refresh();
      widget.status.textContent = "Forgotten. " + widget.status.textContent;
      widget.slider.focus(); // the choice is gone
    });
    window.addEventListener("storage", (event) => {
      if (event.key === KEY || event.key === null) refresh();
    });
    refresh(new URLSearchParams(window.location.search).get("network") === "trained");
  }

  onReady(() => (api.widgets || []).forEach(attach));
})();
