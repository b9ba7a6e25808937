/* Glue between the bundled widget renderer and the bundled MathJax 3.
 *
 * @jupyter-widgets/html-manager 1.x typesets widget labels with the MathJax 2
 * API, MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); MathJax 3 has no
 * Hub, so a label would throw. Whatever object window.MathJax holds (the
 * configuration first, then MathJax 3 itself once it has loaded), give it a
 * small Hub whose Queue typesets the element with MathJax 3's typesetPromise.
 */
(function () {
  "use strict";
  var hub = {
    Queue: function (job) {
      var element = job && job[2];
      var mj = current;
      if (element && mj && typeof mj.typesetPromise === "function") {
        mj.typesetPromise([element]).catch(function (err) {
          console.error("dlbook: MathJax could not typeset a widget label", err);
        });
      }
    },
  };
  function withHub(value) {
    if (value && typeof value === "object" && !("Hub" in value)) {
      Object.defineProperty(value, "Hub", { value: hub, configurable: true, enumerable: false });
    }
    return value;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); },
  });
})();

/* Accessible names for the widgets the renderer draws (issue #13, axe-core).
 *
 * (The frames' alt text is written by dlbook_utils.widgets itself, into each <img>.)
 * - A slider's handle (role="slider") gets the slider's label as its name and the
 *   readout's text ("0.03", not the index "2") as its value, kept in step as it moves.
 * - The readout is display only: typing into it changed the text and nothing else.
 * - A label with no tooltip loses its `title="null"`.
 * The renderer draws the widgets after the page has loaded, so this runs again whenever
 * the page's content changes.
 */
(function () {
  "use strict";
  function setIf(el, name, value) {
    if (value && el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  }
  function label(el) {
    var text = el && el.textContent.replace(/\s+/g, " ").trim();
    return text || "";
  }
  function fix(root) {
    root.querySelectorAll(".widget-label[title='null']").forEach(function (el) {
      el.removeAttribute("title");
    });
    root.querySelectorAll(".widget-slider").forEach(function (box) {
      var name = label(box.querySelector(".widget-label"));
      var readout = box.querySelector(".widget-readout");
      if (readout) {
        setIf(readout, "contenteditable", "false");
      }
      box.querySelectorAll("[role='slider']").forEach(function (handle) {
        setIf(handle, "aria-label", name);
        setIf(handle, "aria-valuetext", label(readout));
      });
    });
  }
  var pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fix(document);
      });
    }
  }
  function start() {
    fix(document);
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ["aria-valuetext", "title"],
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
