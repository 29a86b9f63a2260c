"""Check layer: records → findings. A rule is one small function registered under its code(s).

    @rule("R204")
    def reply_overdue(ctx: Context) -> Iterable[Finding]: ...

Rules never print, raise for bad data, or exit; they yield findings. Lookups shared by many
rules (residents by id, visits per resident, care tiers …) live on ``Context`` and are built
once per run.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable

from toolkit import schema
from toolkit.codes import CODES, Joined
from toolkit.domain.context import Context
from toolkit.domain.unread import WITHHELD
from toolkit.model import Finding, Text, finding

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
    withheld = ctx.unread.codes          # their ledger may be in a file not read (reliability.md)
    for codes, fn in _FUNCTIONS:
        if only and not (set(codes) & only):
            continue
        if skip and set(codes) <= skip:
            continue
        if set(codes) <= withheld:
            continue
        found = fn(ctx)
        findings.extend(f for f in found if f.code not in withheld) if withheld else \
            findings.extend(found)
    return findings


def record_label(record) -> "str | Text":
    """A record's 编号 for a message (the English ones name people by id), or — a row whose
    编号 is empty — its name and row, never "None"."""
    if record.id is not None:
        return record.id
    name = record.values.get("name")
    shown = f"{name}（第{record.row}行，未填编号）" if name else f"第{record.row}行（未填编号）"
    return Text(shown, f"{name} (row {record.row}, no id)" if name else f"row {record.row} (no id)")


def as_written(record, key: str) -> str | None:
    """The cell's text as the clerk wrote it (``已完成``, ``已故``: not the 已办结, 去世 its
    synonym is read as), so a message quoting it can be found in the ledger; None when the
    cell is empty or the sheet has no such column."""
    raw = record.raw(key)
    return str(raw).strip() if raw is not None and str(raw).strip() else None


def _codes_text(codes: list[str]) -> Text:
    """A list of codes: C301、C302 in Chinese, C301, C302 in English."""
    return Text("、".join(codes), ", ".join(codes))


def explain_unread(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """``findings`` with one sentence added to each F001/F002/F009 whose file (or sheet) is
    guessed to hold a ledger: which checks were not done this run until it can be read
    (``toolkit.domain.unread``). A message change, not a new finding."""
    unread = ctx.unread
    if not unread.kind_of and not unread.absent:
        return findings
    out = []
    for f in findings:
        kind = unread.of(f)
        if kind is not None:
            withheld = [c for c in WITHHELD[kind]]
            params = {**f.params, "ledger": Text(*schema.KIND_LABELS[kind]),
                      "withheld": _codes_text(withheld), "withheld_codes": withheld}
            f = replace(f, message=Joined(f.message, CODES[f.code].message(params, "withheld")),
                        params=params)
        out.append(f)
    if "visits" in unread.absent:
        out.append(_no_visit_log(ctx))
    return out


def _no_visit_log(ctx: Context) -> Finding:
    """One C302 for a run that found an elderly ledger and no visit log at all: without it every
    A/B resident would be "never visited" with a work order each. It has no record, so no work
    order (``params['ledger_missing']``; toolkit/assign/followups.py)."""
    care = ctx.care
    count = sum(1 for r in care.residents if care.on_register(r) and care.tier(r) in ("A", "B"))
    withheld = list(WITHHELD["visits"])
    return finding("C302", variant="no_log", kind="visits",
                   params={"count": count, "withheld": _codes_text(withheld),
                           "withheld_codes": withheld, "ledger_missing": "visits"})
