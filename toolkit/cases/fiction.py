"""Invented people and places for training cases.

Every case is set in the fictional 示例市; districts, 街镇, committees and people are drawn from
small pools with a seeded :class:`random.Random`, so a seed always yields the same cast.  Names
are assembled from common surnames and given-name characters and belong to nobody in particular.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

CITY = "示例市"
DISTRICTS = ("东湖区", "西岭区", "南塘区", "北苑区", "青枫区")
TOWNS = ("临江街道", "枫林街道", "云溪街道", "石桥镇", "柳湾镇", "杏花镇", "松岗镇", "白沙街道")
COMMITTEES = ("桂花苑居委会", "新民居委会", "望湖居委会", "晨光居委会", "红枫村村委会", "柳岸村村委会",
              "长塘村村委会", "荷塘居委会")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建伟芳秀英敏静丽磊洋勇艳杰娟涛明超霞桂兰玉红梅志海燕斌辉宇晨欣怡佳琪思雨浩然轩梓涵博雅婷春秋菊冬德福永庆淑珍凤翠"
# Given-name characters read as a man's or a woman's (for roles with a sex: 父亲, 女儿 …).
GIVEN_BY_SEX = {"m": "建伟磊勇杰涛明超志海斌辉宇浩轩博德福永庆刚强军国华峰", "f": "芳秀英敏静丽艳娟霞桂兰玉红梅燕欣怡琪雅婷菊珍凤翠"}

# Kinship words used in cases, each with whether it is a 近亲属 in the sense of the 低保 rules
# (配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女) — see the project's policy facts (sources and confidence: docs/policy.md).
KIN_NEAR = ("配偶", "父亲", "母亲", "儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹", "祖父", "外祖母", "孙子", "外孙女")
KIN_NOT_NEAR = ("表哥", "表妹", "堂弟", "舅舅", "姑姑", "侄子", "外甥女", "同学", "邻居")


@dataclass(frozen=True)
class Place:
    district: str
    town: str
    committee: str

    @property
    def full(self) -> str:
        return f"{CITY}{self.district}{self.town}{self.committee}"

    @property
    def center(self) -> str:
        """The town's 社区事务受理服务中心."""
        return f"{self.town}社区事务受理服务中心"


def place(rng: random.Random) -> Place:
    return Place(rng.choice(DISTRICTS), rng.choice(TOWNS), rng.choice(COMMITTEES))


def given_name(rng: random.Random, sex: str | None = None) -> str:
    """Two random characters (single-character given names too often coincide with well-known people);
    ``sex`` "m" or "f": characters read as a man's or a woman's name."""
    pool = GIVEN_BY_SEX[sex] if sex else GIVEN
    return rng.choice(pool) + rng.choice(pool)


def person_name(rng: random.Random, surname: str | None = None, sex: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + given_name(rng, sex)


def distinct_names(rng: random.Random, count: int, surname: str | None = None,
                   avoid: set[str] | frozenset[str] = frozenset(), sexes: list[str | None] | None = None) -> list[str]:
    """``count`` different names (sharing ``surname`` when given), none of them in ``avoid``;
    ``sexes``: the sex ("m", "f" or None) of each name in turn."""
    names: list[str] = []
    while len(names) < count:
        name = person_name(rng, surname, sexes[len(names)] if sexes else None)
        if name not in names and name not in avoid:
            names.append(name)
    return names
