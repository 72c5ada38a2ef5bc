"""Test a base URL + key, save it as a profile (0600), and switch to it. Used by two screens."""

from __future__ import annotations

import asyncio

from xerotui.api.errors import AuthError, PermissionDeniedError, XeroError
from xerotui.api.health import ConnectionCheck, check_connection
from xerotui.config.errors import ConfigError
from xerotui.config.profiles import ProfileStore
from xerotui.tui.host import Host
from xerotui.tui.session import Session
from xerotui.tui.widgets.profile_form import ProfileForm, ProfileValues


async def adopt_profile(
    app: Host, form: ProfileForm, values: ProfileValues
) -> tuple[Session, ConnectionCheck] | None:
    """Test the values and save them as a profile; nothing is saved unless the server
    accepts the key. On failure the reason is shown on the form (the values stay) and None
    returned; on success the caller closes its form, then `app.connect(session)`."""
    form.set_busy(True)
    session: Session | None = None
    try:
        session = app.opener.open(
            values.base_url, values.api_key, profile=values.name, origin=f"profile {values.name}"
        )
        check = await check_connection(session.client)
        await asyncio.to_thread(
            ProfileStore().save_profile, values.name, values.base_url, values.api_key
        )
    except (XeroError, ConfigError, ValueError) as error:
        if session is not None:
            await session.client.aclose()
        form.set_busy(False)
        _show_failure(form, error)
        return None
    except BaseException:
        if session is not None:
            await session.client.aclose()
        raise
    return session, check


def _show_failure(form: ProfileForm, error: Exception) -> None:
    """Put the reason on the form, on the field to fix; the values stay as typed."""
    if isinstance(error, AuthError | PermissionDeniedError):
        form.show_message(f"{error.title}: {error.message} ({error.detail})", field="pf-key")
    elif isinstance(error, XeroError):
        detail = f" ({error.detail})" if error.detail else ""
        form.show_message(f"{error.title}: {error.message}{detail}", field="pf-url")
    elif isinstance(error, ConfigError):
        form.show_message(f"Could not save the profile: {error}")
    elif "profile name" in str(error):
        form.show_message(str(error), field="pf-name")
    else:
        form.show_message(str(error), field="pf-key")
