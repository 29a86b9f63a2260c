"""Click's own words in Chinese (cli.md: "In Chinese, click's own words (usage, errors,
``--help``) are Chinese too").

Click marks its strings with ``gettext``; we give its modules a translator that looks the
English text up in ``CLICK_ZH`` while the language is Chinese and returns it unchanged in
English. Help texts of our own options are written ``中文 / English`` and shown in the
language of the run (``pick``). Imported by ``toolkit.cli`` only; nothing here reads files.
"""
from __future__ import annotations

import os
import re

__all__ = ["install", "set_lang", "current_lang", "lang_from_args", "lang_from_env", "pick",
           "CLICK_ZH"]

# click 8.x message ids -> Chinese. Placeholders are kept as they are.
CLICK_ZH = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出",
    "Show the version and exit.": "显示版本号并退出",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "argument": "参数",
    "option": "选项",
    "parameter": "参数",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Did you mean {possibility}?": "是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是想用其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多了一个参数（{args}）",
    "Got unexpected extra arguments ({args})": "多了几个参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面要写 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不能写值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 要写 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Value must be an iterable.": "取值必须是一组值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 之中。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数字",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 之内。",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} 不是有效的是/否值。可用：{states}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats} 中的任何一种。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件，这里要的是文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个文件夹，这里要的是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 没有读取权限。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 没有写入权限。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不能执行。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已停用",
    "Do you want to continue?": "要继续吗？",
    "Repeat for confirmation": "再输入一次确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
}

_state = {"lang": "zh"}
_SPLIT = re.compile(r"\s*/ (?=[A-Za-z(])")
_CLICK_MODULES = ("core", "exceptions", "types", "parser", "decorators", "formatting", "termui",
                  "utils", "_termui_impl")


def set_lang(lang: str) -> None:
    _state["lang"] = "en" if lang == "en" else "zh"


def current_lang() -> str:
    return _state["lang"]


def gettext(message: str) -> str:
    if _state["lang"] == "en":
        return message
    return CLICK_ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """Give click's modules our translator (idempotent)."""
    import importlib
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:       # pragma: no cover - a module click may drop
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


def lang_from_env() -> str:
    return "en" if os.environ.get("SHEQU_LANG", "").lower().startswith("en") else "zh"


def lang_from_args(args) -> str | None:
    """The value of ``--lang`` wherever it stands (before or after the command), or None."""
    args = list(args or ())
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1] if args[i + 1] in ("zh", "en") else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in ("zh", "en") else None
    return None


def pick(text: str | None, lang: str | None = None) -> str | None:
    """``"中文 / English"`` → the half for ``lang`` (the whole text when it has no `` / ``)."""
    if not text:
        return text
    cut = [m for m in _SPLIT.finditer(text)]
    if not cut:
        return text
    zh, en = text[:cut[-1].start()], text[cut[-1].end():]
    return en if (lang or _state["lang"]) == "en" else zh
