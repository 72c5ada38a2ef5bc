"""Keychain keys: the lookup convention, lazy reads, and failures that become KeychainError.

The real keychain is never touched: conftest selects keyring's fail backend, and tests that
need stored keys install an in-memory backend and restore the previous one afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest

from xerotui.config import keychain, paths
from xerotui.config.connection import ConnectionFlags, resolve
from xerotui.config.errors import ConfigError, KeychainError
from xerotui.config.profiles import ProfileStore


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend in a dict, counting reads."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}
        self.reads: list[tuple[str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.reads.append((service, username))
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


class BrokenKeyring(MemoryKeyring):
    """A backend that fails the way a locked or misbehaving keychain does."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def xeroctl_file() -> Path:
    path = paths.xeroctl_config_file()
    path.parent.mkdir(parents=True)
    path.write_text(
        'current = "staging"\n'
        "[deployment.staging]\n"
        'base_url = "https://staging.example/acme-stg/v1"\n'
        'api_key_keychain = "xeroctl-staging"\n'
        "[deployment.prod]\n"
        'base_url = "https://api.xerotier.ai/acme/v1"\n'
        'api_key = "xero_acme_inlinekey1234"\n',
        encoding="utf-8",
    )
    return path


def test_lookup_order_is_documented() -> None:
    assert keychain.lookups("e") == [("e", "api_key"), ("e", "e"), ("xeroctl", "e")]
    assert "api_key" in (keychain.__doc__ or "")


@pytest.mark.parametrize(
    ("service", "username"),
    [
        ("xeroctl-staging", "api_key"),
        ("xeroctl-staging", "xeroctl-staging"),
        ("xeroctl", "xeroctl-staging"),
    ],
)
def test_each_lookup_form_is_found(
    memory_keyring: MemoryKeyring, service: str, username: str
) -> None:
    memory_keyring.set_password(service, username, "xero_acme-stg_fromkeychain\n")
    assert keychain.read_api_key("staging", "xeroctl-staging") == "xero_acme-stg_fromkeychain"


def test_first_form_wins(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("xeroctl", "e", "third")
    memory_keyring.set_password("e", "api_key", "first")
    assert keychain.read_api_key("p", "e") == "first"


def test_missing_entry(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(KeychainError, match="no such entry") as info:
        keychain.read_api_key("staging", "xeroctl-staging")
    assert info.value.reason == "the keychain has no such entry"
    assert len(memory_keyring.reads) == 3


def test_no_keychain_on_this_system_is_a_helpful_error(xeroctl_file: Path) -> None:
    """conftest's fail backend: what a headless Linux box without Secret Service gives."""
    with pytest.raises(KeychainError) as info:
        resolve(ConnectionFlags())
    error = info.value
    text = str(error)
    assert isinstance(error, ConfigError)
    assert error.profile == "staging"
    assert error.entry == "xeroctl-staging"
    assert "no keychain is available on this system" in text
    assert "XEROTIER_API_KEY" in text
    assert "--api-key" in text
    assert 'api_key = "..."' in text
    assert "Traceback" not in text
    assert "\n" not in text
    assert error.__suppress_context__


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (keyring.errors.KeyringLocked("the collection is locked"), "the collection is locked"),
        (keyring.errors.InitError("dbus went away"), "dbus went away"),
        (RuntimeError("backend exploded\nwith details"), "backend exploded"),
        (OSError(), "OSError"),
    ],
)
def test_any_backend_failure_is_a_keychain_error(error: Exception, reason: str) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring(error))
    try:
        with pytest.raises(KeychainError) as info:
            keychain.read_api_key("staging", "xeroctl-staging")
    finally:
        keyring.set_keyring(previous)
    assert info.value.reason == f"the keychain refused ({reason})"
    assert "\n" not in str(info.value)


def test_keys_are_read_only_for_the_profile_used(
    memory_keyring: MemoryKeyring, xeroctl_file: Path
) -> None:
    memory_keyring.set_password("xeroctl-staging", "api_key", "xero_acme-stg_secret99")
    store = ProfileStore()
    assert [p.api_key for p in store.profiles()] == [None, "xero_acme_inlinekey1234"]
    store.get("staging")
    assert memory_keyring.reads == []

    connection = resolve(ConnectionFlags(profile="prod"), store=store)
    assert connection is not None
    assert memory_keyring.reads == []

    connection = resolve(ConnectionFlags(), store=store)
    assert connection is not None
    assert connection.api_key == "xero_acme-stg_secret99"
    assert connection.describe() == (
        "base URL from profile staging (xeroctl), key from profile staging (xeroctl, keychain)"
    )
    assert memory_keyring.reads == [("xeroctl-staging", "api_key")]


def test_a_key_override_skips_the_keychain(xeroctl_file: Path) -> None:
    """The fail backend would raise: an --api-key means the keychain is not asked at all."""
    connection = resolve(ConnectionFlags(api_key="xero_acme-stg_flagkey"))
    assert connection is not None
    assert connection.api_key == "xero_acme-stg_flagkey"
    assert connection.base_url == "https://staging.example/acme-stg/v1"
    assert connection.describe() == "base URL from profile staging (xeroctl), key from --api-key"


def test_own_profile_with_a_keychain_entry(memory_keyring: MemoryKeyring) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True)
    path.write_text(
        '[profiles.work]\nbase_url = "https://h/p/v1"\napi_key_keychain = "work-key"\n',
        encoding="utf-8",
    )
    memory_keyring.set_password("work-key", "api_key", "xero_p_workkey")
    connection = resolve(ConnectionFlags())
    assert connection is not None
    assert connection.api_key == "xero_p_workkey"
    assert connection.key_source == "profile work (keychain)"
