"""Time to 99.0 % MNIST test accuracy: the source article's recipe against the chapter's.

    python benchmarks/bench_mnist.py [--cap-minutes 12] [--article-epochs 8] [--no-full]

All recipes train the article's network (225,034 parameters) on the same 55,000 training
images and are evaluated on the 10,000 test images four times per epoch (this benchmarks
training speed, not a model choice, so watching the test set is legitimate here; the
chapter itself uses a validation split). The clock is wall-clock time from the start of
``fit``, input pipeline included, with the evaluations taken out. Each run stops at its
epoch budget or its time cap, whichever comes first.

- article: batch 32, ``Adam(learning_rate=1e-3)``, ``ImageDataGenerator`` with the
  article's ranges (shapes fixed: a channel axis added), augmenting on the main thread.
- fast: the chapter's first run (``RECIPES["fast"]``): batch 128, a ``tf.data`` pipeline,
  Adam with a linear warm-up to 3e-3 then a cosine decay, 2 epochs, no augmentation.
- full: the chapter's full run (``RECIPES["full"]``): the same with the article's
  augmentation (Keras 3 layers in the pipeline), a longer schedule and label smoothing.

Each recipe runs in its own Python process: after a ``fit`` on the article's
``ImageDataGenerator`` (a Keras ``PyDataset``), ``tf.data`` training in the same process
ran twice as slowly on the project's machine (TensorFlow 2.21, Keras 3.15; measured:
20 s per epoch of the fast recipe on its own, 38 s after 200 steps of the article's).

Prints each accuracy trace, a table (time to 99.0 %, final accuracy, training time) and
the speed-up of the fast recipe over the article's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
from describe import describe  # noqa: E402
from dlbook_utils.data import load_mnist, mnist_images, mnist_split  # noqa: E402
from dlbook_utils.models import article_cnn  # noqa: E402
from dlbook_utils.training import RECIPES, quiet_tensorflow  # noqa: E402

TARGET = 0.99
CHECKS_PER_EPOCH = 4


def test_trace(keras, x_test, y_test, steps_per_epoch, cap_s):
    """A Keras callback: test accuracy ``CHECKS_PER_EPOCH`` times per epoch against training
    time (wall clock since ``fit`` began, minus the time spent evaluating); stops the run
    once training time passes ``cap_s``."""
    checkpoints = {round(steps_per_epoch * q / CHECKS_PER_EPOCH)
                   for q in range(1, CHECKS_PER_EPOCH + 1)}

    class Callback(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.trace = []  # (epochs done, training seconds, test accuracy)
            self.evaluating_s = 0.0

        def on_train_begin(self, logs=None):
            self.start = time.perf_counter()

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if batch + 1 not in checkpoints:
                return
            training_s = time.perf_counter() - self.start - self.evaluating_s
            t = time.perf_counter()
            acc = self.model.evaluate(x_test, y_test, batch_size=1000, verbose=0)[1]
            self.evaluating_s += time.perf_counter() - t
            epochs = self.epoch + (batch + 1) / steps_per_epoch
            self.trace.append((epochs, training_s, acc))
            print(f"  {epochs:5.2f} epochs {training_s:7.1f} s  test accuracy {acc:.4f}",
                  flush=True)
            if training_s > cap_s:
                self.model.stop_training = True

    return Callback()


def first_hit(trace, every_epoch=False):
    """(epochs, seconds) of the first check at or above TARGET; ``every_epoch``: look only
    at the checks at the end of an epoch."""
    return next(((e, t) for e, t, acc in trace
                 if acc >= TARGET and (not every_epoch or abs(e - round(e)) < 1e-9)), None)


def run_recipe(name, article_epochs, cap_s):
    """Train one recipe in this process; return its trace."""
    keras = quiet_tensorflow()
    (x_all, y_all), (x_test_raw, y_test) = load_mnist()
    train_idx, _ = mnist_split()                      # the chapter's training images
    x_train, y_train = mnist_images(x_all[train_idx]), y_all[train_idx]
    x_test = mnist_images(x_test_raw)
    n = len(y_train)
    if name == "article":  # shapes fixed, otherwise as printed
        keras.utils.set_random_seed(0)
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        model = article_cnn()
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        datagen = ImageDataGenerator(rotation_range=10, width_shift_range=0.1,
                                     height_shift_range=0.1, shear_range=0.1,
                                     zoom_range=[0.9, 1.2])
        cb = test_trace(keras, x_test, y_test, int(np.ceil(n / 32)), cap_s)
        print("article: batch 32, Adam 1e-3, ImageDataGenerator", flush=True)
        model.fit(datagen.flow(x_train, y_train, batch_size=32, seed=0),
                  epochs=article_epochs, verbose=0, callbacks=[cb])
        return cb.trace
    recipe = RECIPES[name]
    model, ds = recipe.prepare(x_train, y_train, seed=0)   # as the chapter trains it
    cb = test_trace(keras, x_test, y_test, recipe.steps_per_epoch(n), cap_s)
    print(f"{name}: {describe(recipe)}", flush=True)
    model.fit(ds, epochs=recipe.epochs, verbose=0, callbacks=[cb], shuffle=False)
    return cb.trace


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap-minutes", type=float, default=12.0,
                        help="time cap of each recipe (training time)")
    parser.add_argument("--article-epochs", type=int, default=8)
    parser.add_argument("--no-full", action="store_true", help="skip the chapter's full run")
    parser.add_argument("--only", choices=["article", *RECIPES],
                        help="(internal) run one recipe in this process")
    args = parser.parse_args()
    if args.only:
        trace = run_recipe(args.only, args.article_epochs, 60 * args.cap_minutes)
        print("TRACE " + json.dumps(trace), flush=True)
        return

    results = {}
    for name in ["article", "fast"] + ([] if args.no_full else ["full"]):
        child = subprocess.Popen(
            [sys.executable, __file__, "--only", name, "--cap-minutes", str(args.cap_minutes),
             "--article-epochs", str(args.article_epochs)],
            stdout=subprocess.PIPE, text=True)
        for line in child.stdout:
            if line.startswith("TRACE "):
                results[name] = json.loads(line[6:])
            else:
                print(line, end="", flush=True)
        if child.wait() != 0 or name not in results:
            sys.exit(f"the {name} recipe failed (exit status {child.returncode})")

    print(f"\n{os.cpu_count()} CPUs; time to {TARGET:.1%} test accuracy (training time; "
          f"one process per recipe)\n")
    print(f"| recipe | epochs run | to 99.0 %, test set checked {CHECKS_PER_EPOCH}x per epoch "
          "| to 99.0 %, checked after each epoch | final test accuracy | training time |")
    print("|---|---|---|---|---|---|")
    for name, trace in results.items():
        cells = []
        for every_epoch in (False, True):
            hit = first_hit(trace, every_epoch)
            cells.append(f"{hit[1]:.1f} s (epoch {hit[0]:.2f})" if hit else "not reached")
        epochs, seconds, acc = trace[-1]
        print(f"| {name} | {epochs:.2f} | {cells[0]} | {cells[1]} | {acc:.2%} | {seconds:.1f} s |")
    for every_epoch, label in ((False, f"{CHECKS_PER_EPOCH}x per epoch"),
                               (True, "after each epoch")):
        a = first_hit(results["article"], every_epoch)
        f = first_hit(results["fast"], every_epoch)
        if a and f:
            print(f"speed-up to 99.0 % (article / fast), checked {label}: {a[1] / f[1]:.1f}x")
        elif f:
            print(f"speed-up to 99.0 %, checked {label}: more than "
                  f"{results['article'][-1][1] / f[1]:.1f}x (the article's recipe did not "
                  "reach 99.0 % within its budget)")
        else:
            print(f"the fast recipe did not reach 99.0 % (checked {label})")


if __name__ == "__main__":
    main()
