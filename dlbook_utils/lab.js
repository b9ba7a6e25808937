/* dlbook draw-a-digit lab: the MNIST chapter's network, run in the page.
 *
 * Plain JavaScript, no library: the same four operations as the chapter's NumPy forward
 * pass (valid 3×3 convolution + ReLU, 2×2 max-pooling, dense layers, softmax), in the same
 * memory layout as Keras (height, width, channels; kernels (kh, kw, c_in, c_out); dense
 * weights (inputs, outputs)). `preprocess` turns a drawing into an MNIST-style 28×28 image:
 * bounding box of the ink, scaled to fit 20×20 keeping the aspect ratio (area-averaged, which
 * anti-aliases), centre of mass moved to the centre of the 28×28 field (LeCun et al. 1998).
 *
 * Works as a browser script (window.dlbookDigitLab) and as a Node module (the parity test).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.dlbookDigitLab = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // ---------------------------------------------------------------- weights
  function base64Bytes(text) {
    if (typeof atob === "function") {
      const raw = atob(text), out = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
      return out;
    }
    return new Uint8Array(Buffer.from(text, "base64"));   // Node
  }

  function halfToFloat(h) {
    // IEEE 754 binary16 -> number.
    const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
    if (exp === 0) return sign * Math.pow(2, -14) * (frac / 1024);
    if (exp === 31) return frac ? NaN : sign * Infinity;
    return sign * Math.pow(2, exp - 15) * (1 + frac / 1024);
  }

  // Decode the exported network: {layers: [{type, shape, ...}], weights: base64 float16,
  // little-endian, every array in order}. Returns layers with Float32Array weights.
  function decodeNetwork(spec) {
    const bytes = base64Bytes(spec.weights);
    const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    let at = 0;
    const take = (n) => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(halves[at + i]);
      at += n;
      return out;
    };
    const layers = spec.layers.map((layer) => {
      const l = Object.assign({}, layer);
      if (l.type === "conv") {
        l.kernel = take(l.k * l.k * l.cin * l.cout);
        l.bias = take(l.cout);
      } else if (l.type === "dense") {
        l.kernel = take(l.nin * l.nout);
        l.bias = take(l.nout);
      }
      return l;
    });
    if (at !== halves.length) throw new Error(`weights: ${halves.length} numbers, layers use ${at}`);
    return layers;
  }

  // ---------------------------------------------------------------- the four operations
  // [forward pass: shown in the MNIST chapter]
  // x: Float32Array (h, w, cin) -> (h-k+1, w-k+1, cout), "valid", stride 1, then ReLU.
  function conv2dRelu(x, h, w, l) {
    const { k, cin, cout, kernel, bias } = l, oh = h - k + 1, ow = w - k + 1;
    const out = new Float32Array(oh * ow * cout);
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const o = (i * ow + j) * cout;
        for (let c = 0; c < cout; c++) out[o + c] = bias[c];
        for (let di = 0; di < k; di++) {
          for (let dj = 0; dj < k; dj++) {
            const xi = ((i + di) * w + (j + dj)) * cin, ki = (di * k + dj) * cin;
            for (let ci = 0; ci < cin; ci++) {
              const v = x[xi + ci];
              if (v === 0) continue;                      // after ReLU most inputs are 0
              const kr = (ki + ci) * cout;
              for (let c = 0; c < cout; c++) out[o + c] += v * kernel[kr + c];
            }
          }
        }
        for (let c = 0; c < cout; c++) if (out[o + c] < 0) out[o + c] = 0;
      }
    }
    return { data: out, h: oh, w: ow, c: cout };
  }

  // 2×2 max-pooling, stride 2 ("valid": an odd last row/column is dropped, as in Keras).
  function maxPool2(x, h, w, c) {
    const oh = Math.floor(h / 2), ow = Math.floor(w / 2), out = new Float32Array(oh * ow * c);
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++) {
          let m = -Infinity;
          for (let di = 0; di < 2; di++)
            for (let dj = 0; dj < 2; dj++) m = Math.max(m, x[((2 * i + di) * w + 2 * j + dj) * c + ch]);
          out[(i * ow + j) * c + ch] = m;
        }
    return { data: out, h: oh, w: ow, c: c };
  }

  function dense(x, l) {
    const { nin, nout, kernel, bias } = l, out = Float32Array.from(bias);
    for (let i = 0; i < nin; i++) {
      const v = x[i];
      if (v === 0) continue;
      const r = i * nout;
      for (let o = 0; o < nout; o++) out[o] += v * kernel[r + o];
    }
    if (l.activation === "relu") for (let o = 0; o < nout; o++) if (out[o] < 0) out[o] = 0;
    return out;
  }

  function softmax(z) {
    const m = Math.max(...z), e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  }

  // image: 784 numbers in [0, 1], row by row. Returns the ten probabilities and every
  // convolution's feature maps ({data, h, w, c}).
  function forward(layers, image) {
    let t = { data: Float32Array.from(image), h: 28, w: 28, c: 1 };
    const maps = [];
    for (const l of layers) {
      if (l.type === "conv") { t = conv2dRelu(t.data, t.h, t.w, l); maps.push(t); }
      else if (l.type === "pool") t = maxPool2(t.data, t.h, t.w, t.c);
      else if (l.type === "flatten") t = { data: t.data };         // already (h, w, c) order
      else if (l.type === "dense") {
        const z = dense(t.data, l);
        t = { data: l.activation === "softmax" ? Float32Array.from(softmax(Array.from(z))) : z };
      } else throw new Error(`unknown layer type ${l.type}`);
    }
    return { probs: Array.from(t.data), maps: maps };
  }
  // [end of the forward pass]

  // ---------------------------------------------------------------- MNIST-style preprocessing
  // ink: Float32Array (size × size), values in [0, 1] (0 = background). Returns 784 numbers
  // in [0, 1], or null when nothing is drawn.
  function preprocess(ink, size) {
    let top = size, bottom = -1, left = size, right = -1;
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++)
        if (ink[i * size + j] > 0.05) {
          if (i < top) top = i; if (i > bottom) bottom = i;
          if (j < left) left = j; if (j > right) right = j;
        }
    if (bottom < 0) return null;
    const bh = bottom - top + 1, bw = right - left + 1, scale = 20 / Math.max(bh, bw);
    // Target box: the bounding box scaled by `scale` (at least one pixel on each side).
    const th = Math.max(1, Math.round(bh * scale)), tw = Math.max(1, Math.round(bw * scale));
    const sy = bh / th, sx = bw / tw;                    // source pixels per target pixel
    const small = new Float32Array(th * tw);
    // Area averaging: each target pixel is the mean of the source area it covers.
    for (let i = 0; i < th; i++) {
      const y0 = top + i * sy, y1 = y0 + sy;
      for (let j = 0; j < tw; j++) {
        const x0 = left + j * sx, x1 = x0 + sx;
        let sum = 0;
        // (min with bottom/right: rounding can put y1 a hair past the last ink row)
        for (let y = Math.floor(y0); y < Math.min(Math.ceil(y1), bottom + 1); y++) {
          const wy = Math.min(y + 1, y1) - Math.max(y, y0);
          for (let x = Math.floor(x0); x < Math.min(Math.ceil(x1), right + 1); x++) {
            const wx = Math.min(x + 1, x1) - Math.max(x, x0);
            sum += wy * wx * ink[y * size + x];
          }
        }
        small[i * tw + j] = sum / (sy * sx);
      }
    }
    // Centre of mass of the small image; move it to the centre of pixel (14, 14) (where
    // MNIST's digits have it: 14.5 in these units, pixel i spanning [i, i + 1)), by a whole
    // number of pixels, keeping the whole box inside the field.
    let mass = 0, cy = 0, cx = 0;
    for (let i = 0; i < th; i++)
      for (let j = 0; j < tw; j++) { const v = small[i * tw + j]; mass += v; cy += v * (i + 0.5); cx += v * (j + 0.5); }
    if (!(mass > 0)) return null;
    cy /= mass; cx /= mass;
    const clamp = (v, hi) => Math.min(Math.max(v, 0), hi);
    const oy = clamp(Math.round(14.5 - cy), 28 - th), ox = clamp(Math.round(14.5 - cx), 28 - tw);
    const out = new Float32Array(784);
    for (let i = 0; i < th; i++)
      for (let j = 0; j < tw; j++) out[(oy + i) * 28 + ox + j] = Math.min(1, small[i * tw + j]);
    return out;
  }

  // ---------------------------------------------------------------- the page
  function el(tag, attrs, parent) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v; else e.setAttribute(k, v);
    }
    if (parent) parent.appendChild(e);
    return e;
  }

  function paintGray(canvas, values, h, w, max) {
    const ctx = canvas.getContext("2d"), img = ctx.createImageData(w, h);
    for (let p = 0; p < h * w; p++) {
      const g = Math.round(255 * Math.min(1, Math.max(0, values(p) / (max || 1))));
      img.data[4 * p] = img.data[4 * p + 1] = img.data[4 * p + 2] = g;
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function mount(root, config) {
    const layers = decodeNetwork(config.network), SIZE = 280;
    root.classList.add("dlbook-lab");
    root.textContent = "";
    const top = el("div", { class: "dlbook-lab-top" }, root);
    const left = el("div", { class: "dlbook-lab-draw" }, top);
    const pad = el("canvas", { width: SIZE, height: SIZE, class: "dlbook-lab-pad",
      role: "img", "aria-label": "Drawing area: draw one digit with the mouse, a pen or a " +
        "finger. Without a pointer, load a test digit with the buttons below." }, left);
    const buttons = el("div", { class: "dlbook-lab-buttons" }, left);
    const clear = el("button", { type: "button", text: "Clear" }, buttons);
    const examples = el("div", { class: "dlbook-lab-examples", role: "group",
      "aria-label": "Load a test digit" }, left);
    el("span", { text: "Test digits: " }, examples);
    const middle = el("div", { class: "dlbook-lab-middle" }, top);
    el("div", { class: "dlbook-lab-caption", text: "What the network sees (28 × 28)" }, middle);
    const preview = el("canvas", { width: 28, height: 28, class: "dlbook-lab-preview",
      role: "img", "aria-label": "The 28 by 28 image given to the network" }, middle);
    const result = el("p", { class: "dlbook-lab-result", "aria-live": "polite",
      text: "Draw a digit." }, middle);
    const bars = el("div", { class: "dlbook-lab-bars", role: "list",
      "aria-label": "Probability of each digit" }, top);
    const barRows = [];
    for (let d = 0; d < 10; d++) {
      const row = el("div", { class: "dlbook-lab-bar", role: "listitem" }, bars);
      el("span", { class: "dlbook-lab-digit", text: String(d) }, row);
      const track = el("span", { class: "dlbook-lab-track" }, row);
      const fill = el("span", { class: "dlbook-lab-fill" }, track);
      const value = el("span", { class: "dlbook-lab-value", text: "–" }, row);
      barRows.push({ row, fill, value });
    }
    const mapsBox = el("div", { class: "dlbook-lab-maps" }, root);
    const mapCanvases = [];
    layers.filter((l) => l.type === "conv").forEach((l, n) => {
      el("div", { class: "dlbook-lab-caption",
        text: `Convolution ${n + 1}: ${l.cout} feature maps (after ReLU)` }, mapsBox);
      const grid = el("div", { class: "dlbook-lab-grid", role: "img",
        "aria-label": `The ${l.cout} feature maps of convolution ${n + 1} for this image` }, mapsBox);
      const list = [];
      for (let c = 0; c < l.cout; c++) list.push(el("canvas", { class: "dlbook-lab-map" }, grid));
      mapCanvases.push(list);
    });

    const ctx = pad.getContext("2d");
    function blank() {
      ctx.fillStyle = "#000"; ctx.fillRect(0, 0, SIZE, SIZE);
    }
    blank();

    function show(image, source, announce) {
      paintGray(preview, (p) => image[p], 28, 28, 1);
      const t0 = performance.now(), out = forward(layers, image), ms = performance.now() - t0;
      let best = 0;
      out.probs.forEach((p, d) => {
        if (p > out.probs[best]) best = d;
        barRows[d].fill.style.width = `${(100 * p).toFixed(1)}%`;
        barRows[d].value.textContent = `${(100 * p).toFixed(1)} %`;
      });
      barRows.forEach((b, d) => b.row.classList.toggle("dlbook-lab-best", d === best));
      // The live region speaks once per drawing (at the end of a stroke), not every frame.
      if (announce) result.textContent = `${source}: the network says ${best} (${(100 * out.probs[best]).toFixed(1)} %).`;
      root.dataset.prediction = String(best);
      root.dataset.forwardMs = ms.toFixed(2);
      out.maps.forEach((m, n) => {
        let max = 0;
        for (const v of m.data) if (v > max) max = v;
        mapCanvases[n].forEach((cv, c) => {
          cv.width = m.w; cv.height = m.h;
          paintGray(cv, (p) => m.data[p * m.c + c], m.h, m.w, max);
        });
      });
    }

    function fromPad(announce) {
      const data = ctx.getImageData(0, 0, SIZE, SIZE).data, ink = new Float32Array(SIZE * SIZE);
      for (let p = 0; p < SIZE * SIZE; p++) ink[p] = data[4 * p] / 255;
      const image = preprocess(ink, SIZE);
      if (image) show(image, "Your digit", announce);
    }

    function reset() {
      blank();
      paintGray(preview, () => 0, 28, 28, 1);
      barRows.forEach((b) => { b.fill.style.width = "0"; b.value.textContent = "–"; b.row.classList.remove("dlbook-lab-best"); });
      mapCanvases.forEach((list) => list.forEach((cv) => paintGray(cv, () => 0, cv.height, cv.width, 1)));
      result.textContent = "Draw a digit.";
      delete root.dataset.prediction;
    }

    // Drawing: pointer events cover mouse, pen and touch.
    // One pointer at a time (a second finger is ignored); the primary button only.
    let drawing = null, last = null, pending = false;
    const pos = (e) => {
      const r = pad.getBoundingClientRect();          // inside the border: client box
      return [(e.clientX - r.left - pad.clientLeft) * SIZE / pad.clientWidth,
              (e.clientY - r.top - pad.clientTop) * SIZE / pad.clientHeight];
    };
    const schedule = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; fromPad(false); });
    };
    pad.addEventListener("pointerdown", (e) => {
      if (drawing !== null || e.button !== 0) return;
      if (root.dataset.source === "example") { blank(); }
      root.dataset.source = "drawing";
      drawing = e.pointerId; last = pos(e); pad.setPointerCapture(e.pointerId);
      ctx.fillStyle = "#fff"; ctx.beginPath(); ctx.arc(last[0], last[1], 9, 0, 2 * Math.PI); ctx.fill();
      e.preventDefault();
    });
    pad.addEventListener("pointermove", (e) => {
      if (e.pointerId !== drawing) return;
      const p = pos(e);
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 18; ctx.lineCap = "round"; ctx.lineJoin = "round";
      ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
      last = p;
      schedule();
      e.preventDefault();
    });
    const stop = (e) => { if (e.pointerId === drawing) { drawing = null; fromPad(true); } };
    pad.addEventListener("pointerup", stop);
    pad.addEventListener("pointercancel", stop);
    clear.addEventListener("click", () => { reset(); root.dataset.source = "drawing"; });

    (config.examples || []).forEach((ex) => {
      const pixels = base64Bytes(ex.pixels);
      const image = Float32Array.from(pixels, (v) => v / 255);
      const b = el("button", { type: "button", class: "dlbook-lab-example",
        text: ex.label, title: ex.title, "aria-label": ex.title }, examples);
      b.addEventListener("click", () => {
        // The test digit, drawn large on the pad; the network gets its 28×28 pixels as they are.
        const img = ctx.createImageData(SIZE, SIZE), f = SIZE / 28;
        for (let y = 0; y < SIZE; y++)
          for (let x = 0; x < SIZE; x++) {
            const g = pixels[Math.floor(y / f) * 28 + Math.floor(x / f)], p = 4 * (y * SIZE + x);
            img.data[p] = img.data[p + 1] = img.data[p + 2] = g; img.data[p + 3] = 255;
          }
        ctx.putImageData(img, 0, 0);
        root.dataset.source = "example";
        show(image, "This test digit", true);
      });
    });
    reset();
    root.dataset.ready = "1";
    return { show, reset, layers };
  }

  return { decodeNetwork, forward, preprocess, mount, halfToFloat };
});
