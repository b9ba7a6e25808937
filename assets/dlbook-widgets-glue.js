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
