"""Citations of the legal texts the rules rest on, in one place so every output cites alike."""

from __future__ import annotations

REGULATION_SH = "《上海市社会救助条例》"
MEASURES_2012 = "《最低生活保障审核审批办法（试行）》（民发〔2012〕220号）"
MEASURES_2021 = "《最低生活保障审核确认办法》（民发〔2021〕57号）"
INTERIM_MEASURES = "《社会救助暂行办法》"
SEED_NOTICE = "青浦区提升社会救助管理服务质量年活动通知（青民〔2018〕44号）"


def sh(article: str) -> str:
    """《上海市社会救助条例》第…条."""
    return f"{REGULATION_SH}{article}"


def m2012(article: str) -> str:
    return f"{MEASURES_2012}{article}"


def m2021(article: str) -> str:
    return f"{MEASURES_2021}{article}"
