"""Who signs an office's document and on which day: the 署名 and 成文日期 of a 落款.

One small function, so the documents never compose a signing body themselves.  Today it knows
what the store knows: a district's document is signed by the district's 民政局, the city's by
:data:`report_labels.DEFAULT_OFFICE`, dated the day given (the round's issue date or the 通报's
cut-off).  The bureau's own names (from its settings) can be fed in through ``office``; the
office's 主送机关 and 版记 (``offices.dispatch``) through :func:`addressees` and :func:`imprint`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.reports.compose import report_labels as L


@dataclass(frozen=True)
class Signing:
    office: str                  # 署名: the issuing body, in full
    day: dt.date                 # 成文日期

    @property
    def date_text(self) -> str:
        """成文日期 in Chinese: '2019年12月13日'."""
        return L.chinese_date(self.day)

    def lines(self) -> list[str]:
        """The 落款's lines: the body, then the date."""
        return [self.office, self.date_text]


def addressees(doc, dispatch) -> None:
    """主送机关 under the title when the office has set one."""
    if dispatch is not None and dispatch.recipients:
        doc.addressees(dispatch.recipients)


def imprint(doc, dispatch, printed_on) -> None:
    """版记 (抄送; 印发机关 and 印发日期, the 成文日期) when the office has set them."""
    if dispatch is not None and (dispatch.cc or dispatch.printer):
        doc.imprint(dispatch.cc, dispatch.printer, L.chinese_date(printed_on) if dispatch.printer else "")


def signing(district: str | None, day: dt.date, office: str | None = None) -> Signing:
    """The 落款 of a document about ``district`` (None: the whole city), dated ``day``."""
    if office:
        return Signing(office, day)
    return Signing(f"{district}民政局" if district else L.DEFAULT_OFFICE, day)
