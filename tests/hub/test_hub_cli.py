"""`jiuzhu hub start | accounts | password` refuse bad input in Chinese with exit 2, before starting
or changing anything (the hub itself, accounts and password reset run in tests/e2e/test_e2e_hub.py)."""

from __future__ import annotations

from toolkit.cli import main


def refused(code: int, capsys, root, *words: str) -> None:
    err = capsys.readouterr().err
    assert code == 2 and all(w in err for w in words), err
    assert "Traceback" not in err
    assert not (root / "state" / "hub.pid").exists()            # nothing was started


def test_start_with_a_bad_bind_address(tmp_path, capsys):
    root = tmp_path / "hub"
    refused(main(["hub", "start", "--bind", "8000", "--root", str(root)]), capsys, root, "--bind", "8000")


def test_accounts_for_an_unknown_course(tmp_path, capsys):
    root = tmp_path / "hub"
    refused(main(["hub", "accounts", "--course", "nosuch", "--root", str(root)]), capsys, root,
            "nosuch", "quji、jiezhen")


def test_password_of_an_account_the_hub_did_not_make(tmp_path, capsys):
    root = tmp_path / "hub"
    refused(main(["hub", "password", "root", "--root", str(root)]), capsys, root, "root")
