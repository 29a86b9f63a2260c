"""Check layer: records → findings. A rule is one small function registered under its code(s).

    @rule("R204")
    def reply_overdue(ctx: Context) -> Iterable[Finding]: ...

Rules never print, raise for bad data, or exit; they yield findings. Lookups shared by many
rules (residents by id, visits per resident, care tiers …) live on ``Context`` and are built
once per run.
"""
from __future__ import annotations

from typing import Callable, Iterable

from toolkit.domain.context import Context
from toolkit.model import Finding

RuleFn = Callable[[Context], Iterable[Finding]]
RULES: dict[str, list[RuleFn]] = {}       # code -> rule functions (in registration order)
_FUNCTIONS: list[tuple[tuple[str, ...], RuleFn]] = []


def rule(*codes: str) -> Callable[[RuleFn], RuleFn]:
    """Register ``fn`` as the rule producing ``codes`` (usually one)."""
    def register(fn: RuleFn) -> RuleFn:
        fn.codes = codes
        for code in codes:
            RULES.setdefault(code, []).append(fn)
        _FUNCTIONS.append((codes, fn))
        return fn
    return register


def _load_rules() -> None:
    # importing the modules registers their rules
    from toolkit.check import data, elderly, references, requests, volunteers  # noqa: F401
    from toolkit.check import rooms, services  # noqa: F401  (issue #17)
    from toolkit.check import meetings, visit_issues  # noqa: F401


def run_rules(ctx: Context, only: set[str] | None = None,
              skip: set[str] | None = None) -> list[Finding]:
    """Run every registered rule, except those ``only``/``skip`` rule out, and return their
    findings. A rule making several codes may still return codes outside ``only``: the
    finding filter is applied once, to the whole run, by ``toolkit.pipeline.select``."""
    _load_rules()
    findings: list[Finding] = []
    for codes, fn in _FUNCTIONS:
        if only and not (set(codes) & only):
            continue
        if skip and set(codes) <= skip:
            continue
        findings.extend(fn(ctx))
    return findings
