"""The instrument file format, read and checked, and how a set of answers is scored. Pure: no
database. The format is described in docs/feedback.md and docs/adr/0039.

Scoring methods:
- `sum_rescaled`: each item's option score (reversed where the item says `"reverse": true`)
  summed, and rescaled from the lowest to the highest possible sum onto 0-100.
- `percent_positive`: one item; the response scores 100 if the answer is one of `positive`,
  else 0, so the mean over a period is the % of answers that are positive (the Friends and
  Family Test's measure).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DOMAINS = {"wellbeing", "health_confidence", "experience", "service_integration"}
DIRECTIONS = {"increase", "decrease"}
METHODS = {"sum_rescaled", "percent_positive"}


class InvalidInstrument(ValueError):
    """The file is not a usable instrument; the message says what is wrong."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: float


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    options: tuple[Option, ...]
    reverse: bool = False
    hint: str = ""

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Definition:
    slug: str
    version: int
    title: str
    domain: str
    improvement: str
    licence: str
    source: str
    placeholder: bool
    intro: str
    items: tuple[Item, ...]
    method: str
    positive: frozenset[str]

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)

    def score(self, answers: Mapping[str, str]) -> float | None:
        """The summary score (0-100) of complete answers; None while any item is unanswered
        or an answer is not one of its options."""
        chosen = []
        for item in self.items:
            option = item.option(answers.get(item.key, ""))
            if option is None:
                return None
            chosen.append((item, option))
        if self.method == "percent_positive":
            return 100.0 if chosen[0][1].value in self.positive else 0.0
        low = high = total = 0.0
        for item, option in chosen:
            scores = [o.score for o in item.options]
            least, most = min(scores), max(scores)
            total += (most + least - option.score) if item.reverse else option.score
            low, high = low + least, high + most
        return round(100.0 * (total - low) / (high - low), 2)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidInstrument(message)


def _text(data: Mapping, key: str, where: str) -> str:
    value = data.get(key)
    _require(isinstance(value, str) and value.strip() != "", f"{where}: '{key}' is missing")
    return value.strip()


def definition_from_dict(data: Mapping) -> Definition:
    """Read an instrument file's contents, refusing anything the app could not ask or score."""
    _require(isinstance(data, Mapping), "an instrument is a JSON object")
    slug = _text(data, "slug", "instrument")
    version = data.get("version")
    _require(isinstance(version, int) and version >= 1, f"{slug}: 'version' must be 1 or more")
    domain = _text(data, "domain", slug)
    _require(domain in DOMAINS, f"{slug}: domain must be one of {sorted(DOMAINS)}")
    improvement = _text(data, "improvement", slug)
    _require(improvement in DIRECTIONS, f"{slug}: improvement must be increase or decrease")
    scoring = data.get("scoring") or {}
    method = scoring.get("method")
    _require(method in METHODS, f"{slug}: scoring method must be one of {sorted(METHODS)}")
    raw_items = data.get("items")
    _require(isinstance(raw_items, list) and raw_items, f"{slug}: 'items' must be a list")
    items = []
    for n, raw in enumerate(raw_items, 1):
        where = f"{slug} item {n}"
        _require(isinstance(raw, Mapping), f"{where}: must be an object")
        options = []
        for option in raw.get("options") or []:
            _require(
                isinstance(option.get("score"), int | float), f"{where}: every option needs a score"
            )
            options.append(
                Option(
                    value=_text(option, "value", where),
                    label=_text(option, "label", where),
                    score=float(option["score"]),
                )
            )
        _require(len(options) >= 2, f"{where}: needs at least two options")
        _require(len({o.value for o in options}) == len(options), f"{where}: option values repeat")
        items.append(
            Item(
                key=_text(raw, "key", where),
                text=_text(raw, "text", where),
                options=tuple(options),
                reverse=bool(raw.get("reverse", False)),
                hint=str(raw.get("hint", "")),
            )
        )
    _require(len({i.key for i in items}) == len(items), f"{slug}: item keys repeat")
    positive = frozenset(scoring.get("positive") or [])
    if method == "percent_positive":
        _require(len(items) == 1, f"{slug}: percent_positive scores one item")
        _require(
            positive and positive <= {o.value for o in items[0].options},
            f"{slug}: 'positive' must name some of the item's option values",
        )
    else:
        for item in items:
            scores = {o.score for o in item.options}
            _require(len(scores) > 1, f"{slug} item {item.key}: options all score the same")
    return Definition(
        slug=slug,
        version=version,
        title=_text(data, "title", slug),
        domain=domain,
        improvement=improvement,
        licence=_text(data, "licence", slug),
        source=str(data.get("source", "")),
        placeholder=bool(data.get("placeholder", False)),
        intro=str(data.get("intro", "")),
        items=tuple(items),
        method=method,
        positive=positive,
    )
