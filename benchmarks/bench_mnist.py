"""Time to 99.0 % MNIST test accuracy: the source article's recipe against the chapter's.

    python benchmarks/bench_mnist.py [--cap-minutes 25] [--epochs 15]

Both train the article's network (225,034 parameters) on the same 55,000 training images
and are evaluated on the 10,000 test images after every epoch (this is a benchmark of
training speed, not a model choice, so watching the test set is legitimate here; the
chapter itself uses a validation split). Each run stops at its epoch budget or its time
cap, whichever comes first.

- article: batch 32, Adam(learning_rate=1e-3), ImageDataGenerator with the article's
  ranges (shapes fixed: a channel axis added), augmentation on the main thread.
- ours: batch 128, tf.data pipeline with the Keras 3 augmentation layers in parallel,
  Adam with linear warm-up to 3e-3 then cosine decay (the chapter's settings).

Prints both accuracy traces, the time each first reached 99.0 % and the speed-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from dlbook_utils.data import load_mnist  # noqa: E402
from dlbook_utils.models import (article_augmentation, article_cnn,  # noqa: E402
                                 compile_with_schedule, image_dataset, mnist_images)
from dlbook_utils.training import quiet_tensorflow  # noqa: E402

TARGET = 0.99


def test_every_epoch(keras, x_test, y_test, cap_s):
    """A Keras callback: test accuracy after each epoch against training time (the clock
    stops while it evaluates); stops the run once training time passes ``cap_s``."""

    class Callback(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.trace = []  # (training seconds, test accuracy)
            self.training_s = 0.0

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch_start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.training_s += time.perf_counter() - self.epoch_start
            acc = self.model.evaluate(x_test, y_test, batch_size=1000, verbose=0)[1]
            self.trace.append((self.training_s, acc))
            print(f"  epoch {epoch + 1:2d}: {self.training_s:7.1f} s, test accuracy {acc:.4f}",
                  flush=True)
            if self.training_s > cap_s:
                self.model.stop_training = True

    return Callback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap-minutes", type=float, default=25.0)
    parser.add_argument("--epochs", type=int, default=12, help="epochs of our recipe (the chapter's)")
    parser.add_argument("--article-epochs", type=int, default=10)
    args = parser.parse_args()
    keras = quiet_tensorflow()
    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    (x_all, y_all), (x_test_raw, y_test) = load_mnist()
    order = np.random.default_rng(0).permutation(len(y_all))[:55_000]
    x_train, y_train = mnist_images(x_all[order]), y_all[order]
    x_test = mnist_images(x_test_raw)
    cap_s = 60 * args.cap_minutes
    results = {}

    # The article's recipe.
    keras.utils.set_random_seed(0)
    model = article_cnn()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    datagen = ImageDataGenerator(rotation_range=10, width_shift_range=0.1,
                                 height_shift_range=0.1, shear_range=0.1, zoom_range=[0.9, 1.2])
    cb = test_every_epoch(keras, x_test, y_test, cap_s)
    print("article recipe (batch 32, Adam 1e-3, ImageDataGenerator):", flush=True)
    model.fit(datagen.flow(x_train, y_train, batch_size=32, seed=0), epochs=args.article_epochs,
              verbose=0, callbacks=[cb])
    results["article"] = cb.trace

    # The chapter's recipe.
    keras.utils.set_random_seed(0)
    model = article_cnn()
    compile_with_schedule(model, steps=args.epochs * int(np.ceil(len(y_train) / 128)),
                          peak_lr=3e-3)
    ds = image_dataset(x_train, y_train, batch_size=128, augmentation=article_augmentation(0),
                       shuffle=True)
    cb = test_every_epoch(keras, x_test, y_test, cap_s)
    print("our recipe (batch 128, tf.data, warm-up + cosine):", flush=True)
    model.fit(ds, epochs=args.epochs, verbose=0, callbacks=[cb], shuffle=False)
    results["ours"] = cb.trace

    def first_hit(trace):
        return next((t for t, acc in trace if acc >= TARGET), None)

    print(f"\n{os.cpu_count()} CPUs; time to {TARGET:.1%} test accuracy (training time only)")
    print(f"{'recipe':<10} {'epochs':>6} {'to 99.0 %':>10} {'final acc':>10} {'total s':>8}")
    for name, trace in results.items():
        hit = first_hit(trace)
        hit_text = f"{hit:.1f} s" if hit is not None else "not reached"
        print(f"{name:<10} {len(trace):>6} {hit_text:>10} {trace[-1][1]:>10.4f} "
              f"{trace[-1][0]:>8.1f}")
    a, o = first_hit(results["article"]), first_hit(results["ours"])
    if a is not None and o is not None:
        print(f"speed-up to 99.0 %: {a / o:.1f}x")
    elif o is not None:
        print(f"speed-up to 99.0 %: more than {results['article'][-1][0] / o:.1f}x "
              "(the article's recipe did not reach 99.0 % within its budget)")
    else:
        print("our recipe did not reach 99.0 %")


if __name__ == "__main__":
    main()
