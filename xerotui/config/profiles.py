"""Profiles: xeroctl's deployments and xerotui's own profiles, read from two TOML files.

xeroctl (`$XDG_CONFIG_HOME/xeroctl/config.toml`, read only, never written)::

    current = "prod"
    [deployment.prod]
    base_url = "https://api.xerotier.ai/acme-prod/v1"
    api_key = "xero_acme-prod_..."            # or: api_key_keychain = "xeroctl-prod"

xerotui (`paths.config_file()`, written with mode 0600 because it can hold a key)::

    current_profile = "local"
    [profiles.local]
    base_url = "http://127.0.0.1:8000/proj_demo/v1"
    api_key = "xero_proj_demo_..."            # or: api_key_keychain = "..."

Each profile has `base_url` (`{root}/{project}/v1`) and exactly one of `api_key` /
`api_key_keychain`; other keys (xeroctl's `output`, `frontend_url`) are ignored.

Names: both sets share one namespace. On a clash xerotui's own profile wins the plain name;
the xeroctl deployment is listed and reachable as `xeroctl:NAME` (so the Connection screen
shows both and the user sees why). `xeroctl:NAME` also works for deployments with no clash.
The current profile is xerotui's `current_profile`, else xeroctl's `current`. Keychain keys
are read only by `ProfileStore.with_key` (see `keychain.py` for the lookup convention).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from xerotui.api.masking import mask_key, mask_key_for
from xerotui.api.urls import split_base_url
from xerotui.config import configfile, keychain, paths
from xerotui.config.errors import ConfigError

ProfileSource = Literal["xeroctl", "xerotui", "env", "flags", "sandbox"]
XEROCTL_PREFIX = "xeroctl:"


@dataclass(frozen=True)
class Profile:
    """One named connection. `api_key` is None until a keychain key has been read."""

    name: str
    base_url: str
    api_key: str | None = None
    api_key_keychain: str | None = None
    source: ProfileSource = "xerotui"

    @property
    def root(self) -> str:
        return split_base_url(self.base_url)[0]

    @property
    def project(self) -> str:
        return split_base_url(self.base_url)[1]

    @property
    def key_origin(self) -> str:
        """'keychain' or 'inline': where the key of this profile lives."""
        return "keychain" if self.api_key_keychain else "inline"

    @property
    def masked_key(self) -> str:
        if self.api_key:
            return mask_key_for(self.api_key, self.base_url)
        if self.api_key_keychain:
            return f"(keychain entry {self.api_key_keychain})"
        return mask_key(None)


class ProfileStore:
    """All profiles; reads each file once (on first need), writes only xerotui's own file."""

    def __init__(self, config_path: Path | None = None, xeroctl_path: Path | None = None) -> None:
        self._config_path = config_path or paths.config_file()
        self._xeroctl_path = xeroctl_path or paths.xeroctl_config_file()
        self._own: tuple[str | None, dict[str, Profile]] | None = None
        self._xeroctl: tuple[str | None, dict[str, Profile]] | None = None

    # -- reading -------------------------------------------------------------------------

    def _read_own(self) -> tuple[str | None, dict[str, Profile]]:
        """(current_profile, profiles) of xerotui's own config.toml."""
        if self._own is None:
            document = configfile.read_toml(self._config_path)
            self._own = _parse(document, self._config_path, "current_profile", "profiles")
        return self._own

    def _read_xeroctl(self) -> tuple[str | None, dict[str, Profile]]:
        """(current, deployments) of xeroctl's config.toml."""
        if self._xeroctl is None:
            document = configfile.read_toml(self._xeroctl_path)
            self._xeroctl = _parse(document, self._xeroctl_path, "current", "deployment")
        return self._xeroctl

    def profiles(self) -> list[Profile]:
        """xerotui's own profiles, then xeroctl's deployments (`xeroctl:NAME` when shadowed)."""
        own = self._read_own()[1]
        deployments = [self._deployment(name) for name in self._read_xeroctl()[1]]
        return [*own.values(), *deployments]

    def names(self) -> list[str]:
        return [p.name for p in self.profiles()]

    def current_name(self) -> str | None:
        """xerotui's `current_profile`, else xeroctl's `current`, else None."""
        own_current, own = self._read_own()
        if own_current:
            return own_current
        current = self._read_xeroctl()[0]
        if current and current in own:
            return XEROCTL_PREFIX + current
        return current

    def current(self) -> Profile | None:
        """The current profile, None if no file names one; ConfigError if the name is unknown."""
        name = self.current_name()
        if name is None:
            return None
        try:
            return self.get(name)
        except ConfigError:
            if self._read_own()[0]:
                path, key = self._config_path, "current_profile"
            else:
                path, key = self._xeroctl_path, "current"
            message = f"{key} = {name!r} names no profile (known profiles: {self._known()})"
            raise ConfigError(message, path, configfile.locate_key(path, (key,))) from None

    def get(self, name: str) -> Profile:
        """The profile called `name` (own first); ConfigError listing the known names."""
        own = self._read_own()[1]
        if name in own:
            return own[name]
        plain = name.removeprefix(XEROCTL_PREFIX)
        if plain in self._read_xeroctl()[1]:
            return self._deployment(plain)
        raise ConfigError(f"unknown profile '{name}' (known profiles: {self._known()})")

    def _known(self) -> str:
        return ", ".join(self.names()) or "none yet"

    def _deployment(self, name: str) -> Profile:
        """xeroctl's deployment `name`, renamed `xeroctl:NAME` if an own profile shadows it."""
        profile = self._read_xeroctl()[1][name]
        if name in self._read_own()[1]:
            return dataclasses.replace(profile, name=XEROCTL_PREFIX + name)
        return profile

    def with_key(self, profile: Profile) -> Profile:
        """`profile` with its key read from the keychain if needed (KeychainError if not)."""
        if profile.api_key or not profile.api_key_keychain:
            return profile
        key = keychain.read_api_key(profile.name, profile.api_key_keychain)
        return dataclasses.replace(profile, api_key=key)

    # -- writing xerotui's own config.toml ------------------------------------------------

    def save_profile(
        self, name: str, base_url: str, api_key: str, *, make_current: bool = True
    ) -> Profile:
        """Add or replace an own profile with an inline key. ValueError for bad input."""
        name, base_url, api_key = name.strip(), base_url.strip().rstrip("/"), api_key.strip()
        if not name or name.startswith(XEROCTL_PREFIX):
            raise ValueError(f"a profile name must not be empty nor start with {XEROCTL_PREFIX!r}")
        split_base_url(base_url)
        if not api_key or any(ch.isspace() for ch in api_key):
            raise ValueError("the API key must be one word with no spaces")
        with self._editing() as document:
            table = document.get("profiles")
            if not isinstance(table, dict):
                table = document["profiles"] = {}
            table[name] = {"base_url": base_url, "api_key": api_key}
            if make_current:
                document["current_profile"] = name
        return Profile(name, base_url, api_key, None, "xerotui")

    def set_current(self, name: str) -> None:
        """Make `name` (own or xeroctl) xerotui's current profile; xeroctl's file is untouched."""
        self.get(name)
        with self._editing() as document:
            document["current_profile"] = name

    def remove_profile(self, name: str) -> None:
        """Remove an own profile (and `current_profile` if it pointed to it)."""
        if name not in self._read_own()[1]:
            if name.removeprefix(XEROCTL_PREFIX) in self._read_xeroctl()[1]:
                raise ValueError(
                    f"profile '{name}' comes from xeroctl's config; remove it with xeroctl"
                )
            self.get(name)  # raises the unknown-profile error
        with self._editing() as document:
            profiles = document.get("profiles")
            if isinstance(profiles, dict):
                profiles.pop(name, None)
                if not profiles:
                    del document["profiles"]
            if document.get("current_profile") == name:
                del document["current_profile"]

    @contextlib.contextmanager
    def _editing(self) -> Iterator[dict[str, Any]]:
        """Edit the own file (checked first: never rewrite a file we cannot parse)."""
        with configfile.editing(self._config_path) as document:
            _parse(document, self._config_path, "current_profile", "profiles")
            yield document
        self._own = None


def _parse(
    document: dict[str, Any], path: Path, current_key: str, table_key: str
) -> tuple[str | None, dict[str, Profile]]:
    """Check types and shapes of one file: (current name, profiles by name)."""
    source: ProfileSource = "xeroctl" if table_key == "deployment" else "xerotui"
    kind = "deployment" if source == "xeroctl" else "profile"
    current = document.get(current_key)
    if current is not None and not isinstance(current, str):
        raise configfile.type_error(path, (current_key,), "a string (a name)", current)
    tables = document.get(table_key, {})
    if not isinstance(tables, dict):
        raise configfile.type_error(path, (table_key,), f"a table of {kind}s", tables)
    profiles: dict[str, Profile] = {}
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise configfile.type_error(path, (table_key, name), "a table", table)
        for key in ("base_url", "api_key", "api_key_keychain"):
            value = table.get(key)
            if value is not None and not (isinstance(value, str) and value.strip()):
                raise configfile.type_error(
                    path, (table_key, name, key), "a non-empty string", value
                )
        line = configfile.locate_key(path, (table_key, name))
        if "base_url" not in table:
            raise ConfigError(f"{kind} '{name}' has no base_url", path, line)
        try:
            split_base_url(table["base_url"])
        except ValueError as exc:
            raise ConfigError(f"{kind} '{name}': {exc}", path, line) from None
        if ("api_key" in table) == ("api_key_keychain" in table):
            raise ConfigError(
                f"{kind} '{name}' needs exactly one of api_key or api_key_keychain", path, line
            )
        profiles[name] = Profile(
            name=name,
            base_url=table["base_url"].strip().rstrip("/"),
            api_key=_stripped(table.get("api_key")),
            api_key_keychain=_stripped(table.get("api_key_keychain")),
            source=source,
        )
    return current, profiles


def _stripped(value: str | None) -> str | None:
    return value.strip() if value is not None else None
