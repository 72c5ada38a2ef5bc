"""The sandbox as a program: ready line, banner, persistence, --reset, --seed-models, errors,
signals and the parent watch. Each test starts its own child on a temporary database."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sandbox_helpers import LLAMA, client, wait_terminal

from xerotui.launcher import SandboxProcess

FAST = ["--validation-seconds", "0.3", "--tokens-per-second", "2000", "--first-token-ms", "5"]
SANDBOX = [sys.executable, "-m", "xerotui", "sandbox"]


def read_line(proc: subprocess.Popen[str]) -> str:
    """One stdout line of the child (pytest-timeout guards against a hang)."""
    assert proc.stdout is not None
    return proc.stdout.readline()


def test_ready_json_is_the_only_stdout_line(tmp_path: Path) -> None:
    cmd = [*SANDBOX, "--port", "0", "--ready-json", "--db", str(tmp_path / "s.db"), *FAST]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        info = json.loads(read_line(proc))
        assert set(info) == {"base_url", "api_key", "admin_api_key", "other_api_key", "endpoints"}
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/proj_demo/v1", info["base_url"])
        assert set(info["endpoints"]) == {"llama-chat", "qwen-coder", "deepseek-r1", "mixtral-moe"}
        assert info["endpoints"]["llama-chat"] == LLAMA
        root = info["base_url"].rsplit("/proj_demo", 1)[0]
        # provoke logging: errors, a revalidation, a dropped connection
        with client(info["base_url"], info["api_key"]) as api:
            assert api.get("/models/nope").status_code == 404
            api.post(f"/models/{LLAMA}/revalidate").raise_for_status()
            assert wait_terminal(api, LLAMA) == "ready"
            httpx.post(f"{root}/_sandbox/faults", json={"drop_next": 1}).raise_for_status()
            with pytest.raises(httpx.RemoteProtocolError):
                api.get("/models")
    finally:
        proc.send_signal(signal.SIGTERM)
        remaining, _ = proc.communicate(timeout=15)
    assert remaining == ""
    assert proc.returncode == 0  # SIGTERM is a clean shutdown


def test_banner_prints_keys_and_working_curl_examples(tmp_path: Path) -> None:
    cmd = [*SANDBOX, "--port", "0", "--db", str(tmp_path / "s.db"), *FAST]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    try:
        while not lines or not lines[-1].startswith("Press Ctrl+C"):
            line = read_line(proc)
            assert line, "the sandbox exited before printing its banner"
            lines.append(line.rstrip("\n"))
        text = "\n".join(lines)
        assert "xero_proj_demo_sandbox-member-key" in text
        assert "xero_proj_demo_sandbox-admin-key" in text
        assert "llama-chat" in text
        commands = re.findall(r"^  (curl .*?)(?:\n\n|\nPress)", text, re.S | re.M)
        assert len(commands) == 3
        if shutil.which("curl") and shutil.which("bash"):
            listing = subprocess.run(
                ["bash", "-c", commands[0]], capture_output=True, text=True, timeout=20
            )
            assert len(json.loads(listing.stdout)["data"]) == 5
            chat = subprocess.run(
                ["bash", "-c", commands[1]], capture_output=True, text=True, timeout=20
            )
            assert json.loads(chat.stdout)["object"] == "chat.completion"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=15)
    assert proc.returncode == 0


def test_data_persists_across_restarts_and_reset_reseeds(tmp_path: Path) -> None:
    db = tmp_path / "persist.db"
    with SandboxProcess(db, extra_args=FAST) as info, client(info.base_url, info.api_key) as api:
        api.patch(
            f"/models/{LLAMA}", json={"description": "kept across restarts"}
        ).raise_for_status()
        api.post(f"/models/{LLAMA}/versions", json={"version": "9.0.0"}).raise_for_status()
        httpx.post(f"{info.root_url}/_sandbox/settings", json={"validation_seconds": 1.0})
        api.post(f"/models/{LLAMA}/revalidate").raise_for_status()
    # stopped while the job was pending: it resumes after the restart
    with SandboxProcess(db, extra_args=FAST) as info, client(info.base_url, info.api_key) as api:
        model = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
        assert model["description"] == "kept across restarts"
        assert "9.0.0" in [
            v["version"] for v in api.get(f"/models/{LLAMA}/versions").json()["data"]
        ]
        assert wait_terminal(api, LLAMA) == "ready"
    with (
        SandboxProcess(db, reset=True, extra_args=FAST) as info,
        client(info.base_url, info.api_key) as api,
    ):
        model = api.get(f"/models/{LLAMA}", params={"extended": "true"}).json()
        assert model["description"] != "kept across restarts"
        versions = [v["version"] for v in api.get(f"/models/{LLAMA}/versions").json()["data"]]
        assert "9.0.0" not in versions


def test_seed_models_and_the_limit_ceiling(tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    args = [*FAST, "--seed-models", "150"]
    with SandboxProcess(db, extra_args=args) as info, client(info.base_url, info.api_key) as api:
        body = api.get("/models", params={"limit": 500, "extended": "true"}).json()
        assert len(body["data"]) == 100
        assert body["total"] == 193
        assert body["has_more"] is True
        assert len(api.get("/models").json()["data"]) == 100  # default limit is 100
        tail = api.get("/models", params={"offset": 150, "limit": 100, "extended": "true"}).json()
        assert (len(tail["data"]), tail["has_more"]) == (43, False)
        names = {m["name"] for m in body["data"]}
        assert any(re.search(r"-ft-\d{5}$", n) for n in names)
    # restarting with the same N does not duplicate
    with SandboxProcess(db, extra_args=args) as info, client(info.base_url, info.api_key) as api:
        assert api.get("/models", params={"extended": "true"}).json()["total"] == 193


def test_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [*SANDBOX, "--port", str(port), "--db", str(tmp_path / "s.db")],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "address already in use" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--faults", "bogus=1"], ["--error-rate", "3"],
                                  ["--tokens-per-second", "0"], ["--tokens-per-second", "1e-300"],
                                  ["--first-token-ms", "1e12"], ["--validation-seconds", "nan"],
                                  ["--faults", "latency_ms=999999999"]])  # fmt: skip
def test_bad_arguments_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = subprocess.run(
        [*SANDBOX, "--port", "0", "--db", str(tmp_path / "s.db"), *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_startup_faults_from_flags(tmp_path: Path) -> None:
    args = [*FAST, "--faults", "fail_next=1,error_status=503", "--probe-disabled"]
    with SandboxProcess(tmp_path / "f.db", extra_args=args) as info:
        settings = httpx.get(f"{info.root_url}/_sandbox/faults").json()
        assert (settings["fail_next"], settings["error_status"]) == (1, 503)
        assert settings["probe_disabled"] is True
        with client(info.base_url, info.api_key) as api:
            assert api.get("/models").status_code == 503
            assert api.get(f"/models/{LLAMA}/probe").status_code == 501


def test_exits_when_the_parent_pid_is_gone(tmp_path: Path) -> None:
    sleeper = subprocess.Popen(["sleep", "60"])
    cmd = [*SANDBOX, "--port", "0", "--ready-json", "--db", str(tmp_path / "s.db"),
           "--parent-pid", str(sleeper.pid)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert json.loads(read_line(proc))["base_url"]
        assert proc.poll() is None
        sleeper.kill()
        sleeper.wait()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
        if sleeper.poll() is None:
            sleeper.kill()
    assert proc.returncode == 0
