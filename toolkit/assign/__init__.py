"""Assign layer: findings → follow-ups → people and dates.

    plan_followups(ctx, findings)  # = assign(ctx, make_followups(ctx, findings))

See docs/assign.md.
"""
from __future__ import annotations

from typing import Iterable

from toolkit.assign.followups import make_followups
from toolkit.assign.solver import assign
from toolkit.model import Finding, FollowUp

__all__ = ["make_followups", "assign", "plan_followups"]


def plan_followups(ctx, findings: Iterable[Finding]) -> list[FollowUp]:
    """Every follow-up the findings call for, assigned or with the reason it is not
    (sorted by id; same input → same plan)."""
    return assign(ctx, make_followups(ctx, findings))
