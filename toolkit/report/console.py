"""Text shown in the terminal: urgent items first, then errors and warnings grouped by ledger
and file, with counts. Pure string building (the CLI prints)."""
from __future__ import annotations

import json
from collections import defaultdict

from toolkit import schema
from toolkit.model import Finding
from toolkit.schema import label

_KIND_ORDER = {k: i for i, k in enumerate(schema.KINDS + ("settings",))}
_OTHER = ("文件与设置", "files and settings")


def _where(f: Finding, lang: str) -> str:
    parts = []
    if f.file:
        parts.append(f.file + (f" / {f.sheet}" if f.sheet else ""))
    if f.row:
        parts.append(f"第{f.row}行" if lang != "en" else f"row {f.row}")
    if f.column:
        col = f.column + (f"（{f.header}）" if f.header and lang != "en" else
                          f" ({f.header})" if f.header else "")
        parts.append(col if lang == "en" else f"{col}列" if not f.header else f"{f.column}列（{f.header}）")
    if f.record:
        parts.append(f"[{f.record}]")
    return " ".join(parts)


def finding_line(f: Finding, lang: str = "zh") -> str:
    sev = label(schema.SEVERITY_LABELS[f.severity], lang)
    sep = "：" if lang != "en" else ": "
    fix = f.fix.get(lang)
    arrow = " → " + fix if fix else ""
    where = _where(f, lang)
    return f"{sev} {f.code}{' ' + where if where else ''}{sep}{f.message.get(lang)}{arrow}"


def _counts(findings: list[Finding], lang: str) -> str:
    counts = {s: 0 for s in schema.SEVERITIES}
    for f in findings:
        counts[f.severity] += 1
    sep = "，" if lang != "en" else ", "
    return sep.join(f"{label(schema.SEVERITY_LABELS[s], lang)} {n}" for s, n in counts.items() if n)


def format_text(result, lang: str = "zh", followups=None) -> str:
    """The ``check`` text report for a ``pipeline.CheckResult``."""
    ws, findings = result.workspace, result.findings
    summary = result.summary()
    lines = []
    if lang == "en":
        lines.append(f"as of {result.as_of} · {len(ws.files)} files, {len(ws.sources)} ledger sheets · "
                     f"errors {summary['error']}, warnings {summary['warning']}, "
                     f"info {summary['info']}, urgent {summary['urgent']}")
    else:
        lines.append(f"检查日期 {result.as_of} · 文件 {len(ws.files)} 个，台账工作表 {len(ws.sources)} 个 · "
                     f"错误 {summary['error']}，警告 {summary['warning']}，提示 {summary['info']}，"
                     f"紧急 {summary['urgent']}")
    for kind in schema.KINDS:
        count = ws.count(kind)
        if count or any(s.kind == kind for s in ws.sources):
            n_sheets = sum(1 for s in ws.sources if s.kind == kind)
            lines.append(f"  {label(schema.KIND_LABELS[kind], lang)}: " +
                         (f"{count} records from {n_sheets} sheet{'s' if n_sheets != 1 else ''}" if lang == "en"
                          else f"{count} 条（{n_sheets} 个工作表）"))
    urgent = [f for f in findings if f.urgent]
    if urgent:
        lines.append("")
        lines.append(f"【{label(schema.URGENT_LABEL, lang)}】{len(urgent)}")
        lines.extend("  " + finding_line(f, lang) for f in urgent)
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if not f.urgent:
            groups[f.kind if f.kind in schema.LEDGERS else ""].append(f)
    for kind in sorted(groups, key=lambda k: _KIND_ORDER.get(k, -1)):
        items = groups[kind]
        title = label(schema.KIND_LABELS[kind], lang) if kind else label(_OTHER, lang)
        lines.append("")
        lines.append(f"【{title}】{_counts(items, lang)}")
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for f in items:
            by_file[f.file or ""].append(f)
        for file in sorted(by_file):
            if file:
                lines.append(f"  {file}（{_counts(by_file[file], lang)}）" if lang != "en"
                             else f"  {file} ({_counts(by_file[file], lang)})")
            for f in sorted(by_file[file], key=lambda f: f.sort_key):
                lines.append("    " + finding_line(f, lang))
    if followups is not None:
        assigned = sum(1 for fu in followups if fu.assignee)
        lines.append("")
        lines.append(f"follow-ups: {len(followups)}, assigned {assigned}, unassigned "
                     f"{len(followups) - assigned}" if lang == "en" else
                     f"跟进派单 {len(followups)} 项：已派 {assigned}，未能派单 {len(followups) - assigned}")
    if not findings and ws.sources:      # nothing read is no all-clear (cli.py says why)
        lines.append("")
        lines.append("no problems found" if lang == "en" else "未发现问题")
    return "\n".join(lines) + "\n"


def format_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
