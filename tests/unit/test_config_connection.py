"""resolve(): flag > env > profile for the profile name, the base URL and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from xerotui.config import paths
from xerotui.config.connection import Connection, ConnectionFlags, resolve
from xerotui.config.errors import ConfigError

FLAG_URL = "https://flag.example/proj_flag/v1"
ENV_URL = "https://env.example/proj_env/v1"
FLAG_KEY = "xero_proj_flag_flagsecret1111"
ENV_KEY = "xero_proj_env_envsecret2222"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def profiles() -> None:
    """xerotui: current `local`, also `other`; xeroctl: current `prod`."""
    write(
        paths.config_file(),
        'current_profile = "local"\n'
        "[profiles.local]\n"
        'base_url = "http://127.0.0.1:8000/proj_demo/v1"\n'
        'api_key = "xero_proj_demo_localsecret3333"\n'
        "[profiles.other]\n"
        'base_url = "https://other.example/proj_other/v1"\n'
        'api_key = "xero_proj_other_othersecret4444"\n',
    )
    write(
        paths.xeroctl_config_file(),
        'current = "prod"\n'
        "[deployment.prod]\n"
        'base_url = "https://api.xerotier.ai/acme/v1"\n'
        'api_key = "xero_acme_prodsecret5555"\n',
    )


def resolved(flags: ConnectionFlags | None = None) -> Connection:
    connection = resolve(flags)
    assert connection is not None
    return connection


def test_nothing_configured_is_none() -> None:
    assert resolve(ConnectionFlags()) is None
    assert resolve() is None


def test_current_profile(profiles: None) -> None:
    connection = resolved()
    assert connection.base_url == "http://127.0.0.1:8000/proj_demo/v1"
    assert connection.api_key == "xero_proj_demo_localsecret3333"
    assert connection.profile is not None
    assert connection.profile.name == "local"
    assert connection.describe() == "base URL from profile local, key from profile local"
    assert connection.root == "http://127.0.0.1:8000"
    assert connection.project == "proj_demo"
    assert "localsecret" not in connection.masked_key


def test_xeroctl_current_when_xerotui_has_none() -> None:
    write(
        paths.xeroctl_config_file(),
        'current = "prod"\n[deployment.prod]\nbase_url = "https://api.xerotier.ai/acme/v1"\n'
        'api_key = "xero_acme_k"\n[deployment.dev]\nbase_url = "https://d/x/v1"\napi_key = "k"\n',
    )
    connection = resolved()
    assert connection.project == "acme"
    assert connection.describe() == (
        "base URL from profile prod (xeroctl), key from profile prod (xeroctl)"
    )


# -- the profile name: flag > env > current ----------------------------------------------------


def test_profile_flag_beats_env_beats_current(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XEROTUI_PROFILE", "other")
    assert resolved().project == "proj_other"
    assert resolved(ConnectionFlags(profile="prod")).project == "acme"
    monkeypatch.delenv("XEROTUI_PROFILE")
    assert resolved().project == "proj_demo"


@pytest.mark.parametrize("via", ["flag", "env"])
def test_unknown_profile_lists_known_names(
    profiles: None, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    if via == "env":
        monkeypatch.setenv("XEROTUI_PROFILE", "nope")
    flags = ConnectionFlags(profile="nope" if via == "flag" else None)
    with pytest.raises(ConfigError) as info:
        resolve(flags)
    text = str(info.value)
    assert text.startswith("--profile: " if via == "flag" else "XEROTUI_PROFILE: ")
    assert "unknown profile 'nope'" in text
    assert "local, other, prod" in text


def test_unknown_profile_is_refused_even_with_a_full_override(profiles: None) -> None:
    with pytest.raises(ConfigError, match="unknown profile 'nope'"):
        resolve(ConnectionFlags(profile="nope", base_url=FLAG_URL, api_key=FLAG_KEY))


# -- base URL: flag > env > profile --------------------------------------------------------------


def test_base_url_flag_beats_env_beats_profile(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XEROTIER_BASE_URL", ENV_URL)
    connection = resolved(ConnectionFlags(base_url=FLAG_URL))
    assert (connection.base_url, connection.url_source) == (FLAG_URL, "--base-url")
    assert connection.api_key == "xero_proj_demo_localsecret3333"  # key still from the profile
    assert connection.describe() == "base URL from --base-url, key from profile local"

    connection = resolved()
    assert (connection.base_url, connection.url_source) == (ENV_URL, "XEROTIER_BASE_URL")

    monkeypatch.delenv("XEROTIER_BASE_URL")
    assert resolved().url_source == "profile local"


# -- API key: flag > env > profile ----------------------------------------------------------------


def test_api_key_flag_beats_env_beats_profile(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XEROTIER_API_KEY", ENV_KEY)
    connection = resolved(ConnectionFlags(api_key=FLAG_KEY, profile="other"))
    assert (connection.api_key, connection.key_source) == (FLAG_KEY, "--api-key")
    assert connection.base_url == "https://other.example/proj_other/v1"
    assert connection.describe() == "base URL from profile other, key from --api-key"

    connection = resolved()
    assert (connection.api_key, connection.key_source) == (ENV_KEY, "XEROTIER_API_KEY")
    assert connection.base_url == "http://127.0.0.1:8000/proj_demo/v1"

    monkeypatch.delenv("XEROTIER_API_KEY")
    assert resolved().api_key == "xero_proj_demo_localsecret3333"


# -- full overrides --------------------------------------------------------------------------------


def test_flags_alone_are_a_full_connection() -> None:
    connection = resolved(ConnectionFlags(base_url=FLAG_URL + "/", api_key=FLAG_KEY))
    assert connection == Connection(FLAG_URL, FLAG_KEY, "--base-url", "--api-key", None)
    assert connection.describe() == "base URL from --base-url, key from --api-key"


def test_env_alone_is_a_full_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XEROTIER_BASE_URL", ENV_URL)
    monkeypatch.setenv("XEROTIER_API_KEY", ENV_KEY)
    connection = resolved()
    assert (connection.base_url, connection.api_key) == (ENV_URL, ENV_KEY)
    assert connection.describe() == "base URL from XEROTIER_BASE_URL, key from XEROTIER_API_KEY"


def test_flag_and_env_mix_into_a_full_connection(
    profiles: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XEROTIER_API_KEY", ENV_KEY)
    connection = resolved(ConnectionFlags(base_url=FLAG_URL))
    assert (connection.base_url, connection.api_key) == (FLAG_URL, ENV_KEY)
    assert connection.profile is None


def test_full_override_does_not_read_the_config_files() -> None:
    write(paths.config_file(), "this is not toml")
    write(paths.xeroctl_config_file(), "nor is this")
    connection = resolved(ConnectionFlags(base_url=FLAG_URL, api_key=FLAG_KEY))
    assert connection.base_url == FLAG_URL
    with pytest.raises(ConfigError):
        resolve(ConnectionFlags(base_url=FLAG_URL))


def test_blank_values_count_as_unset(profiles: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XEROTIER_BASE_URL", "  ")
    monkeypatch.setenv("XEROTUI_PROFILE", "")
    assert resolved(ConnectionFlags(api_key="")).describe() == (
        "base URL from profile local, key from profile local"
    )


# -- incomplete or wrong ---------------------------------------------------------------------------


def test_key_without_any_url_says_what_to_add(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XEROTIER_API_KEY", ENV_KEY)
    with pytest.raises(
        ConfigError, match="XEROTIER_API_KEY gives an API key but there is no base URL"
    ):
        resolve()


def test_url_without_any_key_says_what_to_add() -> None:
    with pytest.raises(ConfigError, match="--base-url gives a base URL but there is no API key"):
        resolve(ConnectionFlags(base_url=FLAG_URL))


def test_bad_base_url_names_where_it_came_from(profiles: None) -> None:
    with pytest.raises(ConfigError, match=r"^--base-url: base URL must look like"):
        resolve(ConnectionFlags(base_url="https://flag.example/v1"))


def test_the_only_profile_is_used_without_a_current_one() -> None:
    write(paths.config_file(), '[profiles.solo]\nbase_url = "https://h/p/v1"\napi_key = "k"\n')
    assert resolved().url_source == "profile solo"


def test_several_profiles_and_no_current_one_asks_to_choose() -> None:
    write(
        paths.config_file(),
        '[profiles.a]\nbase_url = "https://h/p/v1"\napi_key = "k"\n'
        '[profiles.b]\nbase_url = "https://h/q/v1"\napi_key = "k"\n',
    )
    with pytest.raises(
        ConfigError, match=r"no current profile: choose one .*\(known profiles: a, b\)"
    ):
        resolve()
    assert resolved(ConnectionFlags(profile="b")).project == "q"


def test_current_profile_that_does_not_exist(profiles: None) -> None:
    text = paths.config_file().read_text(encoding="utf-8")
    write(paths.config_file(), text.replace('"local"', '"gone"', 1))
    with pytest.raises(ConfigError, match="current_profile = 'gone' names no profile") as info:
        resolve()
    assert (info.value.path, info.value.line) == (paths.config_file(), 1)
