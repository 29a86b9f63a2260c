"""Rule C312: a problem found on a visit that the 居委 must act on reaches the request ledger.

A visit's 发现问题 describes something to act on when it holds one of the keywords of
``schema.VISIT_ACTION_KEYWORDS`` (repair 维修, safety 安全, environment 环境), not after
a negation such as 无/没有 in the same clause (“无安全隐患”). Such a visit needs a request from that resident
(反映人 = the resident's name) or that address (地址, with the same 小区 when both are filled)
registered within ``REGISTER_WORKDAYS`` working days of the visit, before or after it.

The rule waits until those working days have passed, looks back ``LOOKBACK_DAYS`` calendar
days (older visits are history the weekly run has already shown), and is silent when no
request ledger was read. It only suggests: nothing is written to the ledger.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Iterator

from toolkit import schema
from toolkit.check import rule
from toolkit.domain.names import norm, usable
from toolkit.domain.context import Context
from toolkit.model import Finding, Record, finding
from toolkit.text import listing

REGISTER_WORKDAYS = 5       # a request within 5 working days of the visit counts
LOOKBACK_DAYS = 30          # visits older than this (calendar days before as-of) are not checked


def action_words(text: str) -> list[tuple[str, str]]:
    """(kind, keyword) pairs of ``schema.VISIT_ACTION_KEYWORDS`` found in ``text``, in the
    schema's order; a keyword whose clause (the text since the last punctuation mark) has a
    negation before it (“无安全隐患”, “未发现漏水”) does not count."""
    found = []
    for kind, words in schema.VISIT_ACTION_KEYWORDS.items():
        for word in words:
            start = text.find(word)
            while start >= 0:
                clause = _CLAUSE_END.split(text[:start])[-1]
                if not any(neg in clause for neg in schema.VISIT_KEYWORD_NEGATIONS):
                    found.append((kind, word))
                    break
                start = text.find(word, start + 1)
    return found


def _to_act_on(issue) -> bool:
    """A 发现问题 holding a keyword to act on (the visits C312 looks at further)."""
    return bool(issue) and bool(action_words(str(issue)))


_CLAUSE_END = re.compile(r"[，,。.；;！!？?、\s]")


def _address(value) -> str:
    return norm(value).replace("室", "").replace("号楼", "号")


@rule("C312")
def visit_problem_not_registered(ctx: Context) -> Iterator[Finding]:
    """C312 (info): a visit's 发现问题 to act on, with no request from that resident or
    address within 5 working days."""
    requests = ctx.ledger("requests")
    if not requests and not any(s.kind == "requests" for s in ctx.workspace.sources):
        return
    cal = ctx.calendar
    by_name: dict[str, list[tuple[date, Record]]] = {}
    by_address: dict[str, list[tuple[date, Record]]] = {}
    for r in requests:
        received = usable(r, "received")
        if not isinstance(received, date):
            continue
        name, address = norm(usable(r, "resident")), _address(usable(r, "address"))
        if name:
            by_name.setdefault(name, []).append((received, r))
        if address:
            by_address.setdefault(address, []).append((received, r))
    oldest = ctx.as_of - timedelta(days=LOOKBACK_DAYS)
    for visit in ctx.columns.where("visits", {"issue": _to_act_on}):
        day = usable(visit, "date")
        issue = usable(visit, "issue")
        if not isinstance(day, date) or not issue or day < oldest:
            continue
        words = action_words(str(issue))
        if not words:
            continue
        deadline = cal.add_workdays(day, REGISTER_WORKDAYS)
        if ctx.as_of <= deadline:
            continue
        first = cal.add_workdays(day, -REGISTER_WORKDAYS)
        resident = ctx.care.resident_for_visit(visit)
        name = norm(usable(resident, "name") if resident is not None else usable(visit, "elderly_name"))
        address = _address(usable(resident, "address")) if resident is not None else ""
        estate = norm(usable(resident, "estate")) if resident is not None else ""

        def near(pairs, same_estate=False) -> bool:
            for received, r in pairs:
                if not first <= received <= deadline:
                    continue
                if same_estate and estate and norm(usable(r, "estate")) not in ("", estate):
                    continue
                return True
            return False

        if (name and near(by_name.get(name, ()))) or (address and near(by_address.get(address, ()), True)):
            continue
        who = usable(resident, "name") if resident is not None else (
            usable(visit, "elderly_name") or usable(visit, "elderly_id") or "")
        kinds = "、".join(dict.fromkeys(k for k, _ in words))
        keywords = listing(dict.fromkeys(w for _, w in words))
        text = " ".join(str(issue).split())
        shown = text if len(text) <= 60 else text[:60] + "…"
        yield finding("C312", record=visit, key="issue", about=resident, params={
            "day": day, "resident": who, "issue": shown, "kinds": kinds, "keywords": keywords,
            "days": REGISTER_WORKDAYS, "deadline": deadline})
