"""Settings: defaults, round trip, type errors naming the key, and profiles left intact."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.binding import Binding

from xerotui.config import paths
from xerotui.config.errors import ConfigError
from xerotui.config.keymap import PROTECTED, unknown_ids
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
    assert settings.watch_timeout == 600.0
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


def test_every_setting_round_trips() -> None:
    settings = Settings(
        theme="nord",
        keymap={"models.filter": "f", "app.quit": "ctrl+x"},
        refresh_interval=2.5,
        wide_columns=True,
        page_size=1,
        watch_timeout=86400,
    )
    assert set(Settings.model_fields) == set(settings.model_dump())  # every field set above
    assert all(getattr(settings, f) != getattr(Settings(), f) for f in Settings.model_fields)
    save_settings(settings)
    assert load_settings() == settings
    save_settings(load_settings())
    assert load_settings() == settings


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
        ("watch_timeout = 0\n", "settings.watch_timeout", 3),
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


# Broken configs: each was tried by hand; each must stop the start with the message below at
# the line given (before: 7 of 24 such files started without a word).
def bad(name: str, text: str, got: str) -> str:
    return f"'settings.{name}': {text} (got {got})"


def refresh(got: str) -> str:
    return bad("refresh_interval", "must be 0 (off) or at least 2 seconds", got)


def takes(binding: str, value: str, key: str, other: str, role: str) -> str:
    return (
        f"'settings.keymap.{binding}' = {value!r} would take {key!r} from {other!r} ({role}); "
        f"choose another key for {binding!r}"
    )


def not_a_key(raw: str) -> str:
    return (
        f"'settings.keymap.models.filter' has {raw!r}, which is not a key name (write keys as "
        "Textual does: 'f', 'ctrl+f', 'question_mark', 'pageup'; several separated by commas)"
    )


def not_an_id(binding: str) -> str:
    return (
        f"'settings.keymap.{binding}' is not a binding id (ids look like 'models.filter'; "
        f"? in xerotui lists them): {binding!r}"
    )


def typo(wrong: str, right: str) -> str:
    return f"'settings.{wrong}' is not a setting: did you mean '{right}'?"


NUMBER = "input should be a valid number"
FINITE = "input should be a finite number"
LE_DAY = "input should be less than or equal to 86400"
GE_1 = "input should be greater than or equal to 1"
LONG = "x" * 100
KEYMAP = '[settings.keymap]\n"models.filter" = '
QUIT = ("ctrl+q", "app.quit", "quit")
HELP = ("question_mark", "app.help", "help")
CHORD = ("g", "app.chord", "the g-chord prefix")
BROKEN = [
    ("refresh_interval = 0.001", refresh("0.001")),
    ("refresh_interval = 1.5", refresh("1.5")),
    ("refresh_interval = -1", refresh("-1")),
    ("refresh_interval = 1e308", bad("refresh_interval", LE_DAY, "1e+308")),
    ("refresh_interval = inf", bad("refresh_interval", FINITE, "inf")),
    ("refresh_interval = nan", bad("refresh_interval", FINITE, "nan")),
    ('refresh_interval = "30"', bad("refresh_interval", NUMBER, "'30'")),
    ("refresh_interval = true", bad("refresh_interval", NUMBER, "True")),
    ("refresh_interval = 2024-01-01", bad("refresh_interval", NUMBER, "datetime.date(2024, 1, 1)")),
    ("page_size = 0", bad("page_size", GE_1, "0")),
    ("page_size = -5", bad("page_size", GE_1, "-5")),
    (
        "page_size = 99999999999999999999",
        bad("page_size", "input should be less than or equal to 100", "99999999999999999999"),
    ),
    ("wide_columns = 1", bad("wide_columns", "input should be a valid boolean", "1")),
    ('theme = ""', bad("theme", "string should have at least 1 character", "''")),
    (
        f'theme = "{LONG}"',
        bad("theme", "string should have at most 64 characters", "'" + "x" * 58 + "…"),
    ),
    ("watch_timeout = -10", bad("watch_timeout", "input should be greater than 0", "-10")),
    ("watch_timeout = 1e9", bad("watch_timeout", LE_DAY, "1000000000.0")),
    ('watch_timeout = "10m"', bad("watch_timeout", NUMBER, "'10m'")),
    ("refesh_interval = 5", typo("refesh_interval", "refresh_interval")),
    ("page_sise = 10", typo("page_sise", "page_size")),
    ('keymap = "f"', bad("keymap", "input should be a valid dictionary", "'f'")),
    ('keymap = { "models.filter" = "ctrl+q" }', takes("models.filter", "ctrl+q", *QUIT)),
    (KEYMAP + '"ctrl+q"', takes("models.filter", "ctrl+q", *QUIT)),
    (KEYMAP + '"?"', takes("models.filter", "?", *HELP)),
    (KEYMAP + '"question_mark"', takes("models.filter", "question_mark", *HELP)),
    ('[settings.keymap]\n"models.sort" = "g"', takes("models.sort", "g", *CHORD)),
    (KEYMAP + '"f, ctrl+q"', takes("models.filter", "f, ctrl+q", *QUIT)),
    ('[settings.keymap]\n"app.help" = "g"', takes("app.help", "g", *CHORD)),
    (
        '[settings.keymap]\n"app.quit" = "q"\n"models.filter" = "q"',
        takes("models.filter", "q", "q", "app.quit", "quit"),
    ),
    (
        KEYMAP + '""',
        "'settings.keymap.models.filter' is empty: remove the line to keep the default key",
    ),
    (KEYMAP + '"Ctrl+F"', not_a_key("Ctrl+F")),
    (KEYMAP + '"f,,g2"', not_a_key("")),
    ('[settings.keymap]\n"models filter" = "f"', not_an_id("models filter")),
    ('[settings.keymap]\nfilter = "f"', not_an_id("filter")),
]


@pytest.mark.parametrize(
    ("body", "message"), BROKEN, ids=[b.split("\n")[-1][:40] for b, _ in BROKEN]
)
def test_a_broken_setting_stops_with_file_and_line(body: str, message: str) -> None:
    lines = ['current_profile = "x"', "[settings]", *body.split("\n")]
    path = write_config("\n".join(lines) + "\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert info.value.message == message
    assert (info.value.path, info.value.line) == (path, len(lines))
    assert str(info.value).endswith(f"config.toml, line {len(lines)}: {message}")


@pytest.mark.parametrize(
    "body",
    [
        "refresh_interval = 0",  # off
        "refresh_interval = 2",
        "refresh_interval = 86400",
        "future_option = 1",  # a newer xerotui's key: ignored, kept on save
        '[settings.keymap]\n"app.quit" = "ctrl+x"\n"models.filter" = "ctrl+q"',  # quit moved
        '[settings.keymap]\n"models.filter" = "slash,f"\n"models.bottom" = "G"',
        '[settings.keymap]\n"app.help" = "f1"',
    ],
)
def test_edge_values_that_are_fine(body: str) -> None:
    write_config("[settings]\n" + body + "\n")
    load_settings()


def test_protected_bindings_are_the_apps() -> None:
    from xerotui.tui.app import XeroApp

    bindings = {b.id: b.key for b in XeroApp.BINDINGS if isinstance(b, Binding)}
    assert {bid: key for bid, (key, _) in PROTECTED.items()} == {
        bid: bindings[bid] for bid in PROTECTED
    }


def test_unknown_keymap_ids() -> None:
    keymap = {"models.filter": "f", "models.flter": "x", "app.help": "f1"}
    assert unknown_ids(keymap, ["models.filter", "app.help", "app.quit"]) == ["models.flter"]


def test_update_settings_checks_the_keymap_too() -> None:
    with pytest.raises(ConfigError, match=r"would take 'ctrl\+q' from 'app.quit'"):
        update_settings(keymap={"models.filter": "ctrl+q"})
    with pytest.raises(ConfigError, match="at least 2 seconds"):
        update_settings(refresh_interval=0.5)
    assert not paths.config_file().exists()


def test_the_refresh_floor_is_for_what_a_user_sets() -> None:
    assert Settings(refresh_interval=0.3).refresh_interval == 0.3  # tests poll faster
    with pytest.raises(ValueError, match="at least 2 seconds"):
        Settings(refresh_interval=-1)
    write_config("[settings]\nrefresh_interval = 0.3\n")
    with pytest.raises(ConfigError, match="at least 2 seconds"):
        load_settings()
