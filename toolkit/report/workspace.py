"""``shequ init DIR``: a new workspace with blank ledgers, a filled 设置.xlsx and a staff README."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from toolkit import schema
from toolkit.errors import UsageError
from toolkit.report.templates import write_settings, write_template
from toolkit.files import write_text
from toolkit.settings import Settings


def workspace_files(directory: Path, *, with_settings: bool = True) -> list[Path]:
    """The files ``init_workspace`` creates, in the order it writes them."""
    directory = Path(directory)
    return ([directory / schema.LEDGER_FILES[kind] for kind in schema.KINDS]
            + ([directory / schema.SETTINGS_FILE] if with_settings else [])
            + [directory / schema.STAFF_README])


def init_workspace(directory: Path, *, as_of: date, settings: Settings | None = None,
                   also: tuple[str, ...] = ()) -> list[Path]:
    """Create ``directory`` (it may exist) with the blank ledgers, ``设置.xlsx`` and
    ``使用说明.txt``. Refuses, writing nothing, when any of those files, or of the names in
    ``also`` (files the caller writes next, e.g. the 立即检查 launchers), already exists.

    A ``设置.xlsx`` already in the folder is kept and used: the ledgers' 小区 and 类别
    dropdowns come from it (cli.md ``template --settings``)."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} 已存在且不是文件夹，请换一个文件夹名。",
                         f"{directory} exists and is not a folder; choose another name.")
    settings_path = directory / schema.SETTINGS_FILE
    keep_settings = settings is None and settings_path.is_file()
    if keep_settings:
        from toolkit.read.settings import read_settings
        settings, _ = read_settings(settings_path)
    settings = settings or Settings()
    targets = workspace_files(directory, with_settings=not keep_settings) + [directory / name for name in also]
    existing = [p.name for p in targets if p.exists()]
    if existing:
        names = "、".join(existing)
        hint = (f"；这已是台账文件夹、只想加上双击用的 立即检查 时，运行 shequ init --launchers-only {directory}",
                f"; to add just the double-click launchers to this ledger folder, run "
                f"shequ init --launchers-only {directory}") if also else ("", "")
        raise UsageError(
            f"{directory} 中已有 {names}，为避免覆盖台账，未写入任何文件。请换一个空文件夹，或先移走这些文件"
            f"{hint[0]}。",
            f"{directory} already holds {', '.join(existing)}; nothing was written so no ledger is "
            f"overwritten. Use an empty folder or move those files away first{hint[1]}.")
    written = [write_template(kind, directory / schema.LEDGER_FILES[kind], as_of=as_of,
                              settings=settings) for kind in schema.KINDS]
    if not keep_settings:
        written.append(write_settings(settings_path, settings, as_of=as_of))
    written.append(write_text(directory / schema.STAFF_README, staff_readme()))
    return written


def staff_readme() -> str:
    """使用说明.txt: what each file is, how to fill it, how to run the checks."""
    files = "\n".join(f"  {schema.LEDGER_FILES[k]}：{_FILE_PURPOSE[k]}" for k in schema.KINDS)
    return _README.format(files=files, settings=schema.SETTINGS_FILE, reports=schema.REPORTS_DIR,
                          guide=schema.GUIDE_SHEET, staff_report=schema.STAFF_REPORT,
                          orders=schema.WORK_ORDERS, town=schema.TOWN_REPORT)


_FILE_PURPOSE = {
    "requests": "居民反映的诉求，按 梳理分类→分派研究→跟踪解决→答复反馈 四步填写",
    "elderly": "需要关爱的老年人（独居、高龄、有特殊困难等）",
    "volunteers": "志愿者、服务小区、服务技能、可服务时间",
    "visits": "每次上门巡访或服务记一行",
    "services": "物业+养老服务（助餐、助洁、助医、陪诊……）每次服务记一行，含收费金额和评价",
    "rooms": "活动室（舞蹈室、乒乓球室、棋牌室……）每次使用记一行",
    "meetings": "居民议事会记录：每个议题记一行，写明是否已登记为诉求、议定事项、落实人和反馈",
}

_README = """社区台账助手（shequ）使用说明
================================

一、这个文件夹里有什么
{files}
  {settings}：居委名称、小区、诉求类别和办理时限、巡访频次、血压阈值、值班人员、节假日、议事会记录人等

二、怎么填写台账
  1. 每个台账的第1行是列名，请不要修改；红色列名为必填项。
  2. 每个台账都有“{guide}”工作表，逐列说明要填什么、怎么填，并给出示例。
  3. 带下拉箭头的列请从列表中选择；日期按 2026-11-03 的格式填写。
  4. 电话、身份证号列已设为文本格式，直接输入即可，末几位不会丢失。
  5. 可以在台账中加自己的列，程序会忽略不认识的列；可以把一个台账分成多个工作表（如每个小区一张）。
  6. 先在“{settings}”的“小区”表中填写本居委的小区名称，台账中的小区列就会按此检查。
     要让空白台账的小区、类别列有下拉列表，填好后运行：
       shequ template requests --settings {settings} -o 新诉求台账.xlsx
     （elderly 老年人台账、volunteers 志愿者名册、visits 巡访记录 同理）。

三、怎么检查
  最简单：双击本文件夹中的“立即检查”（Windows 上是 立即检查.bat，Linux 上是 立即检查.sh）。
  它检查全部台账、写出本周报表并打开周检查报告；有问题时窗口会停住，看完按任意键（Linux 上按回车键）关闭。
  也可以在命令行中进入本文件夹的上一级，运行（shequ 装在虚拟环境里时，先激活它，或写 shequ 的完整路径，
  如 C:\\shequ\\.venv\\Scripts\\shequ.exe）：
    shequ check 本文件夹名          列出台账中的问题（缺项、超期、闭环未完成、超期未巡访等）
    shequ weekly 本文件夹名         一次完成检查、派单和报表
  如需按某一天检查，可加 --as-of 2026-11-23。

四、报表在哪里
  shequ weekly 会在本文件夹下生成“{reports}/年份-W周数/”，其中：
    {staff_report}：给居委工作人员看的检查报告
    {orders}：按人分页、可打印的跟进派单
    {town}：报送镇里的表（姓名、电话、身份证号已脱敏）
  程序只读取台账，从不修改您填写的文件。
"""
