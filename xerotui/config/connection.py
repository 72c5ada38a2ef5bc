"""Which server and key to use: `resolve(flags)` applies flag > env > profile to each part.

Each part is taken from the first place that sets it:

- profile: `--profile`, `XEROTUI_PROFILE`, xerotui's `current_profile`, xeroctl's `current`,
  else the only profile there is;
- base URL: `--base-url`, `XEROTIER_BASE_URL`, the profile's `base_url`;
- API key: `--api-key`, `XEROTIER_API_KEY`, the profile's `api_key` or keychain entry.

- A base URL and a key from flags/env together are a full connection: no profile is needed
  and no keychain is read (a profile named by `--profile` / `XEROTUI_PROFILE` must still
  exist). Only one of them overrides that part of the chosen profile.
- Nothing configured at all: `None` (the TUI shows its first-run screen). Half a connection
  (a key but no URL anywhere, or several profiles and none current): `ConfigError` saying
  what to add. An unknown profile name: `ConfigError` listing the known names.
- The keychain is read only for the profile actually used, and only when no flag/env key
  overrides it.
- `Connection.describe()` says where each part came from, for the Connection screen:
  "base URL from --base-url, key from profile prod (keychain)".
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from xerotui.api.masking import mask_key_for
from xerotui.api.urls import split_base_url
from xerotui.config.errors import ConfigError
from xerotui.config.profiles import Profile, ProfileStore

ENV_BASE_URL = "XEROTIER_BASE_URL"
ENV_API_KEY = "XEROTIER_API_KEY"
ENV_PROFILE = "XEROTUI_PROFILE"


@dataclass(frozen=True)
class ConnectionFlags:
    """The connection options of the command line (None = not given)."""

    profile: str | None = None
    base_url: str | None = None
    api_key: str | None = None


@dataclass(frozen=True)
class Connection:
    """A usable base URL and key, and where each came from."""

    base_url: str
    api_key: str
    url_source: str
    key_source: str
    profile: Profile | None = None

    @property
    def root(self) -> str:
        return split_base_url(self.base_url)[0]

    @property
    def project(self) -> str:
        return split_base_url(self.base_url)[1]

    @property
    def masked_key(self) -> str:
        return mask_key_for(self.api_key, self.base_url)

    def describe(self) -> str:
        return f"base URL from {self.url_source}, key from {self.key_source}"


def resolve(
    flags: ConnectionFlags | None = None,
    *,
    store: ProfileStore | None = None,
    env: Mapping[str, str] | None = None,
) -> Connection | None:
    """The connection to use, or None when nothing at all is configured."""
    flags = flags or ConnectionFlags()
    env = os.environ if env is None else env
    store = store or ProfileStore()
    url = _first((flags.base_url, "--base-url"), (env.get(ENV_BASE_URL), ENV_BASE_URL))
    key = _first((flags.api_key, "--api-key"), (env.get(ENV_API_KEY), ENV_API_KEY))
    wanted = _first((flags.profile, "--profile"), (env.get(ENV_PROFILE), ENV_PROFILE))

    profile: Profile | None = None
    if wanted:
        try:
            profile = store.get(wanted[0])
        except ConfigError as exc:
            raise ConfigError(f"{wanted[1]}: {exc.message}") from None
    elif not (url and key):
        profile = store.current() or _only_profile(store)

    if url and key:
        return _connection(url[0], key[0], url[1], key[1], None)
    if profile is None:
        if url:
            raise ConfigError(
                f"{url[1]} gives a base URL but there is no API key: "
                f"pass --api-key, set {ENV_API_KEY}, or add a profile"
            )
        if key:
            raise ConfigError(
                f"{key[1]} gives an API key but there is no base URL: "
                f"pass --base-url, set {ENV_BASE_URL}, or add a profile"
            )
        return None

    base_url, url_source = url or (profile.base_url, _origin(profile, with_key=False))
    if key:
        api_key, key_source = key
    else:
        profile = store.with_key(profile)
        api_key, key_source = profile.api_key or "", _origin(profile, with_key=True)
    return _connection(base_url, api_key, url_source, key_source, profile)


def _first(*candidates: tuple[str | None, str]) -> tuple[str, str] | None:
    """The first (value, source) whose value is set and not blank."""
    for value, source in candidates:
        if value and value.strip():
            return value.strip(), source
    return None


def _only_profile(store: ProfileStore) -> Profile | None:
    """With no current profile: the only profile, None if there is none."""
    profiles = store.profiles()
    if len(profiles) > 1:
        raise ConfigError(
            f"no current profile: choose one with --profile or {ENV_PROFILE} "
            f"(known profiles: {', '.join(p.name for p in profiles)})"
        )
    return profiles[0] if profiles else None


def _origin(profile: Profile, *, with_key: bool) -> str:
    """'profile prod', 'profile prod (xeroctl)', 'profile prod (xeroctl, keychain)'."""
    notes = ["xeroctl"] if profile.source == "xeroctl" else []
    if with_key and profile.key_origin == "keychain":
        notes.append("keychain")
    return f"profile {profile.name}" + (f" ({', '.join(notes)})" if notes else "")


def _connection(
    base_url: str, api_key: str, url_source: str, key_source: str, profile: Profile | None
) -> Connection:
    base_url = base_url.rstrip("/")
    try:
        split_base_url(base_url)
    except ValueError as exc:
        raise ConfigError(f"{url_source}: {exc}") from None
    return Connection(base_url, api_key, url_source, key_source, profile)
