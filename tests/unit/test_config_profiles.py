"""Profiles: xeroctl's config.toml, xerotui's own profiles, and writing only our own file."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from xerotui.api.urls import split_base_url
from xerotui.config import paths
from xerotui.config.errors import ConfigError
from xerotui.config.profiles import Profile, ProfileStore
from xerotui.config.settings import Settings, load_settings, save_settings

XEROCTL = """\
current = "prod"
output = "table"

[deployment.prod]
base_url = "https://api.xerotier.ai/acme-prod/v1"
api_key = "xero_acme-prod_AbC123secretXyZ9"
output = "json"
frontend_url = "https://app.xerotier.ai"

[deployment.staging]
base_url = "https://staging.example/acme-stg/v1/"
api_key_keychain = "xeroctl-staging"
"""

OWN = """\
current_profile = "local"

[profiles.local]
base_url = "http://127.0.0.1:8000/proj_demo/v1"
api_key = "xero_proj_demo_localsecret1234"

[profiles.prod]
base_url = "https://eu.example/acme-prod/v1"
api_key = "xero_acme-prod_OwnSecret5678"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def xeroctl(text: str = XEROCTL) -> Path:
    return write(paths.xeroctl_config_file(), text)


def own(text: str = OWN) -> Path:
    return write(paths.config_file(), text)


def deployment(body: str, name: str = "broken") -> str:
    """A valid deployment `ok`, then `[deployment.NAME]` (line 6) with `body`."""
    head = 'current = "ok"\n[deployment.ok]\nbase_url = "https://h/p/v1"\napi_key = "k"\n\n'
    return f"{head}[deployment.{name}]\n{body}"


# -- base URL shape ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "root", "project"),
    [
        ("https://api.xerotier.ai/proj_ABC123/v1", "https://api.xerotier.ai", "proj_ABC123"),
        ("http://127.0.0.1:8000/proj_demo/v1/", "http://127.0.0.1:8000", "proj_demo"),
        ("https://gw.example/xerotier/ws_8f2c/v1", "https://gw.example/xerotier", "ws_8f2c"),
    ],
)
def test_split_base_url(url: str, root: str, project: str) -> None:
    assert split_base_url(url) == (root, project)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.xerotier.ai/v1",
        "https://api.xerotier.ai/proj/v2",
        "https://api.xerotier.ai/proj/my-endpoint/v1/chat",
        "ftp://api.xerotier.ai/proj/v1",
        "api.xerotier.ai/proj/v1",
        "https:///proj/v1",
        "https://api.xerotier.ai/proj/v1?x=1",
        "",
    ],
)
def test_split_base_url_refuses_other_shapes(url: str) -> None:
    with pytest.raises(
        ValueError, match=r"base URL must look like https://api.xerotier.ai/proj_ABC123/v1"
    ):
        split_base_url(url)


def test_profile_properties() -> None:
    profile = Profile("p", "https://api.xerotier.ai/proj_ABC/v1", "xero_proj_ABC_supersecret9876")
    assert profile.root == "https://api.xerotier.ai"
    assert profile.project == "proj_ABC"
    assert profile.masked_key.startswith("xero_proj_ABC_")
    assert "supersecret" not in profile.masked_key
    assert profile.key_origin == "inline"
    in_keychain = Profile("q", "https://h/p/v1", None, "entry", "xeroctl")
    assert in_keychain.masked_key == "(keychain entry entry)"
    assert in_keychain.key_origin == "keychain"
    with pytest.raises(ValueError, match="base URL must look like"):
        _ = Profile("bad", "https://h/v1").project


# -- xeroctl's config ------------------------------------------------------------------------


def test_reads_xeroctl_deployments() -> None:
    xeroctl()
    store = ProfileStore()
    assert store.current_name() == "prod"
    assert store.names() == ["prod", "staging"]
    prod = store.get("prod")
    assert prod == Profile(
        "prod",
        "https://api.xerotier.ai/acme-prod/v1",
        "xero_acme-prod_AbC123secretXyZ9",
        None,
        "xeroctl",
    )
    staging = store.get("staging")
    assert staging.api_key is None  # read lazily, only when used
    assert staging.api_key_keychain == "xeroctl-staging"
    assert staging.base_url == "https://staging.example/acme-stg/v1"
    assert staging.project == "acme-stg"
    assert store.current() == prod


@pytest.mark.parametrize(
    "body",
    [
        'base_url = "https://h/p/v1"\napi_key = "k"\napi_key_keychain = "e"\n',
        'base_url = "https://h/p/v1"\noutput = "json"\n',
    ],
    ids=["both", "neither"],
)
def test_deployment_needs_exactly_one_key(body: str) -> None:
    path = xeroctl(deployment(body))
    with pytest.raises(ConfigError) as info:
        ProfileStore().profiles()
    assert "deployment 'broken'" in info.value.message
    assert "exactly one of api_key or api_key_keychain" in info.value.message
    assert (info.value.path, info.value.line) == (path, 6)
    assert str(info.value).startswith("~/.config/xeroctl/config.toml, line 6: deployment 'broken'")


def test_deployment_without_base_url_or_with_a_bad_one() -> None:
    xeroctl(deployment('api_key = "k"\n'))
    with pytest.raises(ConfigError, match="deployment 'broken' has no base_url"):
        ProfileStore().profiles()
    xeroctl(deployment('base_url = "https://h/v1"\napi_key = "k"\n'))
    with pytest.raises(ConfigError, match="deployment 'broken': base URL must look like"):
        ProfileStore().profiles()


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        (deployment("base_url = 5\napi_key = 'k'\n"), "deployment.broken.base_url", 7),
        (deployment("base_url = 'https://h/p/v1'\napi_key = 42\n"), "deployment.broken.api_key", 8),
        (
            deployment("base_url = 'https://h/p/v1'\napi_key_keychain = ''\n"),
            "deployment.broken.api_key_keychain",
            8,
        ),
        ("current = 3\n", "current", 1),
        ("deployment = 'x'\n", "deployment", 1),
        ("[deployment]\nbroken = 1\n", "deployment.broken", 2),
    ],
)
def test_wrong_types_in_xeroctl_config_name_the_key(text: str, key: str, line: int) -> None:
    path = xeroctl(text)
    with pytest.raises(ConfigError) as info:
        ProfileStore().profiles()
    assert f"'{key}' must be" in info.value.message
    assert (info.value.path, info.value.line) == (path, line)


def test_malformed_xeroctl_config_names_file_and_line() -> None:
    path = xeroctl('current = "prod"\n[deployment.prod\nbase_url = "x"\n')
    with pytest.raises(ConfigError) as info:
        ProfileStore().current_name()
    assert (info.value.path, info.value.line) == (path, 2)
    assert str(info.value).startswith("~/.config/xeroctl/config.toml, line 2: ")


# -- xerotui's own profiles ---------------------------------------------------------------------


def test_reads_own_profiles_and_own_wins_a_clash() -> None:
    xeroctl()
    own()
    store = ProfileStore()
    assert store.current_name() == "local"
    assert store.names() == ["local", "prod", "xeroctl:prod", "staging"]
    assert store.get("prod").source == "xerotui"
    assert store.get("prod").base_url == "https://eu.example/acme-prod/v1"
    shadowed = store.get("xeroctl:prod")
    assert (shadowed.name, shadowed.source) == ("xeroctl:prod", "xeroctl")
    assert shadowed.base_url == "https://api.xerotier.ai/acme-prod/v1"
    assert store.get("xeroctl:staging").name == "staging"  # the prefix also works without clash
    assert [p.source for p in store.profiles()] == ["xerotui", "xerotui", "xeroctl", "xeroctl"]


def test_xeroctl_current_is_used_when_xerotui_has_none() -> None:
    xeroctl()
    own(OWN.replace('current_profile = "local"\n', ""))
    store = ProfileStore()
    assert store.current_name() == "xeroctl:prod"  # xeroctl's prod, not our prod of the same name
    current = store.current()
    assert current is not None
    assert current.source == "xeroctl"


def test_own_current_does_not_read_xeroctl_config() -> None:
    xeroctl("this is not toml")
    own()
    store = ProfileStore()
    current = store.current()
    assert current is not None
    assert current.name == "local"


def test_own_profile_errors_name_the_profile() -> None:
    path = own('[profiles.dev]\nbase_url = "https://h/p/v1"\n')
    with pytest.raises(ConfigError, match="profile 'dev' needs exactly one of") as info:
        ProfileStore().profiles()
    assert (info.value.path, info.value.line) == (path, 1)
    own("current_profile = false\n")
    with pytest.raises(ConfigError, match="'current_profile' must be a string"):
        ProfileStore().current_name()


def test_malformed_own_config_names_file_and_line() -> None:
    path = own('current_profile = "local"\n\n[profiles.local]\nbase_url "x"\n')
    with pytest.raises(ConfigError) as info:
        ProfileStore().profiles()
    assert (info.value.path, info.value.line) == (path, 4)


def test_unknown_profile_lists_the_known_names() -> None:
    xeroctl()
    own()
    with pytest.raises(ConfigError) as info:
        ProfileStore().get("nope")
    assert "unknown profile 'nope'" in str(info.value)
    assert "local, prod, xeroctl:prod, staging" in str(info.value)


def test_current_naming_a_missing_profile_points_to_the_line() -> None:
    path = own(
        '\ncurrent_profile = "gone"\n[profiles.a]\nbase_url = "https://h/p/v1"\napi_key = "k"\n'
    )
    with pytest.raises(ConfigError, match="current_profile = 'gone' names no profile") as info:
        ProfileStore().current()
    assert (info.value.path, info.value.line) == (path, 2)
    assert "known profiles: a" in info.value.message


def test_nothing_configured() -> None:
    store = ProfileStore()
    assert store.profiles() == []
    assert store.current_name() is None
    assert store.current() is None


# -- writing ------------------------------------------------------------------------------------


def test_save_profile_is_private_round_trips_and_keeps_settings() -> None:
    save_settings(Settings(theme="nord", keymap={"models.filter": "f"}))
    xeroctl_path = xeroctl()
    before = xeroctl_path.read_bytes()
    store = ProfileStore()
    saved = store.save_profile("local", " http://127.0.0.1:8000/proj_demo/v1/ ", "xero_proj_demo_k")
    path = paths.config_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert saved == Profile("local", "http://127.0.0.1:8000/proj_demo/v1", "xero_proj_demo_k")
    fresh = ProfileStore()
    assert fresh.get("local") == saved
    assert fresh.current_name() == "local"
    assert store.current_name() == "local"  # the store that wrote sees it too
    assert load_settings() == Settings(theme="nord", keymap={"models.filter": "f"})
    assert xeroctl_path.read_bytes() == before


def test_save_profile_replaces_a_keychain_profile_and_can_leave_current() -> None:
    own(
        'current_profile = "a"\n[profiles.a]\nbase_url = "https://h/p/v1"\napi_key = "k"\n'
        '[profiles.b]\nbase_url = "https://h/p/v1"\napi_key_keychain = "e"\n'
    )
    store = ProfileStore()
    store.save_profile("b", "https://h/q/v1", "k2", make_current=False)
    document = tomllib.loads(paths.config_file().read_text(encoding="utf-8"))
    assert document["current_profile"] == "a"
    assert document["profiles"]["b"] == {"base_url": "https://h/q/v1", "api_key": "k2"}


@pytest.mark.parametrize(
    ("name", "url", "key", "match"),
    [
        ("", "https://h/p/v1", "k", "name"),
        ("xeroctl:x", "https://h/p/v1", "k", "name"),
        ("a", "https://h/v1", "k", "base URL"),
        ("a", "https://h/p/v1", "", "API key"),
        ("a", "https://h/p/v1", "two words", "API key"),
    ],
)
def test_save_profile_refuses_bad_input(name: str, url: str, key: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ProfileStore().save_profile(name, url, key)
    assert not paths.config_file().exists()


def test_save_profile_refuses_to_rewrite_a_broken_file() -> None:
    path = own("profiles = 3\n")
    with pytest.raises(ConfigError, match="'profiles' must be"):
        ProfileStore().save_profile("a", "https://h/p/v1", "k")
    assert path.read_text(encoding="utf-8") == "profiles = 3\n"


def test_set_current_writes_only_our_file() -> None:
    xeroctl_path = xeroctl()
    before = xeroctl_path.read_bytes()
    store = ProfileStore()
    store.set_current("staging")
    assert store.current_name() == "staging"
    assert ProfileStore().current_name() == "staging"
    assert xeroctl_path.read_bytes() == before
    assert stat.S_IMODE(paths.config_file().stat().st_mode) == 0o600
    with pytest.raises(ConfigError, match="unknown profile 'nope'"):
        store.set_current("nope")


def test_remove_profile() -> None:
    xeroctl()
    own()
    save_settings(Settings(page_size=10))
    store = ProfileStore()
    store.remove_profile("local")
    assert "local" not in store.names()
    assert store.current_name() == "xeroctl:prod"  # falls back to xeroctl's current
    assert load_settings().page_size == 10
    with pytest.raises(ValueError, match="xeroctl"):
        store.remove_profile("staging")
    with pytest.raises(ConfigError, match="unknown profile 'nope'"):
        store.remove_profile("nope")
    store.remove_profile("prod")
    document = tomllib.loads(paths.config_file().read_text(encoding="utf-8"))
    assert "profiles" not in document
    assert "current_profile" not in document
    assert store.names() == ["prod", "staging"]
