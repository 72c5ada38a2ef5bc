"""paths, configfile and the error types of xerotui.config."""

from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest

from xerotui.config import configfile, paths
from xerotui.config.errors import ConfigError, KeychainError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- paths -------------------------------------------------------------------------------


def test_paths_honour_xerotui_home(tmp_path: Path) -> None:
    home = tmp_path / "xerotui-home"
    assert paths.config_dir() == home / "config"
    assert paths.config_file() == home / "config" / "config.toml"
    assert paths.data_dir() == home / "data"


def test_paths_follow_another_xerotui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XEROTUI_HOME", str(tmp_path / "elsewhere"))
    assert paths.config_file() == tmp_path / "elsewhere" / "config" / "config.toml"


def test_xeroctl_config_honours_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.xeroctl_config_file() == tmp_path / "home" / ".config" / "xeroctl" / "config.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert paths.xeroctl_config_file() == tmp_path / "xdg" / "xeroctl" / "config.toml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert paths.xeroctl_config_file() == tmp_path / "home" / ".config" / "xeroctl" / "config.toml"


# -- reading ------------------------------------------------------------------------------


def test_missing_file_is_an_empty_document(tmp_path: Path) -> None:
    assert configfile.read_toml(tmp_path / "nope.toml") == {}


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('a = 1\nb = 2\n\n[x]\nc = "d"\n\nbroken line\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        configfile.read_toml(path)
    error = info.value
    assert error.path == path
    assert error.line == 7
    assert error.message.startswith("expected '=' after a key")
    assert str(error) == f"{path}, line 7: {error.message}"
    assert "column" not in str(error)


def test_error_at_end_of_document_points_to_last_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("a = 1\nb = ", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        configfile.read_toml(path)
    assert info.value.line == 2
    assert "end of the file" in info.value.message


def test_path_under_home_is_shown_with_a_tilde(tmp_path: Path) -> None:
    path = tmp_path / "home" / ".config" / "xerotui" / "config.toml"
    error = ConfigError("expected '=' after a key", path, 7)
    assert str(error) == "~/.config/xerotui/config.toml, line 7: expected '=' after a key"


def test_error_without_line_or_path() -> None:
    assert str(ConfigError("oops", Path("/etc/x.toml"))) == "/etc/x.toml: oops"
    assert str(ConfigError("oops")) == "oops"


def test_undecodable_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"a = '\xff\xfe'\n")
    with pytest.raises(ConfigError, match="UTF-8"):
        configfile.read_toml(path)


def test_keychain_error_tells_what_to_do() -> None:
    error = KeychainError("prod", "xeroctl-prod", "no keychain is available on this system")
    text = str(error)
    assert isinstance(error, ConfigError)
    assert "'prod'" in text
    assert "'xeroctl-prod'" in text
    assert "no keychain is available" in text
    assert "XEROTIER_API_KEY" in text
    assert "api_key" in text
    assert (error.profile, error.entry) == ("prod", "xeroctl-prod")


# -- locating keys --------------------------------------------------------------------------


def test_locate_key_finds_tables_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        'current = "a"\n'
        "\n"
        "[deployment.a]\n"
        'base_url = "x"\n'
        "[settings.keymap]\n"
        '"models.filter" = "f"\n',
        encoding="utf-8",
    )
    assert configfile.locate_key(path, ("current",)) == 1
    assert configfile.locate_key(path, ("deployment", "a")) == 3
    assert configfile.locate_key(path, ("deployment", "a", "base_url")) == 4
    assert configfile.locate_key(path, ("settings", "keymap", "models.filter")) == 6
    assert configfile.locate_key(path, ("deployment", "b")) is None
    assert configfile.locate_key(tmp_path / "missing.toml", ("a",)) is None


# -- writing ----------------------------------------------------------------------------------


def test_write_is_private_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "config.toml"
    data = {"current_profile": "a", "profiles": {"a": {"base_url": "u", "api_key": "k"}}}
    configfile.write_toml(path, data)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert configfile.read_toml(path) == data
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temp file left


def test_write_tightens_an_open_directory(tmp_path: Path) -> None:
    directory = tmp_path / "cfg"
    directory.mkdir(mode=0o755)
    directory.chmod(0o755)
    configfile.write_toml(directory / "config.toml", {"a": 1})
    assert mode(directory) == 0o700


def test_write_replaces_a_world_readable_file_with_a_private_one(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    path.chmod(0o644)
    configfile.write_toml(path, {"a": 2})
    assert mode(path) == 0o600
    assert configfile.read_toml(path) == {"a": 2}


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cfg" / "config.toml"
    configfile.write_toml(path, {"a": 1})
    with pytest.raises(TypeError):
        configfile.write_toml(path, {"a": object()})

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("xerotui.config.paths.os.replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        configfile.write_toml(path, {"a": 2})
    assert configfile.read_toml(path) == {"a": 1}
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # temp file removed


def test_editing_and_read_config_use_the_config_file() -> None:
    with configfile.editing() as document:
        document["settings"] = {"theme": "t"}
    assert paths.config_file().exists()
    assert configfile.read_config() == {"settings": {"theme": "t"}}


def test_a_failed_edit_writes_nothing() -> None:
    with configfile.editing() as document:
        document["a"] = 1

    def change_then_fail() -> None:
        with configfile.editing() as document:
            document["a"] = 2
            raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert configfile.read_config() == {"a": 1}


def test_edits_from_many_threads_all_survive() -> None:
    """Settings and profiles are saved from worker threads: no edit may undo another."""

    def add(key: str) -> None:
        with configfile.editing() as document:
            time.sleep(0.001)  # widen the window a lost update would need
            document[key] = True

    threads = [threading.Thread(target=add, args=(f"k{i}",)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(configfile.read_config()) == {f"k{i}" for i in range(20)}
