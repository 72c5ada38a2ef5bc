"""The `xerotui` command line as a real program: version, help, config errors, missing
connection parts, and `--demo` in a pseudo-terminal — its sandbox child never outlives it."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pty_terminal import REPO, XEROTUI, DemoRuns, Terminal, cli_env, gone, wait_for

from xerotui import __version__
from xerotui.config import paths
from xerotui.launcher import SandboxProcess

MEMBER_KEY = "xero_proj_demo_sandbox-member-key"  # the sandbox's fixed demo key
SEED_MODELS = 43
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds the sandbox child through /proc"
)
READY = re.compile(r"sandbox ready on (http://127\.0\.0\.1:\d+) ")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*XEROTUI, *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=env or cli_env(),
        cwd=REPO,
    )


# ---------------------------------------------------------------------------- plain CLI


def test_version_prints_the_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"xerotui {__version__}\n"
    assert result.stderr == ""


def test_help_lists_the_options() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: xerotui ")
    for option in ("--demo", "--reset", "--profile", "--base-url", "--api-key", "--version"):
        assert option in result.stdout
    assert "xerotui sandbox --help" in result.stdout
    assert result.stderr == ""


def test_sandbox_help_works() -> None:
    result = run_cli("sandbox", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: xerotui sandbox ")
    for option in ("--port", "--db", "--reset", "--seed-models", "--faults"):
        assert option in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('current_profile = "x"\n[settings]\ntheme = \n', 3, "invalid value"),
        ("[settings]\npage_size = 50\nrefresh_interval = 1\n[settings\n", 4, ""),
        ('[settings]\ntheme = "xerotier-dark"\npage_size = "ten"\n', 3, "'settings.page_size'"),
    ],
    ids=["syntax", "unclosed-table", "wrong-type"],
)
def test_a_malformed_config_is_one_line_naming_file_and_line(
    text: str, line: int, message: str
) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text(text)
    result = run_cli()
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"xerotui: {config}, line {line}: "), lines[0]
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_a_malformed_xeroctl_config_names_that_file_and_line() -> None:
    xeroctl = paths.xeroctl_config_file()
    xeroctl.parent.mkdir(parents=True)
    xeroctl.write_text(
        'current = "prod"\n[deployment.prod]\nbase_url = "not a url"\napi_key = "k"\n'
    )
    result = run_cli()
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    # a file under HOME is shown as ~/...
    assert xeroctl == Path.home() / ".config" / "xeroctl" / "config.toml"
    assert lines[0].startswith(
        "xerotui: ~/.config/xeroctl/config.toml, line 2: deployment 'prod': base URL must look "
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "error"),
    [
        (
            ["--base-url", "http://127.0.0.1:9/proj_demo/v1"],
            {},
            "--base-url gives a base URL but there is no API key: "
            "pass --api-key, set XEROTIER_API_KEY, or add a profile",
        ),
        (
            [],
            {"XEROTIER_BASE_URL": "http://127.0.0.1:9/proj_demo/v1"},
            "XEROTIER_BASE_URL gives a base URL but there is no API key: "
            "pass --api-key, set XEROTIER_API_KEY, or add a profile",
        ),
        (
            ["--api-key", MEMBER_KEY],
            {},
            "--api-key gives an API key but there is no base URL: "
            "pass --base-url, set XEROTIER_BASE_URL, or add a profile",
        ),
        (
            ["--profile", "nope"],
            {},
            "--profile: unknown profile 'nope' (known profiles: none yet)",
        ),
    ],
    ids=["base-url-only", "env-base-url-only", "api-key-only", "unknown-profile"],
)
def test_half_a_connection_is_a_clear_error(
    args: list[str], env: dict[str, str], error: str
) -> None:
    result = run_cli(*args, env=cli_env(**env))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"xerotui: {error}\n"


def test_a_base_url_of_the_wrong_shape_is_a_clear_error() -> None:
    result = run_cli("--base-url", "127.0.0.1:9/v1", "--api-key", MEMBER_KEY)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("xerotui: --base-url: base URL must look like ")
    assert MEMBER_KEY not in result.stderr


def test_make_run_is_the_demo() -> None:
    result = subprocess.run(
        ["make", "-n", "run"], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"xerotui\S* --demo|-m xerotui --demo", result.stdout), result.stdout


# ---------------------------------------------------------------------------- --demo in a pty


@pytest.fixture
def demo() -> Iterator[DemoRuns]:
    """Start `xerotui --demo` on a pty; afterwards nothing it started is left running."""
    with DemoRuns() as runs:
        yield runs


def demo_root_url(known: int) -> str:
    """The root URL of the demo sandbox from its log (the `known`-th+1 start of the file)."""
    log = paths.demo_db().with_suffix(".log")
    urls: list[str] = []

    def started() -> bool:
        urls[:] = READY.findall(log.read_text()) if log.exists() else []
        return len(urls) > known

    wait_for(started, 30, "the sandbox's ready line in its log")
    return urls[-1]


def ready_count() -> int:
    log = paths.demo_db().with_suffix(".log")
    return len(READY.findall(log.read_text())) if log.exists() else 0


def models(root: str) -> list[dict[str, object]]:
    headers = {"Authorization": f"Bearer {MEMBER_KEY}"}
    page = httpx.get(
        f"{root}/proj_demo/v1/models", params={"limit": 100}, headers=headers, timeout=10
    )
    page.raise_for_status()
    data: list[dict[str, object]] = page.json()["data"]
    return data


def wait_for_table(terminal: Terminal, count: int) -> None:
    wait_for(
        lambda: f" of {count} · sort" in terminal.text(),
        60,
        f"the models table with {count} rows on the terminal",
    )


@linux_only
def test_demo_shows_the_models_and_ctrl_q_stops_its_sandbox(
    demo: DemoRuns,
) -> None:
    terminal = demo.start()
    child = demo.sandbox_child(terminal)
    root = demo_root_url(0)
    first = models(root)[0]
    wait_for_table(terminal, SEED_MODELS)
    wait_for(lambda: str(first["name"]) in terminal.text(), 30, "the newest model's name")
    assert not gone(child)

    terminal.send(b"\x11")  # ctrl+q
    assert terminal.proc.wait(30) == 0
    assert gone(child)  # stopped (and reaped) before the app returned
    assert "Traceback" not in terminal.text()


@linux_only
@pytest.mark.parametrize(
    ("sig", "code"),
    [(signal.SIGINT, 0), (signal.SIGTERM, 128 + 15), (signal.SIGHUP, 128 + 1)],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
def test_demo_ended_by_a_signal_exits_cleanly_and_stops_its_sandbox(
    demo: DemoRuns, sig: signal.Signals, code: int
) -> None:
    terminal = demo.start()
    child = demo.sandbox_child(terminal)
    wait_for_table(terminal, SEED_MODELS)
    terminal.proc.send_signal(sig)
    assert terminal.proc.wait(30) == code
    assert gone(child)  # stopped by the app on its way out, not left to notice
    assert "Traceback" not in terminal.text()


@linux_only
def test_demo_killed_leaves_no_orphan(demo: DemoRuns) -> None:
    terminal = demo.start()
    child = demo.sandbox_child(terminal)
    wait_for_table(terminal, SEED_MODELS)
    terminal.proc.send_signal(signal.SIGKILL)
    assert terminal.proc.wait(30) == -signal.SIGKILL
    # no cleanup code ran in the app: the child must notice on its own
    wait_for(lambda: gone(child), 15, "the orphaned sandbox child to exit")


def delete_newest_demo_model() -> dict[str, object]:
    """Seed the demo database as `--demo` would and delete its newest model; returns it."""
    with SandboxProcess(paths.demo_db()) as info:
        headers = {"Authorization": f"Bearer {info.api_key}"}
        with httpx.Client(base_url=info.base_url, headers=headers, timeout=10) as api:
            newest: dict[str, object] = api.get("/models", params={"limit": 1}).json()["data"][0]
            api.delete(f"/models/{newest['id']}").raise_for_status()
            assert len(api.get("/models").json()["data"]) == SEED_MODELS - 1
    return newest


@linux_only
def test_demo_data_persists_between_runs(demo: DemoRuns) -> None:
    deleted = delete_newest_demo_model()
    known = ready_count()
    terminal = demo.start()
    demo.sandbox_child(terminal)
    root = demo_root_url(known)
    wait_for_table(terminal, SEED_MODELS - 1)
    ids = [m["id"] for m in models(root)]
    assert len(ids) == SEED_MODELS - 1
    assert deleted["id"] not in ids
    terminal.send(b"\x11")
    assert terminal.proc.wait(30) == 0


@linux_only
def test_demo_reset_reseeds(demo: DemoRuns) -> None:
    deleted = delete_newest_demo_model()
    known = ready_count()
    terminal = demo.start("--reset")
    demo.sandbox_child(terminal)
    root = demo_root_url(known)
    wait_for_table(terminal, SEED_MODELS)
    ids = [m["id"] for m in models(root)]
    assert len(ids) == SEED_MODELS
    assert deleted["id"] in ids
    wait_for(lambda: str(deleted["name"]) in terminal.text(), 30, "the restored model's name")
    terminal.send(b"\x11")
    assert terminal.proc.wait(30) == 0
