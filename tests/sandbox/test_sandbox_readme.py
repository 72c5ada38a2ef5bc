"""The README's curl examples work as printed (against a sandbox, with its port)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from xerotui.launcher import SandboxInfo

README = Path(__file__).resolve().parents[2] / "README.md"
PRINTED = "127.0.0.1:8000"


def readme_curl_commands() -> list[str]:
    section = README.read_text().split("## The sandbox", 1)[1].split("\n## ", 1)[0]
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for chunk in re.split(r"\n(?=curl )", block.strip()):
            command = chunk.strip()
            if command.startswith("curl"):
                commands.append(command)
    return commands


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_readme_curl_examples_work_as_printed(sandbox: SandboxInfo) -> None:
    commands = readme_curl_commands()
    assert len(commands) >= 10
    here = urlsplit(sandbox.root_url).netloc
    for command in commands:
        assert PRINTED in command, command
        done = subprocess.run(
            ["bash", "-c", command.replace(PRINTED, here)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0, (command, done.stderr)
        out = done.stdout
        if '"stream": true' in command:
            assert out.rstrip().endswith("data: [DONE]"), out[-200:]
            assert '"usage"' in out
            continue
        body = json.loads(out) if out.strip() else {}
        if '"quantization": "fp4"' in command:
            assert body["error"]["code"] == "invalid_quantization"
            assert body["error"]["message"] == "Invalid quantization method: fp4"
        elif "sandbox-other-key" in command:
            assert body["error"]["code"] == "project_mismatch"
        else:
            assert "error" not in body, (command, body)
