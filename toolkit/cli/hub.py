"""``jiuzhu hub start | accounts | password``: the district's training hub (JupyterHub).

Imports only argparse at load time; the hub machinery is imported inside the handlers.
"""

from __future__ import annotations

from toolkit.cli._argparse import add_group


def register(subparsers) -> None:
    group = add_group(
        subparsers, "hub", "培训平台：多人同时使用的 JupyterHub（每位学员一个账号）",
        "在一台服务器上为全区培训开设 JupyterHub：区级培训（街镇工作人员）和街镇培训（村居干部）两门课程，\n"
        "每位学员用自己的账号登录，看到并提交自己的案例。平台目录默认为 hub/（含 hub.yaml、课程、交换目录）。\n"
        "顺序：jiuzhu hub start（首次自动建好目录）→ jiuzhu course roster import 花名册.xlsx --course hub/courses/课程编号\n"
        "      → jiuzhu hub accounts --course 课程编号（生成账号清单.xlsx；平台运行中新账号立即可登录）\n"
        "停用：jiuzhu hub accounts remove 登录账号；开机自启：jiuzhu hub service --bind 0.0.0.0:8000")
    start = _add(group, "start", "启动培训平台（按 Ctrl+C 或 kill -TERM 停止；已在运行时不重复启动）", _start)
    start.add_argument("--bind", metavar="地址:端口",
                       help="对外地址，默认 hub.yaml 中的 127.0.0.1:8000（仅本机）；服务器上用 0.0.0.0:8000")
    accounts = _add(group, "accounts", "按花名册为学员和培训老师开设账号，生成账号清单.xlsx；remove 停用账号", _accounts)
    accounts.add_argument("action", nargs="?", choices=["remove"], metavar="remove",
                          help="remove 登录账号…：停用学员账号（平台运行中立即生效，其他人的服务器不受影响）")
    accounts.add_argument("users", nargs="*", metavar="登录账号", help="要停用的账号（与 remove 一起用）")
    accounts.add_argument("--course", metavar="课程编号", help="如 quji（区级培训）或 jiezhen（街镇培训）；开设账号时必填")
    accounts.add_argument("--out", metavar="文件.xlsx", help="账号清单保存位置，默认 hub/<课程编号>-账号清单.xlsx")
    accounts.add_argument("--url", metavar="网址", help="写在账号清单上的登录网址，默认 http://<hub.yaml 的地址>/")
    service = _add(group, "service", "生成系统服务文件 jiuzhu-hub.service（服务器开机自动启动平台）", _service)
    service.add_argument("--bind", required=True, metavar="地址:端口", help="对外地址，如 0.0.0.0:8000")
    service.add_argument("--out", metavar="文件", help="保存位置，默认 <平台目录>/jiuzhu-hub.service")
    password = _add(group, "password", "为忘记密码的学员或培训老师重置密码", _password)
    password.add_argument("user", metavar="登录账号", help="学员编号或培训老师账号")


def _add(group, name: str, help_text: str, handler):
    parser = group.add_parser(name, help=help_text, description=help_text)
    parser.add_argument("--root", default="hub", metavar="目录", help="平台目录，默认 hub")
    parser.set_defaults(func=handler)
    return parser


def _start(args) -> int:
    from toolkit.hub.server import run_hub

    return run_hub(args.root, args.bind)


def _accounts(args) -> int:
    from toolkit.errors import UserError
    from toolkit.hub.accounts import REMOVED_FILE, make_accounts, remove_accounts, removed_accounts
    from toolkit.hub.layout import open_hub
    from toolkit.hub.members import trainees
    from toolkit.hub.messages import TEXT

    hub = open_hub(args.root)
    if args.action == "remove":
        if not args.users:
            raise UserError(TEXT["no_users"])
        remove_accounts(hub, args.users)
        print(TEXT["accounts_removed"].format(count=len(args.users), users="、".join(args.users),
                                              kept=hub.root / "removed"))
        return 0
    if args.users:
        raise UserError(TEXT["no_users"])
    if not args.course:
        raise UserError(TEXT["no_course"])
    path, made = make_accounts(hub, args.course, args.out, args.url)
    listed = [a for a in made if a.note != TEXT["removed_note"]]
    new = sum(a.created for a in listed)
    print(TEXT["accounts_written"].format(path=path, new=new, old=len(listed) - new))
    skipped = sorted(removed_accounts(hub) & set(trainees(hub.course(args.course))))
    if skipped:
        print(TEXT["removed_skipped"].format(count=len(skipped), users="、".join(skipped), path=hub.state / REMOVED_FILE))
    return 0


def _password(args) -> int:
    from toolkit.hub.accounts import reset_password
    from toolkit.hub.layout import open_hub
    from toolkit.hub.messages import TEXT

    password, name = reset_password(open_hub(args.root), args.user)
    print(TEXT["password_reset"].format(user=args.user, name=name, password=password))
    return 0


def _service(args) -> int:
    from toolkit.hub.layout import open_hub
    from toolkit.hub.messages import TEXT
    from toolkit.hub.server import parse_bind
    from toolkit.hub.service import write_unit

    parse_bind(args.bind)
    path = write_unit(open_hub(args.root), args.bind, args.out)
    print(TEXT["service_written"].format(path=path))
    return 0
