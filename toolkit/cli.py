"""Command line: parse options, call the library, print. No logic lives here.

Start-up stays fast: only click is imported at module level; each command imports what it
needs (``shequ --help`` and ``--version`` never import pandas or openpyxl).
"""
from __future__ import annotations

import functools
import inspect
import os
import sys
from datetime import date
from pathlib import Path

import click

from toolkit import __version__
from toolkit import cli_i18n

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_OK, EXIT_USAGE = 0, 2
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# usage-line words click writes itself (not through gettext)
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}

cli_i18n.install()


class ShequOption(click.Option):
    """An option whose help is written ``中文 / English``: shown in the run's language."""

    def get_help_record(self, ctx):
        original = self.help
        self.help = cli_i18n.pick(original)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = original


class ShequPath(click.Path):
    """click.Path whose noun (file / directory / path) is translated when the message is made."""

    @property
    def name(self) -> str:
        return cli_i18n.gettext(self._noun)

    @name.setter
    def name(self, value: str) -> None:
        # click names the noun through gettext while the module loads (Chinese then): keep
        # the English message id so the noun follows the language of the run
        self._noun = next((en for en, zh in cli_i18n.CLICK_ZH.items() if zh == value), value)


class ShequArgument(click.Argument):
    """An argument whose metavar is written ``中文 / English``: shown in the run's language
    (usage line, help and error messages)."""

    def make_metavar(self, *args, **kwargs):
        if self.metavar is not None:
            return cli_i18n.pick(self.metavar)
        return super().make_metavar(*args, **kwargs)


def argument(*decls, **attrs):
    """click.argument with a bilingual metavar (``中文 / English``)."""
    return click.argument(*decls, cls=ShequArgument, **attrs)


class _Translated:
    """Usage pieces, the command's own help (``help_en=`` beside the Chinese docstring) and
    the help option in the run's language."""

    def __init__(self, *args, help_en: str | None = None, **kwargs):
        self._help_en = inspect.cleandoc(help_en) if help_en else None
        super().__init__(*args, **kwargs)

    @property
    def help(self) -> str | None:
        if self._help_en and cli_i18n.current_lang() == "en":
            return self._help_en
        return self._help_zh

    @help.setter
    def help(self, value: str | None) -> None:
        self._help_zh = value

    def collect_usage_pieces(self, ctx):
        pieces = super().collect_usage_pieces(ctx)
        if cli_i18n.current_lang() == "en":
            return pieces
        return [USAGE_WORDS.get(p, p) for p in pieces]

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = cli_i18n.gettext("Show this message and exit.")
        return option


class ShequCommand(_Translated, click.Command):
    pass


class ShequGroup(_Translated, click.Group):
    """Turns ToolkitError (and any unexpected error) into a clean message in one place; sets
    the language before click parses anything, so its own words follow ``--lang``."""

    command_class = ShequCommand

    def main(self, args=None, *a, **kw):
        given = sys.argv[1:] if args is None else args
        cli_i18n.set_lang(cli_i18n.lang_from_args(given) or cli_i18n.lang_from_env())
        return super().main(args, *a, **kw)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo(_say(ctx, "已中断。", "interrupted."), err=True)
            ctx.exit(130)
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - the one place errors become messages;
            # BaseException: a Rust panic in a native reader is pyo3's PanicException
            if ctx.meta.get("shequ.debug"):
                raise
            from toolkit.errors import ToolkitError, os_reason
            if isinstance(exc, ToolkitError):
                click.echo(exc.message(_lang(ctx)), err=True)
                ctx.exit(exc.exit_code)
            if isinstance(exc, OSError):
                where = exc.filename if exc.filename is not None else ""
                reason = os_reason(exc)
                click.echo(_say(ctx, f"无法访问 {where}：{reason.zh}。请检查路径和权限后重试。",
                                f"cannot access {where}: {reason.en}."), err=True)
                ctx.exit(EXIT_USAGE)
            click.echo(_say(ctx, f"内部错误（{type(exc).__name__}）。请加 --debug 重新运行并把输出发给维护人员。",
                            f"internal error: {type(exc).__name__}: {exc}. Run again with --debug "
                            "and send the output to the maintainer."), err=True)
            ctx.exit(EXIT_USAGE)


def _lang(ctx: click.Context) -> str:
    return ctx.meta.get("shequ.lang") or cli_i18n.current_lang()


def _say(ctx: click.Context, zh: str, en: str) -> str:
    return en if _lang(ctx) == "en" else zh


def _lang_from_env() -> str:
    return cli_i18n.lang_from_env()


def _parse_as_of(ctx, param, value):
    if value is None:
        return date.today()          # the CLI is the only place that reads the clock
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_say(ctx, f"日期格式应为 YYYY-MM-DD，例如 2026-11-23（收到 {value!r}）",
                                      f"dates are written YYYY-MM-DD, e.g. 2026-11-23 (got {value!r})")
                                 ) from None


def _positive(ctx, param, value):
    """``--jobs``: a whole number ≥ 1 (IntRange would print its English range in --help)."""
    if value is not None and value < 1:
        raise click.BadParameter(_say(ctx, "必须是不小于1的整数", "must be a whole number ≥ 1"))
    return value


def _parse_codes(ctx, param, value):
    """CODE,CODE → a set; an unknown code is a usage error (cli.md: exit 2)."""
    if not value:
        return None
    codes = {c.strip().upper() for c in value.replace("，", ",").replace("、", ",").split(",")
             if c.strip()}
    from toolkit.codes import CODES
    unknown = sorted(c for c in codes if c not in CODES)
    if unknown:
        raise click.BadParameter(_say(
            ctx, f"没有这样的代码：{'、'.join(unknown)}。代码见 shequ 的规则说明，如 R204、C307。",
            f"unknown code(s): {', '.join(unknown)}; codes look like R204, C307."))
    return codes


def option(*decls, **attrs):
    """click.option with bilingual help (``中文 / English``)."""
    return click.option(*decls, cls=ShequOption, **attrs)


def _group_lang(ctx, param, value):
    if value:
        ctx.meta["shequ.lang"] = value
    return value


def common_options(fn):
    """--lang, --quiet, --debug, shared by every command."""
    @option("--lang", type=click.Choice(["zh", "en"]), default=None,
            help="消息语言（默认中文，或环境变量 SHEQU_LANG），写在命令前后都可以 / message language")
    @option("-q", "--quiet", is_flag=True, help="不显示进度 / no progress output")
    @option("--debug", is_flag=True, help="出错时显示完整回溯 / show tracebacks")
    @functools.wraps(fn)
    def wrapper(*args, lang, debug, **kwargs):
        ctx = click.get_current_context()
        lang = lang or ctx.meta.get("shequ.lang") or _lang_from_env()
        ctx.meta["shequ.lang"], ctx.meta["shequ.debug"] = lang, debug
        cli_i18n.set_lang(lang)
        return fn(*args, lang=lang, **kwargs)
    return wrapper


def as_of_option(fn):
    """--as-of, for the commands that look at dates."""
    return option("--as-of", "as_of", callback=_parse_as_of, metavar="YYYY-MM-DD",
                  help="按哪一天检查（默认今天），用于重现某次结果 / the day to check as of")(fn)


def _parse_as_of_or_none(ctx, param, value):
    return None if value is None else _parse_as_of(ctx, param, value)


def format_option(fn):
    return option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                  help="输出格式：text（默认）或 json / output format")(fn)


def paths_argument(fn):
    return argument("paths", nargs=-1, required=True, metavar="路径... / PATH...",
                          type=ShequPath(path_type=Path))(fn)


def progress_reporter(quiet: bool):
    """A per-file progress line on a terminal (stderr); silent for schedulers and pipes."""
    if quiet or not sys.stderr.isatty():
        return None

    def report(message: str) -> None:
        click.echo(f"\r\033[K{message}", err=True, nl=False)
    return report


def _finish_progress(progress) -> None:
    if progress is not None:
        click.echo("\r\033[K", err=True, nl=False)


@click.group(cls=ShequGroup, context_settings=CONTEXT_SETTINGS, help_en="""
    shequ, the residents' committee ledger assistant: reads the committee's ledgers (requests,
    elderly residents, volunteers, visits; council minutes, services and activity rooms when
    kept), checks the requests' closed loop and the elderly residents' visits, assigns
    follow-ups and writes the weekly staff report and the town-office report.

    \b
    Examples:
      shequ check 台账/ --as-of 2026-11-23
      shequ weekly 台账/
    """)
@click.version_option(__version__, "-V", "--version", prog_name="shequ", cls=ShequOption,
                      help="显示版本号并退出 / show the version and exit")
@option("--lang", type=click.Choice(["zh", "en"]), default=None, expose_value=False,
        callback=_group_lang, is_eager=True,
        help="消息语言（默认中文，或环境变量 SHEQU_LANG）/ message language")
def cli():
    """shequ 社区台账助手：读取居委会的诉求、老年人、志愿者、巡访台账（记了的话还有议事会、服务、活动室），
    检查诉求闭环和老人巡访，派单并生成周检查报告和镇报送表。

    \b
    例：
      shequ check 台账/ --as-of 2026-11-23
      shequ weekly 台账/
    """


@cli.command(help_en="""
    Check the ledgers: read every ledger in the folders/files given and list the findings.

    Exit code 0 no error, 1 findings at error level, 2 bad usage or nothing could be read.

    \b
    Examples:
      shequ check samples/xinze --as-of 2026-11-23
      shequ check 台账/ --format json --only R204,C307
    """)
@paths_argument
@format_option
@option("--only", callback=_parse_codes, metavar="CODE,…", help="只看这些代码 / only these codes")
@option("--skip", callback=_parse_codes, metavar="CODE,…", help="不看这些代码 / skip these codes")
@option("-j", "--jobs", type=int, callback=_positive, default=None, metavar="N",
        help="镇文件夹：同时检查几个居委（默认 CPU 核数）/ town folder: communities checked at once "
             "(default: number of cores)")
@as_of_option
@common_options
def check(paths, fmt, only, skip, jobs, as_of, lang, quiet):
    """检查台账：读取文件夹/文件中的所有台账，列出问题。

    退出码 0 无错误，1 有错误级问题，2 用法错误或什么也读不了。

    \b
    例：
      shequ check samples/xinze --as-of 2026-11-23
      shequ check 台账/ --format json --only R204,C307
    """
    from toolkit import api
    from toolkit.report.console import format_json, format_text
    progress = progress_reporter(quiet)
    result = api.check(list(paths), as_of=as_of, only=only, skip=skip, progress=progress,
                       jobs=jobs)
    _finish_progress(progress)
    if fmt == "json":
        click.echo(format_json(api.result_document(result, lang=lang)), nl=False)
    else:
        click.echo(format_text(result, lang=lang), nl=False)
    if result.nothing_read:
        click.echo(result.nothing_read_error(writes=False).message(lang), err=True)
    sys.exit(result.exit_code)


@cli.command(help_en="""
    Make a ledger folder: seven blank ledgers (council minutes, services and activity
    rooms included), 设置.xlsx with every default filled in, 使用说明.txt for the staff, and
    立即检查.bat (Windows) / 立即检查.sh (Linux) to check with a double click.

    The folder may exist but must not hold these files already: nothing is overwritten.
    --launchers-only (re)writes only the two 立即检查 files (say, after Python moved) and
    never touches the ledgers.

    \b
    Examples:
      shequ init 台账
      shequ init --launchers-only D:/居委台账
    """)
@argument("directory", metavar="文件夹 / FOLDER", type=ShequPath(path_type=Path, file_okay=False))
@option("--launchers-only", is_flag=True,
        help="只为已有的台账文件夹（重新）生成 立即检查.bat/.sh，不动其他文件 / only write the launchers")
@common_options
def init(directory, launchers_only, lang, quiet):
    """新建台账文件夹：七本空白台账（含议事会记录、服务记录、活动室使用登记）、填好默认值的 设置.xlsx、给工作人员的 使用说明.txt，
    以及双击即可检查的 立即检查.bat（Windows）和 立即检查.sh（Linux）。

    文件夹可以已存在，但不能已有这些文件：不会覆盖任何文件。--launchers-only 只（重新）生成
    两个 立即检查 文件（例如换了 Python 位置之后），从不碰台账。

    \b
    例：
      shequ init 台账
      shequ init --launchers-only D:/居委台账
    """
    if launchers_only:
        from toolkit.automate.launchers import write_launchers
        written = write_launchers(directory, python=Path(sys.executable))
    else:
        from toolkit import api
        written = api.init(directory, as_of=date.today(), python=Path(sys.executable))
    names = "、".join(p.name for p in written) if lang != "en" else ", ".join(p.name for p in written)
    click.echo(f"已在 {directory} 中创建：{names}" if lang != "en" else f"created in {directory}: {names}")


@cli.command(help_en="""
    Write one blank ledger (dropdowns, input hints, frozen header and a 填写说明 sheet).

    KIND: requests, elderly, volunteers, visits, meetings, services, rooms, or settings
    (every default filled in). An existing file is not overwritten unless --force is given.

    \b
    Examples:
      shequ template requests -o 诉求台账.xlsx
      shequ template elderly --settings 台账/设置.xlsx -o 老年人台账.xlsx
    """)
@argument("kind", metavar="种类 / KIND")
@option("-o", "--output", type=ShequPath(path_type=Path, dir_okay=False), default=None,
              help="写到哪里（默认当前文件夹，如 诉求台账.xlsx）/ file to write")
@option("--settings", "settings_file", type=ShequPath(path_type=Path, dir_okay=False, exists=True),
              default=None, help="从该 设置.xlsx 取小区和诉求类别的下拉选项 / take 小区 and 类别 lists from it")
@option("--force", is_flag=True, help="覆盖已存在的文件 / replace an existing file")
@common_options
def template(kind, output, settings_file, force, lang, quiet):
    """生成空白模板（带下拉列表、输入提示、冻结表头和“填写说明”表）。

    种类：requests 诉求台账、elderly 老年人台账、volunteers 志愿者名册、visits 巡访记录、meetings
    议事会记录、services 服务记录、rooms 活动室使用登记、settings 设置（填好全部默认值）。不会覆盖已有文件，除非加 --force。

    \b
    例：
      shequ template requests -o 诉求台账.xlsx
      shequ template elderly --settings 台账/设置.xlsx -o 老年人台账.xlsx
    """
    from toolkit import schema
    from toolkit.read.settings import read_settings
    from toolkit.report.templates import write_template
    from toolkit.report.console import finding_line
    settings, problems = read_settings(settings_file)
    for f in problems:             # never silently: a bad value, or a file that would not open
        click.echo(finding_line(f, lang), err=True)
    if settings.unreadable_workbook:
        click.echo("设置文件无法读取：模板里的小区、诉求类别下拉选项用的是默认值，不是该设置文件里的。"
                   if lang != "en" else "the settings file could not be read: the template's 小区 "
                   "and category lists are the defaults, not that file's.", err=True)
    path = output or Path(schema.TEMPLATE_FILES.get(kind, f"{kind}.xlsx"))
    written = write_template(kind, path, as_of=date.today(), settings=settings, overwrite=force)
    click.echo(f"已写入 {written}" if lang != "en" else f"wrote {written}")


@cli.command(help_en="""
    Assign: turn the findings into follow-ups for volunteers and staff and write
    跟进派单.xlsx.

    Every follow-up gets an assignee and a planned date, or is listed on the 未能派单 sheet
    with the reason.

    \b
    Examples:
      shequ assign samples/xinze --as-of 2026-11-23 -o 跟进派单.xlsx
      shequ assign 台账/ --format json
    """)
@paths_argument
@option("-o", "--output", type=ShequPath(path_type=Path, dir_okay=False), default=None,
              help="派单表写到哪里（默认当前文件夹的 跟进派单.xlsx）/ work-order workbook to write")
@format_option
@as_of_option
@common_options
def assign(paths, output, fmt, as_of, lang, quiet):
    """派单：把检查发现的问题变成跟进任务，派给志愿者/工作人员，写出 跟进派单.xlsx。

    每项任务要么有负责人和计划日期，要么列在“未能派单”表并写明原因。

    \b
    例：
      shequ assign samples/xinze --as-of 2026-11-23 -o 跟进派单.xlsx
      shequ assign 台账/ --format json
    """
    from toolkit import api
    from toolkit.report.console import format_json, format_text
    from toolkit.report.workorders import format_followups
    progress = progress_reporter(quiet)
    done = api.assign(list(paths), as_of=as_of, output=output, lang=lang, progress=progress)
    _finish_progress(progress)
    result, followups = done.result, done.followups
    if fmt == "json":
        click.echo(format_json(api.result_document(result, lang=lang, followups=followups)),
                   nl=False)
    else:
        click.echo(format_text(result, lang=lang, followups=followups) + format_followups(
            followups, lang), nl=False)
    if not quiet:
        click.echo(_say(click.get_current_context(), f"派单表：{done.path}",
                        f"work orders: {done.path}"), err=True)
    sys.exit(result.exit_code)


@cli.command(help_en="""
    Reports: write 周检查报告.xlsx (for the staff, with charts and links to the cells) and
    镇报送表.xlsx (for the town office, personal data masked).

    \b
    Examples:
      shequ report samples/xinze --period month --as-of 2026-11-23
      shequ report 台账/ --period 2026-10 -o 十月报表/
    """)
@paths_argument
@option("--period", default=None, metavar="week|month|YYYY-MM",
              help="统计周期：week 本周、month 本月或 2026-11（默认按 设置.xlsx 的报送周期）/ period")
@option("-o", "--outdir", type=ShequPath(path_type=Path, file_okay=False), default=None,
              help="报表写到哪个文件夹（默认 台账文件夹/报表/<周期>/）/ output folder")
@as_of_option
@common_options
def report(paths, period, outdir, as_of, lang, quiet):
    """报表：写出 周检查报告.xlsx（工作人员用，含图表和定位链接）和 镇报送表.xlsx（个人信息脱敏）。

    \b
    例：
      shequ report samples/xinze --period month --as-of 2026-11-23
      shequ report 台账/ --period 2026-10 -o 十月报表/
    """
    from toolkit import api
    progress = progress_reporter(quiet)
    try:
        done = api.report(list(paths), as_of=as_of, period=period, outdir=outdir, lang=lang,
                          progress=progress)
    finally:
        _finish_progress(progress)
    staff, town = done.reports.staff, done.reports.town
    if not quiet:
        click.echo(_say(click.get_current_context(), f"已写入 {staff} 和 {town}",
                        f"wrote {staff} and {town}"), err=True)
    sys.exit(done.result.exit_code)


@cli.command(help_en="""
    Merge the communities' 镇报送表.xlsx into one 镇汇总.xlsx (rates recomputed from their
    numerators and denominators, then ranked).

    All reports must cover the same period; when their cut-off days differ, add --latest
    (each community's latest report is used).

    --as-of sets the summary date (default today), so a merge can be reproduced exactly.

    \b
    Example:
      shequ merge 松和/镇报送表.xlsx 咏泽/镇报送表.xlsx -o 镇汇总.xlsx --csv 镇汇总.csv
      shequ merge 松和/镇报送表.xlsx 咏泽/镇报送表.xlsx --as-of 2026-12-01
    """)
@argument("reports", nargs=-1, required=True, metavar="报送表... / REPORT...",
                type=ShequPath(path_type=Path, dir_okay=False, exists=True))
@option("-o", "--output", type=ShequPath(path_type=Path, dir_okay=False), default=None,
              help="汇总表写到哪里（默认当前文件夹的 镇汇总.xlsx）/ summary workbook to write")
@option("--latest", is_flag=True,
        help="同一居委有多份（统计截止日不同）时只取最新一份 / keep each community's latest report")
@option("--csv", "csv_path", type=ShequPath(path_type=Path, dir_okay=False), default=None,
              help="另存一份 CSV 明细（UTF-8 带 BOM，Excel 可直接打开）/ also write the long table as CSV")
@as_of_option
@common_options
def merge(reports, output, latest, csv_path, as_of, lang, quiet):
    """汇总：把各居委的 镇报送表.xlsx 合成一张 镇汇总.xlsx（按分子分母重新计算比率，并排名）。

    各报送表的报送周期必须相同；统计截止日不同时须加 --latest（取各居委最新一份）。

    --as-of 指定汇总日期（默认今天），用于重现某次汇总。

    \b
    例：
      shequ merge 松和/镇报送表.xlsx 咏泽/镇报送表.xlsx -o 镇汇总.xlsx --csv 镇汇总.csv
      shequ merge 松和/镇报送表.xlsx 咏泽/镇报送表.xlsx --as-of 2026-12-01
    """
    from toolkit import schema
    from toolkit.report.merge import merge_reports
    written = merge_reports(list(reports), output or Path(schema.TOWN_SUMMARY),
                            as_of=as_of,                        # 汇总日期 (default today)
                            latest=latest, csv=csv_path,
                            warn=lambda text: click.echo(text.get(lang), err=True))
    if not quiet:
        click.echo(_say(click.get_current_context(), f"已写入 {written}", f"wrote {written}"),
                   err=True)


@cli.command(help_en="""
    The weekly job: check + assign + reports + comparison with the last run, written to
    FOLDER/报表/<year-Wweek>/.

    Running again in the same week replaces that week's files and leaves other weeks alone;
    the ledgers are never written.

    \b
    Example:
      shequ weekly samples/xinze --as-of 2026-11-23
    """)
@argument("directory", metavar="文件夹 / FOLDER", type=ShequPath(path_type=Path, file_okay=False, exists=True))
@format_option
@option("--open", "open_report", is_flag=True,
        help="完成后用默认程序打开 周检查报告.xlsx（立即检查 用）/ open the staff report when done")
@as_of_option
@common_options
def weekly(directory, fmt, open_report, as_of, lang, quiet):
    """每周任务：检查 + 派单 + 报表 + 历史比对，写入 文件夹/报表/<年-W周>/。

    同一周重复运行会替换该周的文件，其他周不受影响；台账文件从不被改写。

    \b
    例：
      shequ weekly samples/xinze --as-of 2026-11-23
    """
    from toolkit import api
    from toolkit.report.console import format_json
    progress = progress_reporter(quiet)
    run = api.weekly(directory, as_of=as_of, lang=lang, progress=progress)
    _finish_progress(progress)
    if fmt == "json":
        click.echo(format_json(api.result_document(run.result, lang=lang,
                                                   followups=run.followups)), nl=False)
    else:
        click.echo(run.summary_line(lang))
    if run.note is not None:
        click.echo(run.note.get(lang), err=True)
    if open_report:
        from toolkit.automate.launchers import open_with_default_program
        from toolkit.schema import STAFF_REPORT
        problem = open_with_default_program(run.outdir / STAFF_REPORT)
        if problem is not None:
            click.echo(problem.get(lang), err=True)
    sys.exit(run.exit_code)


@cli.command(help_en="""
    Run weekly at the 周检查时间 of 设置.xlsx (default Monday 08:30): stay running, or
    register with the system.

    --install registers the weekly job with Windows Task Scheduler / Linux crontab (a missed
    run is made up after start-up), --uninstall removes it, --status shows whether it is
    registered and when it last ran. Logs are in FOLDER/.shequ/logs/. Only one schedule runs
    per folder.

    \b
    Examples:
      shequ schedule 台账/ --install  # register with the system, then forget it
      shequ schedule 台账/            # stay running; Ctrl-C stops
      shequ schedule 台账/ --once     # cron: 30 8 * * 1
    """)
@argument("directory", metavar="文件夹 / FOLDER", type=ShequPath(path_type=Path, file_okay=False, exists=True))
@option("--once", is_flag=True,
              help="到期就运行一次后退出（给 cron / Windows 任务计划用）/ run the due job and exit")
@option("--install", "action", flag_value="install",
        help="向系统登记每周任务（Windows 任务计划 / crontab）/ register the weekly job")
@option("--uninstall", "action", flag_value="uninstall",
        help="删除登记的每周任务 / remove the registered job")
@option("--status", "action", flag_value="status",
        help="是否已登记、上次何时运行 / whether registered and when it last ran")
@option("--as-of", "as_of", callback=_parse_as_of_or_none, metavar="YYYY-MM-DD",
        help="当作今天是这一天运行（默认今天），用于补跑或重现 / run as if today were this day")
@common_options
def schedule(directory, once, action, as_of, lang, quiet):
    """按 设置.xlsx 的“周检查时间”（默认周一 08:30）自动执行 weekly：常驻运行，或向系统登记。

    --install 在 Windows 任务计划程序 / Linux crontab 中登记每周任务（错过时开机后补跑），
    --uninstall 删除，--status 显示是否已登记和上次运行时间。
    日志在 文件夹/.shequ/logs/。同一文件夹只能有一个 schedule 在运行。

    \b
    例：
      shequ schedule 台账/ --install  # 登记到系统，之后不用管
      shequ schedule 台账/            # 常驻，Ctrl-C 停止
      shequ schedule 台账/ --once     # cron: 30 8 * * 1
    """
    from toolkit import api
    from toolkit.automate.schedule import install_stop_signals
    if action and (once or as_of is not None):
        # the registered job runs --once as of each day itself; taking either here silently
        # would let the user believe the job will run for that day
        from toolkit.errors import UsageError
        given = "、".join(name for name, on in (("--once", once), ("--as-of", as_of is not None)) if on)
        raise UsageError(f"--{action} 不能和 {given} 一起用：登记的每周任务每次都按当天运行（自带 --once）。"
                         f"要补跑某一天，请直接运行：shequ weekly 文件夹 --as-of YYYY-MM-DD",
                         f"--{action} does not take {given.replace('、', ' or ')}: the registered weekly "
                         "job always runs as of its day (it adds --once itself). To run a past day, "
                         "run: shequ weekly FOLDER --as-of YYYY-MM-DD")
    settings = api.settings_of(directory)
    if action:
        from toolkit.automate import install
        registered = install.job_for(directory, python=Path(sys.executable),
                                     weekday=settings.schedule_weekday, at=settings.schedule_time)
        do = {"install": install.install, "uninstall": install.uninstall, "status": install.status}
        click.echo(do[action](registered, install.current_system()).get(lang))
        return
    scheduler = api.scheduler(directory, today=date.today(), as_of=as_of, lang=lang)
    if once:
        ran = scheduler.run_if_due()
        click.echo({None: "未到运行时间。" if lang != "en" else "nothing due.",
                    True: "已运行。" if lang != "en" else "done.",
                    False: "运行失败，详见日志。" if lang != "en" else "failed; see the log."}[ran],
                   err=True)
        sys.exit(EXIT_USAGE if ran is False else EXIT_OK)
    install_stop_signals(scheduler)

    def started() -> None:
        if not quiet:
            when = settings.schedule_time.strftime("%H:%M")
            click.echo(f"已启动，每周{'一二三四五六日'[settings.schedule_weekday]} {when} 运行；Ctrl-C 停止。"
                       if lang != "en" else
                       f"started: runs every {WEEKDAYS_EN[settings.schedule_weekday]} at {when}; "
                       "Ctrl-C stops.", err=True)
    scheduler.run_forever(started)


@cli.command(help_en="""
    Copy a ledger with each problem cell coloured (red = error, yellow = warning) and
    commented, and a 问题汇总 sheet in front.

    The original file is not changed.

    \b
    Example:
      shequ annotate 台账/老年人台账.xlsx -o 老年人台账-已标注.xlsx --as-of 2026-11-23
    """)
@argument("file", metavar="文件 / FILE", type=ShequPath(path_type=Path, dir_okay=False, exists=True))
@option("-o", "--output", type=ShequPath(path_type=Path, dir_okay=False), default=None,
              help="副本保存到哪里（默认 台账文件夹/报表/标注/原文件名）/ where to save the copy")
@option("--workspace", type=ShequPath(path_type=Path, file_okay=False, exists=True),
              default=None, help="台账文件夹（默认为文件所在文件夹）/ the ledger folder")
@as_of_option
@common_options
def annotate(file, output, workspace, as_of, lang, quiet):
    """复制一份台账，把有问题的单元格标色（红=错误，黄=警告）并加批注，最前面加“问题汇总”表。

    原文件不会被修改。

    \b
    例：
      shequ annotate 台账/老年人台账.xlsx -o 老年人台账-已标注.xlsx --as-of 2026-11-23
    """
    from toolkit import api
    done = api.annotate(file, output, as_of=as_of, lang=lang, workspace=workspace)   # the copy is Chinese
    click.echo(f"已写入 {done.path}：{done.findings} 个问题，标注 {done.annotated_cells} 个单元格。"
               if lang != "en" else
               f"wrote {done.path}: {done.findings} finding(s), {done.annotated_cells} cell(s) marked.")
    if done.lost:
        what = "、".join(zh for zh, _ in done.lost) if lang != "en" else ", ".join(en for _, en in done.lost)
        click.echo(f"注意：原文件中的{what}无法保留在副本中（原文件不受影响）。" if lang != "en" else
                   f"note: the copy could not keep the original's {what} (the original is untouched).",
                   err=True)


def _tolerant_streams() -> None:
    """A console that cannot show a character (GBK, ASCII) shows "?" instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass        # None (pythonw), or a stream that cannot be reconfigured


def main() -> None:
    _tolerant_streams()
    try:
        cli(prog_name="shequ")
    except SystemExit as done:
        _leave(done.code)


def _leave(code) -> None:
    """End the process once the command is done, without tearing the interpreter down.

    Python's normal exit frees every object one by one: after a big estate's check (150,000
    visit records) that alone is 0.2 s of a 2.6 s run, spent after the answer is printed
    (docs/performance.md). Everything a run writes is closed and in place by now (outputs are
    replaced atomically, town workers joined); what remains is run as a normal exit would —
    the ``atexit`` functions (logging's flush among them) and the streams' buffers — and
    ``os._exit`` skips only the freeing. The command's own objects are not freed one by one
    before this either: a command ends with ``sys.exit`` inside its function, and the
    ``SystemExit`` caught in ``main`` holds that function's frame (a check's 150,000 records:
    0.25 s). The status follows ``sys.exit``: None is 0, a message is printed and gives 1."""
    import atexit
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass        # a closed pipe (`shequ check | head`) or a closed stream
    os._exit((code or 0) & 0xFF)


if __name__ == "__main__":
    main()
