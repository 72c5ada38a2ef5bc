"""Reading an API key from the OS keychain (through `keyring`) for `api_key_keychain = ENTRY`.

xeroctl documents `api_key_keychain` as "the name of an OS keychain entry" and nothing more,
so xerotui looks the entry up in this order and takes the first that exists:

1. service = ENTRY,     username = "api_key"
2. service = ENTRY,     username = ENTRY
3. service = "xeroctl", username = ENTRY

To store a key that xerotui finds, use the first form, e.g.
`keyring set xeroctl-staging api_key` (or macOS Keychain / Secret Service with the entry name
as the service and `api_key` as the account).

Any failure — no keychain on this system, a locked or refusing backend, whatever the
backend raises, or no entry under any of the names — becomes a `KeychainError` that tells
the user what to do instead. Keys are read only when a profile is actually used.
"""

from __future__ import annotations

from xerotui.config.errors import KeychainError

SERVICE = "xeroctl"
USERNAME = "api_key"


def lookups(entry: str) -> list[tuple[str, str]]:
    """The (service, username) pairs tried for `entry`, in order."""
    return [(entry, USERNAME), (entry, entry), (SERVICE, entry)]


def read_api_key(profile: str, entry: str) -> str:
    """The key stored under keychain entry `entry` for `profile`; KeychainError otherwise."""
    import keyring  # imported here: ~35 ms that only keychain profiles should pay
    import keyring.errors

    for service, username in lookups(entry):
        try:
            value = keyring.get_password(service, username)
        except keyring.errors.NoKeyringError:
            raise KeychainError(profile, entry, "no keychain is available on this system") from None
        except Exception as exc:  # any backend failure: never a traceback for the user
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise KeychainError(profile, entry, f"the keychain refused ({reason})") from None
        if value:
            return value.strip()
    raise KeychainError(profile, entry, "the keychain has no such entry")
