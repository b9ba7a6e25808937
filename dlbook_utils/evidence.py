"""Multi-seed evidence: the book's rule for claims that compare settings.

A claim such as "dropout raises validation accuracy" rests on several runs that
differ only in their random seed (initialization, batch order, dropout masks).
The runs of two settings with the same seed share their data, so the book
compares them *paired*: for each seed, the difference between the two settings,
then the mean and standard deviation of those differences over the seeds.

With :math:`n` seeds and paired differences :math:`d_1, \\dots, d_n`,

.. math::

    \\bar d = \\frac1n\\sum_i d_i, \\qquad
    s = \\sqrt{\\frac{1}{n-1}\\sum_i (d_i - \\bar d)^2}, \\qquad
    \\operatorname{se} = s / \\sqrt n .

A difference is called *clear* when :math:`|\\bar d| > 2\\,\\operatorname{se}`
(roughly a 95 % interval that excludes zero; with 5 seeds a t-interval would
use 2.78 instead of 2, which the chapters' claims also pass where they say so).
See e.g. Bouthillier et al., "Accounting for variance in machine learning
benchmarks", MLSys 2021, on why one seed is not evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_number

__all__ = ["MIN_SEEDS", "Summary", "check_seeds", "paired", "seed_table", "summarize"]

#: The fewest seeds a comparison in the book may rest on.
MIN_SEEDS = 5


@dataclass(frozen=True)
class Summary:
    """Mean, sample standard deviation and standard error of the mean of ``n`` values."""

    mean: float
    sd: float
    se: float
    n: int

    def clear(self, k=2.0):
        """Whether the mean is more than ``k`` standard errors away from zero."""
        k = check_number(k, "k", low=0.0, low_open=True)
        return abs(self.mean) > k * self.se

    def __format__(self, spec):
        spec = spec or ".2f"
        return f"{self.mean:{spec}} ± {self.sd:{spec.lstrip('+- ')}}"


def _values(values, name):
    v = as_float_array(values, name)
    if v.ndim != 1 or v.size < 2:
        raise ValueError(f"Argument `{name}` must be a 1-D sequence of at least 2 numbers (one "
                         f"per seed). Received: shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"Argument `{name}` must hold finite numbers. Received: {v.tolist()}")
    return v


def summarize(values):
    """Mean ± sample standard deviation (ddof = 1) of one setting's runs.

    Parameters
    ----------
    values : sequence of float
        One number per seed (at least 2).

    Returns
    -------
    Summary

    Examples
    --------
    >>> s = summarize([90.5, 90.0, 91.0])
    >>> f"{s}", round(s.se, 4)
    ('90.50 ± 0.50', 0.2887)
    """
    v = _values(values, "values")
    sd = float(v.std(ddof=1))
    return Summary(float(v.mean()), sd, sd / float(np.sqrt(v.size)), int(v.size))


def paired(values, baseline):
    """Summary of the per-seed differences ``values[i] - baseline[i]``.

    Parameters
    ----------
    values, baseline : sequence of float
        The same seeds, in the same order, for the setting and for the baseline.

    Returns
    -------
    Summary

    Examples
    --------
    >>> paired([91.0, 90.5, 91.5], [90.0, 90.0, 90.5]).mean
    0.8333333333333334
    """
    v, b = _values(values, "values"), _values(baseline, "baseline")
    if v.shape != b.shape:
        raise ValueError("Arguments `values` and `baseline` must have one number per seed each, "
                         f"for the same seeds. Received: {v.size} and {b.size} numbers")
    return summarize(v - b)


def seed_table(results: Mapping, *, baseline=None, seeds=None, unit="%", fmt=".2f"):
    """A plain-text table: one row per seed, then mean ± sd, then the paired differences.

    Parameters
    ----------
    results : mapping of str to sequence of float
        Setting → one number per seed, every setting with the same seeds.
    baseline : str, optional
        A key of ``results``: adds a row of paired differences against it.
    seeds : sequence, optional
        Labels of the rows (default 0, 1, ...).
    unit : str, default "%"
        Appended to the header.
    fmt : str, default ".2f"

    Returns
    -------
    str
    """
    if not isinstance(results, Mapping) or not results:
        raise TypeError("Argument `results` must be a non-empty mapping of setting to values. "
                        f"Received: results={type(results).__name__}")
    cols = {k: _values(v, f"results[{k!r}]") for k, v in results.items()}
    n = {v.size for v in cols.values()}
    if len(n) != 1:
        raise ValueError("Argument `results` must have the same number of seeds in every "
                         f"setting. Received: { {k: v.size for k, v in cols.items()} }")
    n = n.pop()
    if baseline is not None and baseline not in cols:
        raise ValueError(f"Argument `baseline` must be one of {sorted(cols)}. "
                         f"Received: baseline={baseline!r}")
    seeds = list(range(n)) if seeds is None else list(seeds)
    if len(seeds) != n:
        raise ValueError(f"Argument `seeds` must label {n} rows. Received: {len(seeds)} labels")
    rows = [[f"seed {s}"] + [f"{v[i]:{fmt}}" for v in cols.values()] for i, s in enumerate(seeds)]
    rows.append(["mean ± sd"] + [f"{summarize(v):{fmt}}" for v in cols.values()])
    if baseline is not None:
        rows.append([f"paired Δ vs {baseline}"] + [
            "" if k == baseline else f"{paired(v, cols[baseline]):+{fmt}}"
            for k, v in cols.items()])
    header = [f"({unit})" if unit else ""] + list(cols)
    widths = [max(len(r[j]) for r in rows + [header]) for j in range(len(header))]
    line = lambda r: "  ".join(c.rjust(w) if j else c.ljust(w)  # noqa: E731
                               for j, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([line(header)] + [line(r) for r in rows])


def check_seeds(seeds: Sequence):
    """Return ``seeds`` as a list; raise unless it has at least :data:`MIN_SEEDS` distinct
    entries.

    Examples
    --------
    >>> check_seeds(range(5))
    [0, 1, 2, 3, 4]
    """
    if len(set(seeds)) < MIN_SEEDS:
        raise ValueError(f"A comparison in the book rests on at least {MIN_SEEDS} seeds. "
                         f"Received: seeds={list(seeds)!r}")
    return list(seeds)
