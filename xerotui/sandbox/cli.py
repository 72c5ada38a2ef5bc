"""`xerotui sandbox ...`: run the local Xerotier emulator. ``main(argv) -> exit code``."""

from __future__ import annotations

import argparse
import errno
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any

from xerotui.config.paths import data_dir
from xerotui.sandbox.faults import FaultConfig, FaultError, Faults, parse_fault_spec
from xerotui.sandbox.timings import Timings, check_timing

EXIT_USAGE = 2


def non_negative(kind: type[int] | type[float]) -> Any:
    def convert(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"must not be negative: {text}")
        return value

    return convert


def timing_type(name: str) -> Any:
    """An argparse type for one of the timings, checked against its range."""

    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text}") from None
        problem = check_timing(name, value)
        if problem is not None:
            raise argparse.ArgumentTypeError(problem)
        return value

    return convert


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xerotui sandbox",
        description="A local emulator of the Xerotier Model Management and chat API "
        "(real HTTP, SQLite persistence, fault injection).",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one (8000)")
    p.add_argument("--db", type=Path, help="SQLite file (default: <data dir>/sandbox.db)")
    p.add_argument("--reset", action="store_true", help="replace all data with the demo seed")
    p.add_argument(
        "--seed-models",
        type=non_negative(int),
        default=0,
        metavar="N",
        help="make sure N synthetic models exist (scale tests use 10000)",
    )
    timing = p.add_argument_group("timings")
    timing.add_argument(
        "--validation-seconds",
        type=timing_type("validation_seconds"),
        default=3.0,
        help="how long a revalidation takes (3.0)",
    )
    timing.add_argument(
        "--tokens-per-second",
        type=timing_type("tokens_per_second"),
        default=60.0,
        help="chat token rate (60)",
    )
    timing.add_argument(
        "--first-token-ms",
        type=timing_type("first_token_ms"),
        default=400.0,
        help="time to first token in ms (400)",
    )
    faults = p.add_argument_group("faults")
    faults.add_argument("--latency-ms", type=non_negative(int), help="added latency per request")
    faults.add_argument("--error-rate", type=float, help="fraction of requests that fail (0-1)")
    faults.add_argument("--error-status", type=int, help="status of injected errors (500)")
    faults.add_argument("--drop-rate", type=float, help="fraction of connections dropped (0-1)")
    faults.add_argument(
        "--stream-cut-after",
        type=non_negative(int),
        metavar="N",
        help="cut every stream after N tokens with an in-band error",
    )
    faults.add_argument(
        "--rate-limit",
        type=non_negative(int),
        metavar="RPM",
        help="enforce RPM requests per minute per key (429 + Retry-After)",
    )
    faults.add_argument("--probe-disabled", action="store_true", help="probe answers 501")
    faults.add_argument(
        "--faults",
        default="",
        metavar="SPEC",
        help='fault settings as "key=value,...", e.g. "latency_ms=200,error_rate=0.1"',
    )
    p.add_argument(
        "--ready-json",
        action="store_true",
        help="print exactly one JSON line on stdout when ready, and nothing else",
    )
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    p.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
    return p


def fault_config(args: argparse.Namespace) -> FaultConfig:
    settings = parse_fault_spec(args.faults)
    flags = {
        "latency_ms": args.latency_ms,
        "error_rate": args.error_rate,
        "error_status": args.error_status,
        "drop_rate": args.drop_rate,
        "stream_cut_after": args.stream_cut_after,
        "rate_limit": args.rate_limit,
        "probe_disabled": True if args.probe_disabled else None,
    }
    settings.update({key: value for key, value in flags.items() if value is not None})
    faults = Faults()
    faults.merge(settings)
    return faults.config


def setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("uvicorn").setLevel(logging.INFO if verbose else logging.WARNING)


def describe_os_error(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"cannot listen on {host}:{port}: address already in use (try --port 0)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}:{port}: address not available"
    if exc.errno == errno.EACCES:
        return f"cannot listen on {host}:{port}: permission denied"
    return f"{exc.strerror or exc}"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        faults = fault_config(args)
    except FaultError as exc:
        parser.error(str(exc))
    setup_logging(args.verbose)

    from xerotui.sandbox.server import SandboxServer, ServerOptions

    options = ServerOptions(
        db=args.db or data_dir() / "sandbox.db",
        host=args.host,
        port=args.port,
        reset=args.reset,
        seed_models=args.seed_models,
        timings=Timings(args.validation_seconds, args.tokens_per_second, args.first_token_ms),
        faults=faults,
        ready_json=args.ready_json,
        parent_pid=args.parent_pid,
        verbose=args.verbose,
    )
    try:
        return SandboxServer(options).run()
    except OSError as exc:
        sys.stderr.write(f"xerotui sandbox: {describe_os_error(exc, args.host, args.port)}\n")
        return EXIT_USAGE
    except sqlite3.Error as exc:
        sys.stderr.write(f"xerotui sandbox: cannot use database {options.db}: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0
