"""The MNIST chapter's results over several seeds: accuracy of the full recipe, and time to
99.0 % test accuracy of the article's recipe against the chapter's fast one.

    python benchmarks/bench_mnist_seeds.py accuracy [--seeds 0 1 2]
    python benchmarks/bench_mnist_seeds.py speed [--seeds 0 1 2 3 4] [--article-epochs 6]

``accuracy`` trains ``RECIPES["full"]`` on the chapter's split (``mnist_split()``: 55,000
training images) once per seed, exactly as the chapter does, and evaluates each network
once on the 5,000 validation and the 10,000 test images: a report, not a choice.

``speed`` trains, for each seed in turn, the article's recipe (batch 32, Adam 1e-3,
``ImageDataGenerator`` with the article's ranges, channel axis fixed) and the chapter's
fast recipe on the same 55,000 images, each in its own process, and measures the training
time (wall clock from the start of ``fit``, input pipeline included, evaluations taken out)
until the test accuracy, checked four times per epoch, first reaches 99.0 %. A run stops
there, or at the end of its epochs. The median over the seeds is each recipe's time; the
table gives every seed and the ratio of the medians.

Every run is one Python process (see benchmarks/README.md for why). Prints tables that
benchmarks/README.md quotes, with the machine they ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from _isolated import report, run_isolated  # noqa: E402
from _watch import accuracy_watch  # noqa: E402

TARGET = 0.99
CHECKS_PER_EPOCH = 4


def _data():
    from dlbook_utils.data import load_mnist, mnist_images, mnist_split

    (x_all, y_all), (x_test, y_test) = load_mnist()
    train_idx, val_idx = mnist_split()
    return ((mnist_images(x_all[train_idx]), y_all[train_idx]),
            (mnist_images(x_all[val_idx]), y_all[val_idx]),
            (mnist_images(x_test), y_test))


def one_accuracy_run(seed):
    from dlbook_utils.training import RECIPES

    (x, y), (xv, yv), (xt, yt) = _data()
    recipe = RECIPES["full"]
    model, data = recipe.prepare(x, y, seed=seed)        # as the chapter's build_run
    start = time.perf_counter()
    model.fit(data, epochs=recipe.epochs, verbose=0, shuffle=False)
    seconds = time.perf_counter() - start
    val = model.evaluate(xv, yv, batch_size=1000, verbose=0)[1]
    test = model.evaluate(xt, yt, batch_size=1000, verbose=0)[1]
    report({"seed": seed, "val": val, "test": test, "seconds": seconds})


def one_speed_run(name, seed, article_epochs):
    from dlbook_utils.training import RECIPES, quiet_tensorflow

    keras = quiet_tensorflow()
    (x, y), _, (xt, yt) = _data()
    if name == "article":
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        from dlbook_utils.models import article_cnn

        keras.utils.set_random_seed(seed)
        model = article_cnn(seed=seed)
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        datagen = ImageDataGenerator(rotation_range=10, width_shift_range=0.1,
                                     height_shift_range=0.1, shear_range=0.1,
                                     zoom_range=[0.9, 1.2])
        data, epochs, steps = (datagen.flow(x, y, batch_size=32, seed=seed), article_epochs,
                               -(-len(y) // 32))
    else:
        recipe = RECIPES["fast"]
        model, data = recipe.prepare(x, y, seed=seed)
        epochs, steps = recipe.epochs, recipe.steps_per_epoch(len(y))
    trace = []
    watch = accuracy_watch(keras, xt, yt, steps, trace, checks_per_epoch=CHECKS_PER_EPOCH,
                           stop_at=TARGET)
    model.fit(data, epochs=epochs, verbose=0, callbacks=[watch], shuffle=False)
    hit = next(((e, t) for e, t, a in trace if a >= TARGET), None)
    report({"name": name, "seed": seed, "hit": hit, "trace": trace})


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import tensorflow as tf  # noqa: F401  (version only)

    return (f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"TensorFlow {tf.__version__}, TF_ENABLE_ONEDNN_OPTS="
            f"{os.environ.get('TF_ENABLE_ONEDNN_OPTS', 'default')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["accuracy", "speed"])
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--article-epochs", type=int, default=6,
                        help="epoch budget of the article's recipe (speed)")
    parser.add_argument("--save", help="where to write the results as JSON (default: "
                        "benchmarks/results/mnist_<what>.json)")
    parser.add_argument("--one", nargs="+", help=argparse.SUPPRESS)   # internal: one run
    args = parser.parse_args()
    if args.one:
        if args.what == "accuracy":
            return one_accuracy_run(int(args.one[0]))
        return one_speed_run(args.one[0], int(args.one[1]), args.article_epochs)

    from dlbook_utils._keras import quiet_tensorflow

    quiet_tensorflow()
    me = os.path.abspath(__file__)
    if args.what == "accuracy":
        seeds = args.seeds or [0, 1, 2]
        runs = []
        for s in seeds:
            runs.append(run_isolated(me, "accuracy", "--one", s))
            print(f"seed {s}: validation {runs[-1]['val']:.2%}, test {runs[-1]['test']:.2%}",
                  flush=True)
        val = np.array([r["val"] for r in runs]) * 100
        test = np.array([r["test"] for r in runs]) * 100
        print(f"\n{machine()}\nfull recipe, {len(seeds)} seeds; one evaluation per network\n")
        print("| seed | validation (5,000) | test (10,000) | test errors | training time |")
        print("|---|---|---|---|---|")
        for r in runs:
            print(f"| {r['seed']} | {100 * r['val']:.2f} % | {100 * r['test']:.2f} % | "
                  f"{round((1 - r['test']) * 10_000)} | {r['seconds']:.0f} s |")
        sd = lambda a: a.std(ddof=1) if len(a) > 1 else float("nan")
        print(f"| mean ± sd | {val.mean():.2f} ± {sd(val):.2f} % | {test.mean():.2f} ± "
              f"{sd(test):.2f} % | | |")
        save(args.save or os.path.join(HERE, "results", "mnist_accuracy.json"),
             {"machine": machine(), "recipe": "full", "runs": runs})
        return
    seeds = args.seeds or [0, 1, 2, 3, 4]
    runs = {}
    for s in seeds:                                  # the two recipes alternate
        for name in ("article", "fast"):
            r = runs[name, s] = run_isolated(me, "speed", "--one", name, s,
                                             "--article-epochs", args.article_epochs)
            print(f"{name}, seed {s}: " + (f"{TARGET:.1%} after {r['hit'][1]:.1f} s (epoch "
                  f"{r['hit'][0]:.2f})" if r["hit"] else "not reached"), flush=True)
    print(f"\n{machine()}\ntime to {TARGET:.1%} test accuracy (training time, test set checked "
          f"{CHECKS_PER_EPOCH}x per epoch)\n")
    print("| seed | article's recipe | fast recipe |")
    print("|---|---|---|")
    cell = lambda r: f"{r['hit'][1]:.1f} s (epoch {r['hit'][0]:.2f})" if r["hit"] else \
        f"not reached ({r['trace'][-1][2]:.2%} after {r['trace'][-1][0]:.2f} epochs)"
    for s in seeds:
        print(f"| {s} | {cell(runs['article', s])} | {cell(runs['fast', s])} |")
    medians = {}
    for name in ("article", "fast"):
        # a run that never reached the target counts as infinitely slow for the median
        times = [runs[name, s]["hit"][1] if runs[name, s]["hit"] else float("inf") for s in seeds]
        medians[name] = float(np.median(times))
        hits = sum(t != float("inf") for t in times)
        print(f"{name}: reached {TARGET:.1%} on {hits} of {len(seeds)} seeds; median "
              f"{medians[name]:.1f} s")
    print(f"median speed-up (article / fast): {medians['article'] / medians['fast']:.1f}x")
    save(args.save or os.path.join(HERE, "results", "mnist_speed.json"),
         {"machine": machine(), "runs": [runs[k] for k in sorted(runs)]})


def save(path, value):
    """Write the results as JSON (the MNIST chapter reads the accuracy table from it)."""
    import json

    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(value, fh, indent=1)
    print(f"saved {path}")


if __name__ == "__main__":
    main()
