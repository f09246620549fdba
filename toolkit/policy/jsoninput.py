"""JSON documents typed or saved by people: decoded strictly, bounded, explained in Chinese.

A UTF-8 byte-order mark (Windows Notepad) is accepted.  UTF-16, GBK and other non-UTF-8 bytes are
refused with a message saying which encoding it looks like and how to save as UTF-8 — never
decoded as something else.  Size and nesting depth are bounded.
"""

from __future__ import annotations

import json

from toolkit.errors import UserError

MAX_BYTES = 5_000_000        # a household or a case timeline is a few KB
MAX_DEPTH = 32               # nesting of objects and lists (a case timeline needs 4)
UTF8_BOM = b"\xef\xbb\xbf"
_UTF16 = ("{name} 是 UTF-16 编码（常见于 Windows“Unicode”格式），本工具只读 UTF-8。"
          "请用记事本“另存为”，编码选择 UTF-8 后重试。")


def _encoding_problem(data: bytes, name: str, error: UnicodeDecodeError) -> UserError:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) >= 4 and (data[1:4:2] == b"\0\0" or data[0:4:2] == b"\0\0")):
        return UserError(_UTF16.format(name=name))
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return UserError(f"{name} 看起来是 GBK（GB18030）编码，本工具只读 UTF-8。"
                         "请在编辑器中另存为 UTF-8 编码后重试（否则中文会被读错）。")
    return UserError(f"{name} 不是 UTF-8 编码的文本（第 {error.start + 1} 个字节 0x{data[error.start]:02X} 无法识别）。"
                     "请确认提供的是 JSON 文本文件，并另存为 UTF-8 编码后重试。")


def within_depth(value: object, limit: int = MAX_DEPTH) -> bool:
    """Nesting of dicts and lists at most ``limit`` levels (checked without recursion, in one pass
    over the parsed value: linear in its size, whatever the text looked like)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return True


def parse_json_bytes(data: bytes, name: str) -> object:
    """Decode and parse ``data`` (the content of ``name``: a file or 标准输入)."""
    if len(data) > MAX_BYTES:
        raise UserError(f"{name} 过大（{len(data):,} 字节，上限 {MAX_BYTES:,}）。一个家庭或一个案件的 JSON 只有几 KB，请检查文件。")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _encoding_problem(data, name, err) from None
    if "\0" in text:          # UTF-16 without a byte-order mark decodes as UTF-8 with NUL bytes
        raise UserError(_UTF16.format(name=name))
    if not text.strip():
        raise UserError(f"{name} 是空的，请提供 JSON 内容。")
    try:
        value = json.loads(text)      # NaN / Infinity pass here and are refused, with their field, by the parsers
    except json.JSONDecodeError as err:
        raise UserError(f"{name} 第 {err.lineno} 行第 {err.colno} 列不是有效的 JSON（{err.msg}）。"
                        "请检查引号、逗号和括号是否配对。") from None
    except RecursionError:
        raise UserError(f"{name} 的括号嵌套层数过深（上限 {MAX_DEPTH} 层），不是本工具的输入格式，请检查文件。") from None
    except ValueError as err:          # e.g. an integer of thousands of digits
        raise UserError(f"{name} 中有无法处理的数值（{str(err)[:80]}），请检查数字是否正确。") from None
    if not within_depth(value):
        raise UserError(f"{name} 的括号嵌套层数过深（上限 {MAX_DEPTH} 层），不是本工具的输入格式，请检查文件。")
    return value

