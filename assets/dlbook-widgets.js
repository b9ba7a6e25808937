/* dlbook-widgets.js: draws the widgets saved in a page of the book, with no kernel.
 *
 * A chapter's sliders and drop-downs (dlbook_utils.widgets.figure_slider, figure_grid) are
 * ipywidgets whose state the book build saves into the page: a
 * <script type="application/vnd.jupyter.widget-state+json"> with every model, and one
 * <script type="application/vnd.jupyter.widget-view+json"> where each widget goes. They
 * use few models: VBox, HBox and Stack (containers), SelectionSlider and Dropdown
 * (controls), HTML (each frame, an <img> with alt text), Link (ipywidgets.jslink: the
 * control's index drives the stack's selected_index in the browser), and Layout and
 * style models. This file draws exactly those, in about 10 kB, where the general renderer
 * (@jupyter-widgets/html-manager, 1.9 MB) drew every model there is (issue #13: a widget
 * page transferred 6 MB). A view of any other kind, a setting it does not draw (a vertical
 * slider, say) or a link it cannot make is shown in the page as an error, never skipped
 * or drawn differently.
 *
 * The markup follows ipywidgets' own class names (widget-slider, noUi-handle,
 * widget-readout, ...), so that the browser tests use one set of selectors for this page
 * and for the real widgets in JupyterLab. Accessibility: a slider's handle is a
 * role="slider" element named by the slider's label, whose value is announced as its
 * readout ("0.03"), not its index; it moves with the mouse, a finger or the keys
 * (arrows, Page Up/Down, Home, End). A drop-down is a native <select> with a <label>.
 */
(function () {
  "use strict";

  var STATE = "application/vnd.jupyter.widget-state+json";
  var VIEW = "application/vnd.jupyter.widget-view+json";
  var REF = "IPY_MODEL_";
  var uid = 0;

  function Model(id, spec) {
    this.id = id;
    this.name = spec.model_name;
    this.state = spec.state || {};
    this.listeners = {};
  }
  Model.prototype.get = function (key) { return this.state[key]; };
  Model.prototype.set = function (key, value) {
    if (this.state[key] === value) { return; }
    this.state[key] = value;
    (this.listeners[key] || []).forEach(function (fn) { fn(value); });
  };
  Model.prototype.on = function (key, fn) {
    (this.listeners[key] = this.listeners[key] || []).push(fn);
  };

  function ref(models, value, where) {
    if (typeof value !== "string" || value.indexOf(REF) !== 0 || !models[value.slice(REF.length)]) {
      throw new Error("dlbook-widgets: " + where + " refers to " + JSON.stringify(value) +
                      ", which is not a model of this page");
    }
    return models[value.slice(REF.length)];
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  // Layout: each set property becomes the CSS property of the same name (width, max_width
  // -> max-width, ...); ipywidgets does the same.
  function applyLayout(models, model, el) {
    var layout = model.get("layout");
    if (!layout) { return; }
    var state = ref(models, layout, model.name + ".layout").state;
    Object.keys(state).forEach(function (key) {
      if (key.charAt(0) === "_" || state[key] === null || state[key] === undefined) { return; }
      el.style.setProperty(key.replace(/_/g, "-"), state[key]);
    });
  }

  function descriptionWidth(models, model) {
    var style = model.get("style");
    var width = style ? ref(models, style, model.name + ".style").get("description_width") : "";
    return width && width !== "initial" ? width : "";
  }

  // The description shown before a control; `forId` names the <select> it labels (a
  // slider's handle is named by aria-label, an HTML widget's content by nothing).
  function label(models, model, forId) {
    var text = model.get("description") || "";
    var el = element("label", "widget-label", text);
    if (forId) { el.htmlFor = forId; }
    var width = descriptionWidth(models, model);
    if (width) { el.style.width = width; }
    if (!text) { el.style.display = "none"; }
    return el;
  }

  // This renderer draws only the settings the book uses; any other value is an error, not
  // a widget drawn differently from what the notebook shows.
  function unsupported(model, defaults) {
    Object.keys(defaults).forEach(function (key) {
      var value = model.get(key);
      if (value !== undefined && value !== defaults[key]) {
        throw new Error("dlbook-widgets: " + model.name + "." + key + " = " +
                        JSON.stringify(value) + " is not supported (only " +
                        JSON.stringify(defaults[key]) + ")");
      }
    });
  }

  function box(models, model, direction) {
    var el = element("div", "widget-container widget-box widget-" + direction);
    (model.get("children") || []).forEach(function (child, i) {
      el.appendChild(render(models, ref(models, child, model.name + ".children[" + i + "]")));
    });
    return el;
  }

  var VIEWS = {
    VBoxModel: function (models, model) { return box(models, model, "vbox"); },
    HBoxModel: function (models, model) { return box(models, model, "hbox"); },

    // One child at a time, the one at selected_index, as ipywidgets draws a Stack: each
    // child is drawn when it is first shown and kept for when it is shown again.
    StackModel: function (models, model) {
      var el = element("div", "widget-container widget-box widget-stack");
      var children = model.get("children") || [], drawn = {};
      function show(index) {
        if (index === null || index === undefined) { el.replaceChildren(); return; }
        if (!drawn[index]) {
          drawn[index] = render(models, ref(models, children[index],
                                             model.name + ".children[" + index + "]"));
        }
        el.replaceChildren(drawn[index]);
      }
      show(model.get("selected_index"));
      model.on("selected_index", show);
      return el;
    },

    HTMLModel: function (models, model) {
      unsupported(model, { description_allow_html: false });
      var el = element("div", "widget-inline-hbox widget-html");
      el.appendChild(label(models, model));
      var content = element("div", "widget-html-content");
      content.innerHTML = model.get("value") || "";   // the book's own output, trusted
      el.appendChild(content);
      model.on("value", function (value) { content.innerHTML = value || ""; });
      return el;
    },

    DropdownModel: function (models, model) {
      var el = element("div", "widget-inline-hbox widget-dropdown");
      var id = "dlbook-widget-" + (++uid);
      el.appendChild(label(models, model, id));
      unsupported(model, { disabled: false });
      var select = element("select");
      select.id = id;
      (model.get("_options_labels") || []).forEach(function (text, i) {
        var option = element("option", "", text);
        option.value = String(i);
        select.appendChild(option);
      });
      select.value = String(model.get("index"));
      select.addEventListener("change", function () { model.set("index", Number(select.value)); });
      model.on("index", function (index) { select.value = String(index); });
      el.appendChild(select);
      return el;
    },

    SelectionSliderModel: function (models, model) {
      var labels = model.get("_options_labels") || [];
      var last = labels.length - 1;
      unsupported(model, { orientation: "horizontal", disabled: false, readout: true });
      if (!model.get("description")) {
        throw new Error("dlbook-widgets: a slider needs a description (its accessible name)");
      }
      var el = element("div", "widget-inline-hbox widget-slider widget-hslider");
      el.appendChild(label(models, model));
      var container = element("div", "slider-container");
      var slider = element("div", "slider noUi-target noUi-ltr noUi-horizontal");
      var base = element("div", "noUi-base");
      var handle = element("div", "noUi-handle noUi-handle-lower");
      handle.tabIndex = 0;
      handle.setAttribute("role", "slider");
      handle.setAttribute("aria-orientation", "horizontal");
      handle.setAttribute("aria-valuemin", "0");
      handle.setAttribute("aria-valuemax", String(last));
      handle.setAttribute("aria-label", model.get("description"));
      base.appendChild(element("div", "noUi-connects"));
      base.appendChild(handle);
      slider.appendChild(base);
      container.appendChild(slider);
      el.appendChild(container);
      var readout = element("div", "widget-readout");
      readout.setAttribute("contenteditable", "false");
      readout.setAttribute("aria-hidden", "true");   // the handle announces it
      el.appendChild(readout);

      function show(index) {
        handle.style.left = (last > 0 ? 100 * index / last : 0) + "%";
        handle.setAttribute("aria-valuenow", String(index));
        handle.setAttribute("aria-valuetext", labels[index]);
        readout.textContent = labels[index];
      }
      function choose(index) {
        model.set("index", Math.max(0, Math.min(last, index)));
      }
      function fromPointer(event) {
        var r = base.getBoundingClientRect();
        choose(Math.round((event.clientX - r.left) / Math.max(r.width, 1) * last));
      }
      var dragging = null;                  // the pointer that drags the handle, if any
      function stop(e) {
        if (dragging === null || e.pointerId !== dragging) { return; }
        dragging = null;
        base.removeEventListener("pointermove", move);
        ["pointerup", "pointercancel", "lostpointercapture"].forEach(function (type) {
          base.removeEventListener(type, stop);
        });
      }
      function move(e) { if (e.pointerId === dragging) { fromPointer(e); } }
      base.addEventListener("pointerdown", function (event) {
        if (event.button !== 0 || dragging !== null) { return; }
        event.preventDefault();
        handle.focus();
        dragging = event.pointerId;
        try {
          base.setPointerCapture(event.pointerId);   // keep the drag when it leaves the track
        } catch (err) { /* a synthetic event has no pointer to capture */ }
        fromPointer(event);
        base.addEventListener("pointermove", move);
        ["pointerup", "pointercancel", "lostpointercapture"].forEach(function (type) {
          base.addEventListener(type, stop);
        });
      });
      var STEP = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 };
      handle.addEventListener("keydown", function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey) { return; }   // browser keys
        var index = model.get("index");
        var page = Math.max(1, Math.round(last / 10));
        var to = event.key in STEP ? index + STEP[event.key]
          : event.key === "PageDown" ? index - page : event.key === "PageUp" ? index + page
          : event.key === "Home" ? 0 : event.key === "End" ? last : null;
        if (to === null) { return; }
        event.preventDefault();
        choose(to);
      });
      show(model.get("index"));
      model.on("index", show);
      return el;
    },
  };

  function render(models, model) {
    var view = VIEWS[model.name];
    if (!view) {
      throw new Error("dlbook-widgets: cannot draw a " + model.name + " (this renderer draws " +
                      Object.keys(VIEWS).join(", ") + ")");
    }
    var el = view(models, model);
    el.classList.add("jupyter-widgets");
    (model.get("_dom_classes") || []).forEach(function (c) { el.classList.add(c); });
    applyLayout(models, model, el);
    return el;
  }

  // ipywidgets.jslink: both ways, each change of one side written to the other.
  function link(models, model) {
    var source = model.get("source"), target = model.get("target");
    var a = ref(models, source[0], "Link.source"), b = ref(models, target[0], "Link.target");
    a.on(source[1], function (v) { b.set(target[1], v); });
    b.on(target[1], function (v) { a.set(source[1], v); });
    if (a.get(source[1]) === undefined) {
      throw new Error("dlbook-widgets: a link's source " + a.name + "." + source[1] +
                      " is not in the saved state");
    }
    b.set(target[1], a.get(source[1]));
  }

  function drawAll() {
    var stateEl = document.querySelector('script[type="' + STATE + '"]');
    if (!stateEl) { return; }
    var models = {};
    var saved = JSON.parse(stateEl.textContent).state;
    Object.keys(saved).forEach(function (id) { models[id] = new Model(id, saved[id]); });
    // A link that cannot be made is an error in the views it would have joined (they are
    // drawn, with the message); a model no view shows (a progress bar's, say) is ignored.
    var broken = [];
    Object.keys(models).forEach(function (id) {
      if (models[id].name !== "LinkModel") { return; }
      try {
        link(models, models[id]);
      } catch (err) {
        broken.push(err.message);
        console.error(err);
      }
    });
    document.querySelectorAll('script[type="' + VIEW + '"]').forEach(function (script) {
      var host = element("div", "dlbook-widget-area");
      try {
        var id = JSON.parse(script.textContent).model_id;
        host.appendChild(render(models, ref(models, REF + id, "a widget view")));
        if (broken.length) { throw new Error(broken.join("; ")); }
      } catch (err) {
        var message = element("p", "dlbook-widget-error",
                              "This widget could not be drawn as saved: " + err.message);
        message.setAttribute("role", "alert");
        host.insertBefore(message, host.firstChild);
        console.error(err);
      }
      script.parentNode.insertBefore(host, script.nextSibling);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
