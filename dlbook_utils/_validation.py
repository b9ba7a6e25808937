"""Small argument checks shared by the public helpers.

Every message has one shape, borrowed from Keras:
``"Argument `alpha` must be a finite number in [0, 1). Received: alpha=2"``.
"""

from __future__ import annotations

import numbers

import numpy as np


def _received(name, value):
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"Received: {name}={text}"


def as_float_array(x, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float64 array, or raise if it is not real numbers.

    Booleans, strings, complex numbers and ragged or object arrays are refused
    rather than coerced, so that a mistake is reported instead of hidden.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(
            f"Argument `{name}` must be a real number or an array-like of real numbers. "
            f"{_received(name, x)} of type {type(x).__name__}"
        )
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(
            f"Argument `{name}` must be a rectangular array of real numbers; "
            f"it could not be converted ({exc}). {_received(name, x)}"
        ) from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(
            f"Argument `{name}` must hold real numbers (integer or float), "
            f"not dtype {arr.dtype}. {_received(name, x)}"
        )
    return arr.astype(np.float64, copy=False)


def check_number(value, name: str, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float after checking it is a finite real in the interval.

    ``low``/``high`` of ``None`` mean unbounded; ``*_open`` makes that end exclusive.
    """
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    allowed = f"a finite number in {left}{lo}, {hi}{right}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Argument `{name}` must be {allowed}. {_received(name, value)}")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"Argument `{name}` must be {allowed}. {_received(name, value)}")
    too_low = low is not None and (v <= low if low_open else v < low)
    too_high = high is not None and (v >= high if high_open else v > high)
    if too_low or too_high:
        raise ValueError(f"Argument `{name}` must be {allowed}. {_received(name, value)}")
    return v


def check_int(value, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an int after checking it is an integer in ``[low, high]``."""
    lo = "-inf" if low is None else str(low)
    hi = "inf" if high is None else str(high)
    allowed = f"an integer in [{lo}, {hi}]"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"Argument `{name}` must be {allowed}. {_received(name, value)}")
    v = int(value)
    if (low is not None and v < low) or (high is not None and v > high):
        raise ValueError(f"Argument `{name}` must be {allowed}. {_received(name, value)}")
    return v


def check_bool(value, name: str) -> bool:
    """Return ``value`` as a bool if it is ``True`` or ``False`` (NumPy's included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"Argument `{name}` must be True or False. {_received(name, value)}")
    return bool(value)


def check_choice(value, name: str, choices) -> str:
    """Return ``value`` if it is one of ``choices``; otherwise list the choices."""
    choices = list(choices)
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"Argument `{name}` must be one of {listed}. {_received(name, value)}")
    return value


def as_rng(rng, name: str = "rng") -> np.random.Generator:
    """Normalize the package's one randomness argument, as SPEC 7 recommends.

    Every NumPy-side function that draws random numbers takes one keyword, ``rng``:

    - a ``numpy.random.Generator`` is used as it is (a caller can thread one through
      several functions);
    - a non-negative int seeds a new generator, ``numpy.random.default_rng(rng)``;
    - ``None`` draws fresh entropy from the operating system (not repeatable).

    Anything else (a float, a bool, the legacy ``RandomState``) raises a ``TypeError``.
    The Keras-side builders take an int ``seed`` instead, as Keras does.
    """
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(
            f"Argument `{name}` must be None, a non-negative integer or a "
            f"numpy.random.Generator. {_received(name, rng)} of type {type(rng).__name__}"
        )
    return np.random.default_rng(check_int(rng, name, low=0))
