"""Settings: defaults, round trip, type errors naming the key, and profiles left intact."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from xerotui.config import paths
from xerotui.config.errors import ConfigError
from xerotui.config.profiles import ProfileStore
from xerotui.config.settings import Settings, load_settings, save_settings, update_settings


def write_config(text: str) -> Path:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def raw_config() -> dict[str, object]:
    return tomllib.loads(paths.config_file().read_text(encoding="utf-8"))


def test_defaults_without_a_file() -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.theme == "xerotier-dark"
    assert settings.keymap == {}
    assert settings.refresh_interval == 30.0
    assert settings.wide_columns is False
    assert settings.page_size == 100
    assert not paths.config_file().exists()


def test_reads_the_settings_table() -> None:
    write_config(
        "[settings]\n"
        'theme = "textual-light"\n'
        "refresh_interval = 0\n"
        "page_size = 25\n"
        "wide_columns = true\n"
        "[settings.keymap]\n"
        '"models.filter" = "f"\n'
    )
    settings = load_settings()
    assert settings.theme == "textual-light"
    assert settings.refresh_interval == 0.0
    assert settings.page_size == 25
    assert settings.wide_columns is True
    assert settings.keymap == {"models.filter": "f"}


def test_round_trip_writes_only_what_differs() -> None:
    settings = Settings(keymap={"models.filter": "f", "chat.send": "ctrl+j"}, page_size=50)
    save_settings(settings)
    assert load_settings() == settings
    assert raw_config() == {
        "settings": {"keymap": {"models.filter": "f", "chat.send": "ctrl+j"}, "page_size": 50}
    }
    text = paths.config_file().read_text(encoding="utf-8")
    assert "[settings.keymap]" in text
    assert "theme" not in text


def test_saving_defaults_removes_the_table() -> None:
    save_settings(Settings(page_size=10))
    save_settings(Settings())
    assert "settings" not in raw_config()
    assert load_settings() == Settings()


def test_saving_settings_keeps_profiles_and_unknown_keys() -> None:
    ProfileStore().save_profile("local", "http://127.0.0.1:8000/proj_demo/v1", "xero_proj_demo_k1")
    document = raw_config()
    write_config(
        paths.config_file().read_text(encoding="utf-8") + '\n[settings]\nfuture_option = "x"\n'
    )
    save_settings(Settings(theme="nord"))
    after = raw_config()
    assert after["profiles"] == document["profiles"]
    assert after["current_profile"] == "local"
    assert after["settings"] == {"future_option": "x", "theme": "nord"}
    assert ProfileStore().get("local").api_key == "xero_proj_demo_k1"


def test_update_settings_saves_and_returns() -> None:
    updated = update_settings(wide_columns=True, refresh_interval=5)
    assert updated.wide_columns is True
    assert updated.refresh_interval == 5.0
    assert load_settings() == updated
    again = update_settings(page_size=20)
    assert again.wide_columns is True  # earlier change kept
    assert load_settings().page_size == 20


def test_update_settings_refuses_unknown_fields_and_bad_values() -> None:
    with pytest.raises(ConfigError, match="unknown setting"):
        update_settings(colour="red")
    with pytest.raises(ConfigError, match=r"settings\.page_size"):
        update_settings(page_size=0)
    assert not paths.config_file().exists()


@pytest.mark.parametrize(
    ("body", "key", "line"),
    [
        ('page_size = "ten"\n', "settings.page_size", 3),
        ("page_size = 500\n", "settings.page_size", 3),
        ("refresh_interval = -1\n", "settings.refresh_interval", 3),
        ('wide_columns = "yes"\n', "settings.wide_columns", 3),
        ("theme = 3\n", "settings.theme", 3),
        ("page_size = 10.5\n", "settings.page_size", 3),
        ('[settings.keymap]\n"models.filter" = 1\n', "settings.keymap.models.filter", 4),
    ],
)
def test_wrong_types_name_the_key_and_line(body: str, key: str, line: int) -> None:
    path = write_config('current_profile = "x"\n[settings]\n' + body)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert f"'{key}'" in info.value.message
    assert info.value.path == path
    assert info.value.line == line


def test_settings_that_is_not_a_table() -> None:
    path = write_config("settings = 3\n")
    with pytest.raises(ConfigError, match="'settings' must be a table") as info:
        load_settings()
    assert (info.value.path, info.value.line) == (path, 1)


def test_malformed_file_is_a_config_error_with_line() -> None:
    path = write_config("[settings]\ntheme = \nx = 1\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert (info.value.path, info.value.line) == (path, 2)
