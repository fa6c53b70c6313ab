"""Funnel plot control limits for a proportion (binomial), after Spiegelhalter (2005).

A funnel plot shows each unit's proportion (here: the share of children leaving care who were
adopted) against the size of its denominator, with control limits around a target proportion
``p0`` (England). A unit outside the 99.8% limits differs from the target by more than chance
alone would explain ("special cause"); between the 95% and 99.8% limits is a warning.

Method: D. J. Spiegelhalter, *Funnel plots for comparing institutional performance*,
Statistics in Medicine 24 (2005) 1185-1202, appendix A.1.1 (exact binomial limits with
interpolation), as used by the NHS and Public Health England funnel plot tools. For a
denominator ``n`` and probability ``q`` (0.025 and 0.975 for 95% limits; 0.001 and 0.999 for
99.8%):

- ``r`` is the smallest count with ``P(R <= r) >= q`` for ``R ~ Binomial(n, p0)``;
- ``alpha = (P(R <= r) - q) / (P(R <= r) - P(R <= r - 1))``;
- the limit is ``(r - alpha) / n``, kept within 0 and 1.

The interpolation makes the limits a smooth function of ``n`` instead of a staircase.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["FUNNEL_LEVELS", "binomial_limit", "funnel_limits", "funnel_position"]

#: Two-sided coverage of the limits drawn: 95% ("warning") and 99.8% ("control").
FUNNEL_LEVELS: tuple[float, ...] = (0.95, 0.998)


def binomial_limit(n: float | np.ndarray, p0: float, q: float) -> np.ndarray:
    """The ``q`` quantile of a proportion out of ``n`` under ``Binomial(n, p0)``, interpolated.

    Parameters
    ----------
    n
        Denominator(s), whole numbers >= 1 (an ``n`` below 1 gives NaN).
    p0
        Target proportion, 0 < p0 < 1.
    q
        Probability, 0 < q < 1 (e.g. 0.975 for the upper 95% limit).

    Returns
    -------
    numpy.ndarray
        The limit as a proportion (0-1), same shape as ``n``.
    """
    if not 0 < p0 < 1:
        raise ValueError(f"p0 must be between 0 and 1, not {p0}")
    if not 0 < q < 1:
        raise ValueError(f"q must be between 0 and 1, not {q}")
    n_arr = np.asarray(n, dtype="float64")
    valid = n_arr >= 1
    size = np.where(valid, n_arr, 1.0)
    from scipy.stats import binom  # scipy.stats takes half a second to import: only here

    r = binom.ppf(q, size, p0)
    upper_cdf = binom.cdf(r, size, p0)
    lower_cdf = binom.cdf(r - 1, size, p0)
    alpha = (upper_cdf - q) / (upper_cdf - lower_cdf)
    limit = np.clip((r - alpha) / size, 0.0, 1.0)
    return np.where(valid, limit, np.nan)


def funnel_limits(
    n: float | np.ndarray, p0: float, levels: tuple[float, ...] = FUNNEL_LEVELS
) -> pd.DataFrame:
    """Lower and upper funnel limits for each denominator, as percentages.

    Parameters
    ----------
    n
        Denominator(s).
    p0
        Target proportion (0-1), e.g. England's share of children leaving care who were adopted.
    levels
        Two-sided coverages (0.95, 0.998).

    Returns
    -------
    pandas.DataFrame
        Column ``n`` then ``lower_<level>`` and ``upper_<level>`` per level, in percent
        (``lower_95``, ``upper_95``, ``lower_99_8``, ``upper_99_8``).
    """
    n_arr = np.atleast_1d(np.asarray(n, dtype="float64"))
    out = pd.DataFrame({"n": n_arr})
    for level in levels:
        name = f"{level * 100:g}".replace(".", "_")
        tail = (1 - level) / 2
        out[f"lower_{name}"] = binomial_limit(n_arr, p0, tail) * 100
        out[f"upper_{name}"] = binomial_limit(n_arr, p0, 1 - tail) * 100
    return out


def funnel_position(x: int, n: int, p0: float) -> str:
    """Where a unit with ``x`` events out of ``n`` falls against the funnel around ``p0``.

    Returns one of ``above 99.8% limit``, ``above 95% limit``, ``within 95% limits``,
    ``below 95% limit``, ``below 99.8% limit``, or ``no children`` when ``n`` is 0. A point
    exactly on a limit is within it.
    """
    if n < 1:
        return "no children"
    share = x / n
    for level, word in ((0.998, "99.8%"), (0.95, "95%")):
        tail = (1 - level) / 2
        if share > binomial_limit(n, p0, 1 - tail).item():
            return f"above {word} limit"
        if share < binomial_limit(n, p0, tail).item():
            return f"below {word} limit"
    return "within 95% limits"
