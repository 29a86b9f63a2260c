"""Chinese throughout (cli.md "language"; issue #14): click's own words, usage errors and OS
errors in Chinese; ``--lang`` before or after the command; workbooks always Chinese; the
指标 sheet's headers; unknown codes and meaningless options are usage errors; the 小区/类别
dropdowns come from 设置.xlsx with ``template --settings`` and ``init``."""
from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from toolkit import schema
from toolkit.cli import cli
from toolkit.report.templates import write_settings
from toolkit.settings import Category, Settings

ROOT = Path(__file__).resolve().parent.parent
XINZE = ROOT / "samples" / "xinze"
AS_OF = "2026-11-23"

def run(args, **kw):
    return CliRunner().invoke(cli, args, prog_name="shequ", **kw)


# --------------------------------------------------------------------------- English finder
# Allowed Latin text: codes and acronyms (R204, REQ_RECEIVED, GBK), ids with digits, file names,
# options (--as-of), command names after "shequ", product names and units.
ALLOWED = {"Excel", "WPS", "LibreOffice", "Windows", "Linux", "crontab", "mmHg", "shequ", "cron", "Ctrl-C", "xlsx", "xls", "csv",
           "et", "txt", "json", "zh", "en", "text"}
COMMANDS = {"init", "template", "check", "assign", "report", "weekly", "schedule", "merge",
            "annotate", "requests", "elderly", "volunteers", "visits", "meetings", "services",
            "rooms", "settings", "week", "month"}
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_\-.~]*")


def english_words(text: str, *, extra: set[str] = frozenset()) -> list[str]:
    """The English words of ``text`` that are not codes, ids, file names or option names."""
    found = []
    text = re.sub(r"'[^'\n]*'", "", text)          # values the user typed, echoed back
    for m in TOKEN.finditer(text):
        word = m.group(0).rstrip(".-")
        before = text[max(0, m.start() - 2):m.start()]
        if not word or any(ch.isdigit() for ch in word) or re.fullmatch(r"[A-Z][A-Z0-9_-]*", word):
            continue
        if word in ALLOWED or word in extra or before.endswith("--") or before.endswith("-"):
            continue
        if word in COMMANDS and "shequ" in text:
            continue
        if re.search(r"\.(xlsx|xls|csv|et|txt|json|sqlite)$", word, re.I) or "/" in text[m.end():m.end() + 1] \
                or before.endswith("/"):                    # a path: samples/xinze
            continue
        found.append(word)
    return found


def test_the_english_finder_finds_english():
    assert english_words("Error: Invalid value for 'DIRECTORY'") == ["Error", "Invalid", "value", "for"]
    assert english_words("Missing argument 'PATHS...'") == ["Missing", "argument"]
    assert english_words("Show this message and exit.") == ["Show", "this", "message", "and", "exit"]
    assert english_words("C306 LR-005 巡访记录.csv REQ_RECEIVED --as-of Excel/WPS 186/112") == []


def workbook_english(path: Path) -> list[tuple]:
    kinds = set(schema.LEDGERS) | {"other"}
    bad = []
    for ws in openpyxl.load_workbook(path):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    words = english_words(cell.value, extra=kinds if ws.title == schema.INDICATOR_SHEET else set())
                    if words:
                        bad.append((path.name, ws.title, cell.coordinate, words, cell.value[:60]))
    return bad


# --------------------------------------------------------------------------- usage errors
USAGE_ERRORS = [
    ["weekly", "/nonexistent/台账"],
    ["check"],
    ["chek", "x"],
    ["check", ".", "--lang", "fr"],
    ["check", ".", "--format", "xml"],
    ["check", ".", "--as-of", "2026-13-01"],
    ["check", ".", "--only", "ZZZ9"],
    ["check", ".", "--skip", "R204,XX1"],
    ["check", ".", "--bogus"],
    ["init", "x", "--as-of", "2026-11-23"],
    ["template", "requests", "--as-of", "2026-11-23"],
    ["annotate"],
    ["schedule", "/nonexistent/台账", "--once"],
    ["report", ".", "--period"],
]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=lambda a: " ".join(a))
def test_usage_errors_are_chinese_and_exit_2(args):
    result = run(args)
    assert result.exit_code == 2, result.output
    assert "错误" in result.output
    assert english_words(result.output) == [], result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [["-h"], ["check", "-h"], ["weekly", "--help"], ["template", "-h"],
                                  ["schedule", "-h"], ["merge", "-h"], ["--version"]])
def test_help_is_chinese(args):
    result = run(args)
    assert result.exit_code == 0
    assert english_words(result.output) == [], result.output


# In English help, Chinese is left only in file names, paths, examples and the few sheet and
# setting and column names a clerk sees in the workbooks.
CJK = re.compile(r"[\u3400-\u9fff]+")
NAMES_IN_ENGLISH_HELP = {"填写说明", "未能派单", "周检查时间", "问题汇总", "立即检查", "小区", "类别"}


def chinese_words(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        if "shequ " in line:                        # usage lines are checked apart; examples
            continue
        for token in line.split():
            if re.search(r"\.(xlsx|txt|bat|sh|csv)\b", token) or "/" in token:
                continue
            found += [w for w in CJK.findall(token) if w not in NAMES_IN_ENGLISH_HELP]
    return found


def test_the_chinese_finder_finds_chinese():
    assert chinese_words("Check the ledgers: 读取文件夹 and 设置.xlsx, FOLDER/报表/") == ["读取文件夹"]
    assert chinese_words("  shequ check 台账/ --as-of 2026-11-23\nthe 周检查时间 of 设置.xlsx") == []


@pytest.mark.parametrize("command", [[], ["check"], ["init"], ["template"], ["assign"], ["report"],
                                     ["merge"], ["weekly"], ["schedule"], ["annotate"]],
                         ids=lambda c: " ".join(c) or "shequ")
def test_help_is_english_with_lang_en(command):
    result = run(["--lang", "en", *command, "--help"])
    assert result.exit_code == 0, result.output
    assert chinese_words(result.output) == [], result.output
    usage = result.output.splitlines()[0]
    assert usage.startswith("Usage: shequ") and not CJK.search(usage), usage
    chinese = run([*command, "--help"])
    assert chinese.output.splitlines()[0].startswith("用法：") and chinese.output != result.output


def test_argument_names_follow_the_language(tmp_path):
    missing = str(tmp_path / "nope.xlsx")
    english = run(["--lang", "en", "annotate", missing])
    assert "Invalid value for 'FILE': File " in english.output, english.output
    chinese = run(["annotate", missing])
    assert "'文件' 的取值无效：文件 " in chinese.output, chinese.output
    assert "Missing argument 'PATH...'" in run(["--lang", "en", "check"]).output
    assert "缺少参数 '路径...'" in run(["check"]).output


def test_lang_before_or_after_the_command(tmp_path):
    missing = str(tmp_path / "nope")
    for args in (["--lang", "en", "check", missing], ["check", missing, "--lang", "en"],
                 ["--lang=en", "check", missing]):
        result = run(args)
        assert result.exit_code == 2 and "not found" in result.output, (args, result.output)
    usage = run(["--lang", "en", "weekly", missing])
    assert usage.exit_code == 2 and "Error: Invalid value" in usage.output
    help_en = run(["--lang", "en", "check", "-h"])
    assert "Show this message and exit." in help_en.output and "只看这些代码" not in help_en.output
    env = run(["check", missing], env={"SHEQU_LANG": "en"})
    assert "not found" in env.output


def test_unknown_code_in_only_or_skip_is_a_usage_error(tmp_path):
    result = run(["check", str(XINZE), "--as-of", AS_OF, "--only", "ZZZ9"])
    assert result.exit_code == 2 and "ZZZ9" in result.output and "未发现问题" not in result.output
    ok = run(["check", str(XINZE), "--as-of", AS_OF, "--only", "c306，C307"])
    assert ok.exit_code == 1 and "C306" in ok.output


def test_os_error_is_translated(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run(["init", str(blocker / "台账")])
    assert result.exit_code == 2
    assert english_words(result.output) == [], result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- workbooks
@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory):
    """The sample's weekly run in Chinese and in English mode (two copies of the workspace)."""
    out = {}
    for lang in ("zh", "en"):
        work = tmp_path_factory.mktemp(f"run-{lang}") / "xinze"
        shutil.copytree(XINZE, work)
        result = run(["weekly", str(work), "--as-of", AS_OF, "--lang", lang, "-q"])
        assert result.exit_code in (0, 1), result.output
        out[lang] = (work, result)
    return out


def test_workbooks_are_chinese_whatever_the_lang(sample_runs):
    (zh, _), (en, en_result) = sample_runs["zh"], sample_runs["en"]
    week = Path(schema.REPORTS_DIR) / "2026-W48"
    for name in (schema.STAFF_REPORT, schema.WORK_ORDERS, schema.TOWN_REPORT, schema.RUN_JSON):
        assert (zh / week / name).read_bytes() == (en / week / name).read_bytes(), name
    assert "errors" in en_result.output or "error" in en_result.output     # the terminal is English


def test_indicator_sheet_headers_are_chinese_with_codes_kept(sample_runs):
    work, _ = sample_runs["zh"]
    rows = list(openpyxl.load_workbook(work / schema.REPORTS_DIR / "2026-W48" / schema.TOWN_REPORT)
                [schema.INDICATOR_SHEET].iter_rows(values_only=True))
    assert rows[0] == tuple(schema.INDICATOR_HEADERS[c] for c in schema.INDICATOR_COLUMNS)
    assert rows[0][0] == "代码" and "REQ_RECEIVED" in {r[0] for r in rows[1:]}


def test_merge_reads_reports_with_the_old_english_headers(sample_runs, tmp_path):
    work, _ = sample_runs["zh"]
    town = work / schema.REPORTS_DIR / "2026-W48" / schema.TOWN_REPORT
    wb = openpyxl.load_workbook(town)
    ws = wb[schema.INDICATOR_SHEET]
    for col, key in enumerate(schema.INDICATOR_COLUMNS, start=1):
        ws.cell(1, col, key)
    old = tmp_path / "old" / schema.TOWN_REPORT
    old.parent.mkdir()
    wb.save(old)
    from toolkit.read.reports import read_town_report
    assert read_town_report(old).get("REQ_RECEIVED") == read_town_report(town).get("REQ_RECEIVED")


def test_no_english_in_any_workbook_or_message_of_the_sample_run(sample_runs, tmp_path):
    work, result = sample_runs["zh"]
    week = work / schema.REPORTS_DIR / "2026-W48"
    bad = []
    for path in sorted(week.glob("*.xlsx")):
        bad += workbook_english(path)
    doc = json.loads((week / schema.RUN_JSON).read_text("utf-8"))
    for f in doc["findings"]:
        bad += [(f["code"], w) for w in english_words(f"{f['message']} {f['fix']}")]
    bad += [("stdout", w) for w in english_words(result.output)]
    for args in (["check", str(work), "--as-of", AS_OF],
                 ["assign", str(work), "--as-of", AS_OF, "-o", str(tmp_path / "派单.xlsx")],
                 ["report", str(work), "--as-of", AS_OF, "-o", str(tmp_path / "报表")],
                 ["annotate", str(work / "诉求台账.xlsx"), "--as-of", AS_OF, "-o",
                  str(tmp_path / "标注.xlsx")]):
        out = run(args)
        assert out.exit_code in (0, 1), out.output
        bad += [(args[0], w) for w in english_words(out.output)]
    for path in [tmp_path / "派单.xlsx", tmp_path / "标注.xlsx", *sorted((tmp_path / "报表").glob("*.xlsx"))]:
        bad += workbook_english(path)
    assert bad == []


# --------------------------------------------------------------------------- --as-of
def test_schedule_once_honours_as_of(tmp_path):
    work = tmp_path / "xinze"
    shutil.copytree(XINZE, work)
    result = run(["schedule", str(work), "--once", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    doc = json.loads((work / schema.REPORTS_DIR / "2026-W48" / schema.RUN_JSON).read_text("utf-8"))
    assert doc["as_of"] == AS_OF


# --------------------------------------------------------------------------- dropdowns
def _validation(path: Path, sheet: str, ledger: schema.Ledger, key: str):
    ws = openpyxl.load_workbook(path)[sheet]
    letter = get_column_letter(ledger.keys.index(key) + 1)
    for dv in ws.data_validations.dataValidation:
        if str(dv.sqref).startswith(f"{letter}2"):
            return dv
    raise AssertionError(key)


def _settings_file(path: Path) -> Path:
    write_settings(path, Settings(estates=("松和苑", "咏泽苑"),
                                  categories=(Category("加装电梯", "物业经理", 20), Category("其他"))),
                   as_of=date(2026, 11, 23))
    return path


def test_template_with_an_unreadable_settings_file_says_so(tmp_path):
    """A corrupt --settings file: the template is written with the default lists, but never
    silently — S501 and a line saying the dropdowns are the defaults go to stderr."""
    bad = tmp_path / schema.SETTINGS_FILE
    bad.write_text("不是表格", encoding="utf-8")
    out = tmp_path / "诉求台账.xlsx"
    result = run(["template", "requests", "--settings", str(bad), "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert "S501" in result.stderr and "无法读取" in result.stderr
    assert "下拉选项用的是默认值" in result.stderr
    result = run(["--lang", "en", "template", "requests", "--settings", str(bad), "-o",
                  str(tmp_path / "b.xlsx")])
    assert "are the defaults" in result.stderr


def test_template_with_settings_fills_estate_and_category_dropdowns(tmp_path):
    settings = _settings_file(tmp_path / schema.SETTINGS_FILE)
    out = tmp_path / "诉求台账.xlsx"
    result = run(["template", "requests", "--settings", str(settings), "-o", str(out)])
    assert result.exit_code == 0, result.output
    estate = _validation(out, "诉求台账", schema.REQUESTS, "estate")
    category = _validation(out, "诉求台账", schema.REQUESTS, "category")
    assert estate.formula1.strip('"').split(",") == ["松和苑", "咏泽苑"]
    assert category.formula1.strip('"').split(",") == ["加装电梯", "其他"]
    # without settings the hint says how to get the dropdown
    plain = tmp_path / "空白.xlsx"
    run(["template", "requests", "-o", str(plain)])
    hint = _validation(plain, "诉求台账", schema.REQUESTS, "estate").prompt
    assert "--settings" in hint and schema.SETTINGS_FILE in hint


def test_init_uses_an_existing_settings_workbook(tmp_path):
    settings = _settings_file(tmp_path / schema.SETTINGS_FILE)
    before = settings.read_bytes()
    result = run(["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert settings.read_bytes() == before                    # kept as it was
    elderly = tmp_path / schema.LEDGER_FILES["elderly"]
    estate = _validation(elderly, schema.ELDERLY.sheet, schema.ELDERLY, "estate")
    assert estate.formula1.strip('"').split(",") == ["松和苑", "咏泽苑"]
