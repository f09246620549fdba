"""argparse with Chinese help and error text.

argparse's own words ("usage:", "options", "the following arguments are required") are
English; cadres and inspectors read Chinese, so the parser, its formatter and its error
messages are translated here.  Imports only the standard library so ``jiuzhu --help`` is fast.
"""

from __future__ import annotations

import argparse
import re
import sys

_ERROR_PATTERNS = [
    (re.compile(r"the following arguments are required: (.+)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1"),
    (re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
     r"参数 \1 的取值 \2 无效，可选：\3"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.+)"), r"参数 \1 的取值 \3 不是有效的数值"),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面需要一个值"),
    (re.compile(r"argument (\S+): expected at least one argument"), r"参数 \1 后面至少需要一个值"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), r"参数 \1 不能与 \2 同时使用"),
    (re.compile(r"argument (\S+): (.+)"), r"参数 \1：\2"),
]


def translate_error(message: str) -> str:
    for pattern, replacement in _ERROR_PATTERNS:
        if pattern.search(message):
            return pattern.sub(replacement, message)
    return message


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """ArgumentParser whose built-in texts are Simplified Chinese; errors exit with status 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="显示本帮助并退出")

    def format_help(self) -> str:
        """Chinese section headings end with a full-width colon; the sub-command group's
        placeholder line (argparse repeats the metavar under the heading) is dropped."""
        text = super().format_help()
        for title in ("位置参数", "选项", "命令", "子命令"):
            text = re.sub(rf"^(\s*){title}:\n(\s+{title}\n)?", rf"\1{title}：\n", text, flags=re.M)
        return text

    def error(self, message: str):  # noqa: D401 - argparse API
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate_error(message)}\n"
                     f"使用 {self.prog} --help 查看说明。\n")


def add_group(subparsers, name: str, help_text: str, description: str | None = None):
    """Add a command group (e.g. ``jiuzhu policy``) and return its sub-command registry."""
    parser = subparsers.add_parser(name, help=help_text, description=description or help_text)
    group = parser.add_subparsers(title="子命令", dest=f"{name}_command", metavar="子命令")
    group.required = True
    return group


DEFAULT_STORE = "data/jiuzhu.sqlite"
"""The inspection store every ``jiuzhu inspect|org|register`` command uses unless told otherwise."""


def add_store_option(parser) -> None:
    """``--store``: the inspection store, a file path or a SQLAlchemy URL."""
    parser.add_argument("--store", default=DEFAULT_STORE, metavar="路径或URL",
                        help=f"督导检查数据库（默认 {DEFAULT_STORE}，首次使用时自动创建；也可写 SQLAlchemy URL）")
