"""`make fuzz`: Schemathesis against a fresh sandbox on an ephemeral port.

Runs ``schemathesis run`` on the sandbox's own ``/openapi.json`` with the admin key (every
route open to it), the hooks of fuzz_hooks.py and the checks that are the bar: no 5xx, the
documented status codes, content types and response schemas. Control routes
(``/_sandbox/...``) are left out: fuzzing them would inject faults into the run itself.
Extra arguments go to schemathesis (``make fuzz FUZZ_ARGS="--max-examples 200"``); the exit
code is schemathesis'.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fuzz_hooks import store_completions  # beside this script, first on sys.path

from xerotui.launcher import SandboxProcess

HERE = Path(__file__).resolve().parent
FAST = ["--validation-seconds", "0.2", "--tokens-per-second", "100000", "--first-token-ms", "0"]
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    )
)


CONFIG = "[cache]\nenabled = false\n"  # no .schemathesis/ folder left in the work tree


def command(root_url: str, key: str, config: Path, extra: list[str]) -> list[str]:
    tool = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    return [
        tool, "--config-file", str(config), "run", f"{root_url}/openapi.json",
        "--header", f"Authorization: Bearer {key}",
        "--checks", CHECKS,
        "--exclude-path-regex", "^/_sandbox/",
        "--max-examples", "25",
        "--generation-database", "none",
        "--seed", "1",
        *extra,
    ]  # fmt: skip


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="xerotui-fuzz-") as tmp:
        db = Path(tmp) / "sandbox.db"
        config = Path(tmp) / "schemathesis.toml"
        config.write_text(CONFIG)
        with SandboxProcess(db, reset=True, extra_args=FAST) as info:
            completions = store_completions(info.root_url, info.admin_api_key)
            env = dict(os.environ, SCHEMATHESIS_HOOKS="fuzz_hooks")
            env["XEROTUI_FUZZ_COMPLETIONS"] = ",".join(completions)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
            print(f"fuzzing the sandbox at {info.root_url} (database {db})", flush=True)
            run = command(info.root_url, info.admin_api_key, config, argv)
            return subprocess.run(run, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
