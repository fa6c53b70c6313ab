"""Confidence intervals and a goodness-of-fit test for comparing children with a population.

Pure functions (numbers in, numbers out) used by :mod:`analysis.population.disproportionality`.

- :func:`wilson_interval`: Wilson score interval for a binomial proportion (Wilson, 1927;
  recommended over the normal-approximation "Wald" interval by Brown, Cai and DasGupta, 2001, and
  the interval ``statsmodels.stats.proportion.proportion_confint(method="wilson")`` gives). It
  stays inside 0-1 and is defined for 0 and n successes.
- :func:`katz_log_ratio_interval`: Katz et al. (1978) log interval for a ratio of two independent
  proportions (a risk ratio): ``exp(log RR +/- z * sqrt(1/k1 - 1/n1 + 1/k2 - 1/n2))``. Undefined
  when either count is 0.
- :func:`ratio_to_population_interval`: the disproportionality ratio of a group (its share of
  the children divided by its share of the population) and its interval, by Wilson (population
  share taken as known, the default) or Katz (population share also treated as a sample).
- :func:`goodness_of_fit`: Pearson's chi-square goodness-of-fit test of observed counts against
  population shares, pooling groups with small expected counts first (Cochran's rule: every
  expected count at least 5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scipy import stats

__all__ = [
    "POOLED_LABEL",
    "GoodnessOfFit",
    "z_value",
    "wilson_interval",
    "katz_log_ratio_interval",
    "ratio_to_population_interval",
    "goodness_of_fit",
]

#: Label of the group that :func:`goodness_of_fit` makes of groups with small expected counts.
POOLED_LABEL = "Smaller groups (pooled)"


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard normal quantile for ``confidence`` (0.95 -> 1.959964)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for the proportion ``k / n``.

    ``(p + z^2/2n +/- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)`` with ``p = k/n``
    (Wilson, 1927). For ``k = 0`` the lower bound is 0; for ``k = n`` the upper bound is 1.

    Parameters
    ----------
    k
        Number of successes, ``0 <= k <= n``.
    n
        Number of trials.
    confidence
        Two-sided confidence level.

    Returns
    -------
    tuple of float
        ``(lower, upper)`` as proportions (0-1); ``(nan, nan)`` when ``n`` is 0.
    """
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, not k={k}, n={n}")
    if n == 0:
        return (math.nan, math.nan)
    z = z_value(confidence)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    lower = 0.0 if k == 0 else max(0.0, centre - half)
    upper = 1.0 if k == n else min(1.0, centre + half)
    return (lower, upper)


def katz_log_ratio_interval(
    k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Ratio of two proportions ``(k1/n1) / (k2/n2)`` with the Katz log interval.

    ``SE(log RR) = sqrt(1/k1 - 1/n1 + 1/k2 - 1/n2)`` (Katz, Baptista, Azen and Pike, 1978).

    Returns
    -------
    tuple of float
        ``(ratio, lower, upper)``. The ratio is NaN when a denominator or ``k2`` is 0; the
        bounds are NaN when ``k1`` or ``k2`` is 0 (the log interval is undefined there).
    """
    for k, n in ((k1, n1), (k2, n2)):
        if n < 0 or k < 0 or k > n:
            raise ValueError(f"need 0 <= k <= n, not k={k}, n={n}")
    if n1 == 0 or n2 == 0 or k2 == 0:
        return (math.nan, math.nan, math.nan)
    ratio = (k1 / n1) / (k2 / n2)
    if k1 == 0:
        return (ratio, math.nan, math.nan)
    se = math.sqrt(1 / k1 - 1 / n1 + 1 / k2 - 1 / n2)
    z = z_value(confidence)
    return (ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se))


def ratio_to_population_interval(
    k: int,
    n: int,
    population_k: float,
    population_n: float,
    confidence: float = 0.95,
    method: Literal["wilson", "katz"] = "wilson",
) -> tuple[float, float, float]:
    """Disproportionality ratio of a group and its confidence interval.

    The ratio is the group's share of the children (``k / n``) divided by its share of the
    population (``population_k / population_n``): 1 means the group is represented in
    proportion, 2 twice its population share.

    - ``method="wilson"`` (default): the population share is taken as known (a census count or
      an estimate of the whole population, not a sample), so the interval is the Wilson interval
      of ``k / n`` divided by the population share. Defined for ``k = 0``.
    - ``method="katz"``: :func:`katz_log_ratio_interval`, which also treats the population
      share as a sample; with population counts in the thousands it is close to Wilson's.

    Returns
    -------
    tuple of float
        ``(ratio, lower, upper)``; all NaN when ``n`` is 0 or the population share is 0.
    """
    if method == "katz":
        return katz_log_ratio_interval(
            int(k), int(n), round(population_k), round(population_n), confidence
        )
    if method != "wilson":
        raise ValueError(f"method must be 'wilson' or 'katz', not {method!r}")
    if n == 0 or not population_n or population_k <= 0:
        return (math.nan, math.nan, math.nan)
    share = population_k / population_n
    lower, upper = wilson_interval(int(k), int(n), confidence)
    return ((k / n) / share, lower / share, upper / share)


@dataclass(frozen=True)
class GoodnessOfFit:
    """Result of :func:`goodness_of_fit`.

    Attributes
    ----------
    statistic
        Pearson's chi-square statistic (NaN when fewer than two groups remain after pooling).
    df
        Degrees of freedom: groups after pooling minus 1.
    p_value
        Upper-tail probability of the chi-square distribution.
    n
        Number of children compared.
    groups
        Group labels after pooling, in input order (:data:`POOLED_LABEL` last when used).
    observed, expected
        Counts after pooling, aligned with ``groups``.
    pooled
        The input groups merged into :data:`POOLED_LABEL` (empty when none).
    """

    statistic: float
    df: int
    p_value: float
    n: int
    groups: tuple[str, ...]
    observed: tuple[float, ...]
    expected: tuple[float, ...]
    pooled: tuple[str, ...]


def _pool(
    labels: list[str], observed: list[float], expected: list[float], min_expected: float
) -> tuple[list[str], list[float], list[float], list[str]]:
    small = [i for i, e in enumerate(expected) if e < min_expected]
    if not small:
        return labels, observed, expected, []
    big = [i for i in range(len(labels)) if i not in small]
    pooled = list(small)
    # Merge the smallest remaining groups in until the pooled group is big enough itself.
    while sum(expected[i] for i in pooled) < min_expected and big:
        smallest = min(big, key=lambda i: expected[i])
        big.remove(smallest)
        pooled.append(smallest)
    pooled.sort()
    keep = [i for i in range(len(labels)) if i not in pooled]
    return (
        [labels[i] for i in keep] + [POOLED_LABEL],
        [observed[i] for i in keep] + [sum(observed[i] for i in pooled)],
        [expected[i] for i in keep] + [sum(expected[i] for i in pooled)],
        [labels[i] for i in pooled],
    )


def goodness_of_fit(
    labels: Sequence[str],
    observed: Sequence[float],
    population: Sequence[float],
    min_expected: float = 5.0,
) -> GoodnessOfFit:
    """Pearson chi-square test that ``observed`` counts follow the ``population`` shares.

    Expected counts are ``n * population_i / sum(population)`` with ``n = sum(observed)``.
    Groups whose expected count is below ``min_expected`` (Cochran's rule: 5) are pooled into one
    group (:data:`POOLED_LABEL`); when that group is still below ``min_expected`` the groups with
    the smallest expected counts are added to it. The statistic is ``sum((O - E)^2 / E)`` on
    ``groups - 1`` degrees of freedom (``scipy.stats.chisquare``). Groups with a population of 0
    and no children are dropped first.

    Parameters
    ----------
    labels
        Group names.
    observed
        Count of children in each group.
    population
        Population count (or share) of each group.
    min_expected
        Smallest expected count allowed in a group.

    Returns
    -------
    GoodnessOfFit
        NaN statistic and p-value when fewer than two groups remain or no child is counted.
    """
    if not len(labels) == len(observed) == len(population):
        raise ValueError("labels, observed and population must have the same length")
    rows = [
        (str(g), float(o), float(p))
        for g, o, p in zip(labels, observed, population, strict=True)
        if not (p == 0 and o == 0)
    ]
    n = sum(o for _, o, _ in rows)
    total = sum(p for _, _, p in rows)
    if n == 0 or total <= 0:
        return GoodnessOfFit(math.nan, 0, math.nan, int(n), (), (), (), ())
    names = [g for g, _, _ in rows]
    obs = [o for _, o, _ in rows]
    exp = [n * p / total for _, _, p in rows]
    names, obs, exp, pooled = _pool(names, obs, exp, min_expected)
    if len(names) < 2 or min(exp) <= 0:
        return GoodnessOfFit(
            math.nan, 0, math.nan, int(n), tuple(names), tuple(obs), tuple(exp), tuple(pooled)
        )
    result = stats.chisquare(obs, exp)
    return GoodnessOfFit(
        float(result.statistic),
        len(names) - 1,
        float(result.pvalue),
        int(n),
        tuple(names),
        tuple(obs),
        tuple(exp),
        tuple(pooled),
    )
