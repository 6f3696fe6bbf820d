"""Calibrated algorithms: features combined by a fitted logistic model, so a score is a probability.

The model's coefficients are a versioned resource (``sanctions/resources/<name>.yml``) written by
``bench/fit_v2.py`` with the data and the command that produced them; at run time they are
applied in plain Python. The log-odds of "same party" is

    intercept + sum(weight[f] * value[f]) + sum(hinge * max(0, value[f] - knot))
              + sum(by_name[f] * value[f] * max(0, name similarity - name_floor))

and the score is its logistic. A birth date or country in common counts in proportion to how
alike the names are above a floor (``by_name``): the same birth date says much about a
namesake, nothing about a stranger (chance agreements of dates are common among the candidates
of a large list). Hinges let the name similarity bend (a 0.95 name is worth much more than a
0.75 one), with their own bend for names compared across scripts. Every coefficient has the
sign the evidence should have (fitted with that constraint), so more agreement never lowers a
score.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from sanctions.matching.features import Config, Feature
from sanctions.matching.party import Party
from sanctions.matching.types import Explanation, Score
from sanctions.text.resources import load_resource


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """Fitted coefficients: intercept, one weight per feature, hinges, and the default threshold."""

    intercept: float
    weights: dict[str, float]
    # feature -> ((knot, weight, when, unless), ...): the hinge applies when feature ``when`` is
    # set and ``unless`` is not (each optional)
    hinges: dict[str, tuple[tuple[float, float, str, str], ...]]
    threshold: float

    by_name: dict[str, float]  # feature -> weight of (value x name similarity above the floor)
    name_floor: float = 0.7

    def term(self, feature: str, value: float, values: dict[str, float]) -> float:
        """What one feature value adds to the log-odds (``values``: every feature's value)."""
        total = self.weights.get(feature, 0.0) * value
        name = values.get("name_similarity", 0.0)
        if name > self.name_floor:
            total += self.by_name.get(feature, 0.0) * value * (name - self.name_floor)
        for knot, weight, when, unless in self.hinges.get(feature, ()):
            if value > knot and (not when or values.get(when)) and not (unless and values.get(unless)):
                total += weight * (value - knot)
        return total


@functools.cache
def load_model(resource: str) -> LogisticModel:
    """The model of ``sanctions/resources/<resource>.yml`` (read once)."""
    data = load_resource(resource)
    return LogisticModel(
        intercept=float(data["intercept"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        hinges={
            k: tuple(
                (float(h["knot"]), float(h["weight"]), str(h.get("when", "")), str(h.get("unless", "")))
                for h in v
            )
            for k, v in data.get("hinges", {}).items()
        },
        threshold=float(data["threshold"]),
        by_name={k: float(v) for k, v in data.get("by_name", {}).items()},
        name_floor=float(data.get("name_floor", 0.7)),
    )


@dataclass(frozen=True, slots=True)
class CalibratedAlgorithm:
    """A name, what it does, its features, and the resource holding its fitted model."""

    name: str
    description: str
    resource: str
    feature_functions: tuple[tuple[str, Feature], ...]

    @property
    def threshold(self) -> float:
        """The default match threshold, chosen for a stated false-alarm rate (see the resource)."""
        return load_model(self.resource).threshold

    @property
    def features(self) -> tuple[tuple[str, Feature, float], ...]:
        """(name, function, weight in log-odds) for each feature (hinges not included)."""
        model = load_model(self.resource)
        # (a feature counted with the names weighs at most this, for identical names)
        most = {k: v * (1.0 - model.name_floor) for k, v in model.by_name.items()}
        return tuple(
            (name, fn, model.weights.get(name, most.get(name, 0.0))) for name, fn in self.feature_functions
        )

    def values(self, query: Party, candidate: Party, config: Config) -> dict[str, float]:
        """Every feature's value (what the model is fitted on)."""
        return {name: fn(query, candidate, config).value for name, fn in self.feature_functions}

    def score(self, query: Party, candidate: Party, config: Config, threshold: float | None = None) -> Score:
        """Compare two parties: the probability that they are one party, with each feature's part."""
        model = load_model(self.resource)
        values: dict[str, float] = {}
        results = []
        for name, feature in self.feature_functions:
            result = feature(query, candidate, config)
            values[name] = round(result.value, 4) if result.value else result.value
            results.append((name, result))
        logit = model.intercept
        explanations: list[Explanation] = []
        for name, result in results:
            if result.value:
                part = model.term(name, result.value, values)
                logit += part
                if part:
                    explanations.append(
                        Explanation(name, round(part / result.value, 4), values[name], result.detail)
                    )
        score = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
        cut = model.threshold if threshold is None else threshold
        return Score(round(score, 4), score >= cut, values, explanations)
