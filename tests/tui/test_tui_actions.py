"""Model actions from the keyboard against the sandbox, read back from the server: the edit
form, delete and bulk delete, share/unshare with undo, dry-run and read-only."""

from __future__ import annotations

from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Input, Select
from tui_helpers import MakeApp, current_screen, server_models, settle, wait_until
from tui_probe import SIZE, server_model, set_faults, toasts, wait_toast, widget_text

from xerotui.launcher import SandboxInfo
from xerotui.tui.app import XeroApp
from xerotui.tui.screens.bulk_result import BulkResultScreen
from xerotui.tui.screens.catalog import CatalogScreen
from xerotui.tui.screens.confirm import ConfirmScreen
from xerotui.tui.screens.edit_model import EditModelScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.request_preview import RequestPreviewScreen


def models_screen(app: XeroApp) -> ModelsScreen:
    screen = current_screen(app)
    assert isinstance(screen, ModelsScreen)
    return screen


async def go_to(pilot: Pilot[Any], app: XeroApp, name: str) -> str:
    """Put the table's cursor on the model called `name`; returns its id."""
    screen = models_screen(app)
    index = next(i for i, m in enumerate(screen.view) if m.name == name)
    screen.table.move_cursor(index)
    await pilot.pause()
    assert app.feed.highlighted == screen.view[index].id
    return screen.view[index].id


async def open_editor(pilot: Pilot[Any], app: XeroApp) -> EditModelScreen:
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, EditModelScreen), what="the edit form")
    editor = current_screen(app)
    assert isinstance(editor, EditModelScreen)
    return editor


async def type_into(pilot: Pilot[Any], app: XeroApp, field: str, text: str) -> None:
    widget = app.screen.query_one(f"#field-{field}", Input)
    widget.value = ""
    widget.focus()
    await pilot.press(*text)


async def confirm(pilot: Pilot[Any], app: XeroApp) -> None:
    dialog = current_screen(app)
    assert isinstance(dialog, ConfirmScreen), dialog
    await pilot.click("#confirm-ok")
    await pilot.pause()


async def test_edit_sends_only_the_changed_fields_and_the_table_shows_them_at_once(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        model_id = await go_to(pilot, app, "qwen3-8b")
        before = await server_model(sandbox, model_id)
        editor = await open_editor(pilot, app)
        await type_into(pilot, app, "description", "Tuned for support tickets")
        await type_into(pilot, app, "context_length", "65536")
        app.screen.query_one("#field-torch_dtype", Select).value = "float32"
        assert editor.form.changes() == {
            "description": "Tuned for support tickets",
            "context_length": 65536,
            "torch_dtype": "float32",
        }
        await pilot.press("ctrl+s")  # the diff, before anything is sent
        await pilot.pause()
        review = current_screen(app)
        assert isinstance(review, ConfirmScreen)
        assert review.title_text == "Save 3 changes?"
        await confirm(pilot, app)
        await wait_until(pilot, lambda: not isinstance(app.screen, EditModelScreen), what="save")
        after = await server_model(sandbox, model_id)
        assert after["description"] == "Tuned for support tickets"
        assert after["context_length"] == 65536
        assert after["torch_dtype"] == "float32"
        unchanged = {k for k in before if k not in ("description", "context_length", "torch_dtype")}
        assert {k: after.get(k) for k in unchanged} == {k: before.get(k) for k in unchanged}
        # the table and the inventory show the edit at once, no reload
        shown = app.feed.inventory.get(model_id)
        assert shown is not None
        assert shown.context_length == 65536
        patches = [r for r in app.request_log.records() if r.method == "PATCH"]
        assert len(patches) == 1


async def test_a_failed_save_keeps_every_value_and_a_refusal_lands_on_its_field(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        model_id = await go_to(pilot, app, "qwen3-8b")
        editor = await open_editor(pilot, app)
        await type_into(pilot, app, "license", "MIT")
        await type_into(pilot, app, "num_layers", "36")
        # a 500 on the save: the form stays open with every typed value
        await set_faults(sandbox, fail_next=1, error_status=500, methods=["PATCH"])
        await pilot.press("ctrl+s")
        await pilot.pause()
        await confirm(pilot, app)
        await wait_toast(pilot, "Saving the model", severity="error")
        assert current_screen(app) is editor
        assert app.screen.query_one("#field-license", Input).value == "MIT"
        assert app.screen.query_one("#field-num_layers", Input).value == "36"
        assert (await server_model(sandbox, model_id)).get("license") != "MIT"
        # a refusal the form could not foresee (a server's own rule): on its field, in the
        # server's words, and the other values stay
        message = "Layers must match the checkpoint's config.json (32)"
        await set_faults(
            sandbox,
            fail_next=1,
            error_status=400,
            error_code="invalid_value",
            error_message=message,
            error_param="num_layers",
            methods=["PATCH"],
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        await confirm(pilot, app)
        await wait_until(
            pilot,
            lambda: message in str(app.screen.query_one("#error-num_layers").render()),
            what="the server's message under the field",
        )
        assert current_screen(app) is editor
        assert app.screen.focused is app.screen.query_one("#field-num_layers")
        assert app.screen.query_one("#field-license", Input).value == "MIT"
        # fixed: saved
        await type_into(pilot, app, "num_layers", "32")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await confirm(pilot, app)
        await wait_until(pilot, lambda: not isinstance(app.screen, EditModelScreen), what="save")
        saved = await server_model(sandbox, model_id)
        assert (saved["license"], saved["num_layers"]) == ("MIT", 32)


async def test_numbers_are_checked_as_typed_and_nothing_is_sent_while_wrong(
    make_app: MakeApp,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, app, "qwen3-8b")
        await open_editor(pilot, app)
        await type_into(pilot, app, "hidden_size", "0")
        await pilot.pause()
        error = app.screen.query_one("#error-hidden_size")
        assert "a whole number from 1 to 1,048,576" in str(error.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(current_screen(app), EditModelScreen)  # no diff: fix first
        assert not [r for r in app.request_log.records() if r.method == "PATCH"]


async def test_leaving_a_changed_form_asks_first(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await go_to(pilot, app, "qwen3-8b")
        editor = await open_editor(pilot, app)
        await type_into(pilot, app, "architecture", "mamba")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(current_screen(app), ConfirmScreen)
        await pilot.press("enter")  # Cancel is focused: stay
        await pilot.pause()
        assert current_screen(app) is editor
        assert app.screen.query_one("#field-architecture", Input).value == "mamba"


async def test_delete_confirms_with_cancel_focused_then_removes_the_row(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        model_id = await go_to(pilot, app, "phi-4")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(current_screen(app), ConfirmScreen)
        await pilot.press("enter")  # a fresh confirm: Enter cancels
        await pilot.pause()
        assert model_id in {m["id"] for m in await server_models(sandbox)}
        await pilot.press("d")
        await pilot.pause()
        await confirm(pilot, app)
        await wait_toast(pilot, "Deleted 1 of 1 model")
        assert model_id not in {m["id"] for m in await server_models(sandbox)}
        assert model_id not in [m.id for m in models_screen(app).view]


async def test_bulk_delete_needs_the_count_reports_each_and_keeps_failures_marked(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = models_screen(app)
        ids = [m.id for m in screen.view[:5]]
        await pilot.press(*["space"] * 5)
        assert app.feed.marks == set(ids)
        await set_faults(sandbox, fail_next=1, error_status=500, path_contains=ids[2])
        await pilot.press("d")
        await pilot.pause()
        dialog = current_screen(app)
        assert isinstance(dialog, ConfirmScreen)
        assert dialog.typed == "5"
        assert app.screen.query_one("#confirm-ok").disabled
        app.screen.query_one("#confirm-typed", Input).focus()
        await pilot.press("5", "enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, BulkResultScreen) and app.screen.done,
            what="the bulk delete to finish",
        )
        result = app.screen
        assert isinstance(result, BulkResultScreen)
        summary = str(result.query_one("#bulk-summary").render())
        assert summary == "Deleted 4 of 5 models (1 failed)"
        left = {m["id"] for m in await server_models(sandbox)}
        assert left & set(ids) == {ids[2]}
        assert app.feed.marks == {ids[2]}  # the failure stays marked: one key retries
        await pilot.press("escape")
        assert [m.id for m in screen.view if m.id in ids] == [ids[2]]


async def test_a_dropped_connection_mid_bulk_delete_is_reported_as_unknown(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        ids = [m.id for m in models_screen(app).view[:3]]
        await pilot.press(*["space"] * 3)
        await set_faults(sandbox, drop_next=1, path_contains=ids[1])
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#confirm-typed", Input).focus()
        await pilot.press("3", "enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, BulkResultScreen) and app.screen.done,
            what="the bulk delete to finish",
        )
        summary = str(app.screen.query_one("#bulk-summary").render())
        assert summary == "Deleted 2 of 3 models (1 unknown)"
        lines = [str(w.render()) for w in app.screen.query("#bulk-lines Static")]
        assert any(line.startswith(f"[UNKNOWN] {ids[1]}") for line in lines)
        assert "Not known whether it was applied" in "\n".join(lines)


async def test_share_needs_no_confirmation_and_u_undoes_it(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        model_id = await go_to(pilot, app, "qwen3-8b")
        assert not (await server_model(sandbox, model_id))["is_shared"]
        await pilot.press("g", "s")
        _, text = await wait_toast(pilot, "u undoes it")
        assert "Shared qwen3-8b to the public catalog" in text
        assert (await server_model(sandbox, model_id))["is_shared"]
        shown = app.feed.inventory.get(model_id)
        assert shown is not None
        assert shown.is_shared
        await pilot.press("u")
        await wait_toast(pilot, "Unshared qwen3-8b")
        assert not (await server_model(sandbox, model_id))["is_shared"]


async def test_sharing_a_model_that_is_not_ready_is_explained(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        failed = next(m for m in models_screen(app).view if m.status == "failed")
        await go_to(pilot, app, failed.name or "")
        await pilot.press("g", "s")
        _, text = await wait_toast(pilot, "Only a model that is ready", severity="error")
        assert f"{failed.name} is failed" in text


async def test_dry_run_shows_the_request_and_changes_nothing(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app(dry_run=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "DRY RUN" in str(app.screen.query_one("#link").render())
        model_id = await go_to(pilot, app, "phi-4")
        before_link = str(app.screen.query_one("#link").render())
        await pilot.press("d")
        await pilot.pause()
        await confirm(pilot, app)
        await wait_until(
            pilot, lambda: isinstance(app.screen, RequestPreviewScreen), what="the preview"
        )
        preview = app.screen
        assert isinstance(preview, RequestPreviewScreen)
        assert preview.planned.method == "DELETE"
        assert preview.planned.url.endswith(f"/models/{model_id}")
        assert sandbox.api_key not in preview.planned.curl
        assert model_id in {m["id"] for m in await server_models(sandbox)}
        assert model_id in [m.id for m in models_screen_of(app).view]
        await pilot.press("escape")
        await pilot.pause()
        assert str(app.screen.query_one("#link").render()) == before_link  # not "unreachable"


def models_screen_of(app: XeroApp) -> ModelsScreen:
    return next(s for s in app.screen_stack if isinstance(s, ModelsScreen))


async def test_read_only_refuses_with_the_reason_and_the_way_out(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "READ-ONLY" in str(app.screen.query_one("#link").render())
        model_id = await go_to(pilot, app, "qwen3-8b")
        await pilot.press("g", "s")
        _, text = await wait_toast(pilot, "--read-only", severity="warning")
        assert "Restart xerotui without --read-only" in text
        assert not (await server_model(sandbox, model_id))["is_shared"]
        posts = [r for r in app.request_log.records() if r.method == "POST"]
        assert [(r.held, r.status) for r in posts] == [("read-only", None)]  # never sent
        assert not [t for t in toasts(app) if t[0] == "error"]


async def test_the_edit_form_opens_on_the_extended_fields_and_opening_it_changes_nothing(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """The list's copy has no description or license: the form reads the model first. A
    description with a CR or an escape (shown made safe) is not "changed" by opening it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        model_id = await go_to(pilot, app, "qwen3-8b")
        async with httpx.AsyncClient(base_url=sandbox.root_url) as http:
            raw = {"description": "line one\r\nline two \x1b[1m", "license": "MIT"}
            answer = await http.post(f"/_sandbox/models/{model_id}/raw", json=raw)
            answer.raise_for_status()
        listed = app.feed.inventory.get(model_id)
        assert listed is not None
        assert listed.description is None  # the table knows only the list's fields
        editor = await open_editor(pilot, app)
        assert app.screen.query_one("#field-license", Input).value == "MIT"
        assert app.screen.query_one("#field-description", Input).value.startswith("line one")
        assert editor.form.changes() == {}
        await pilot.press("escape")  # nothing changed: it closes without asking
        await pilot.pause()
        assert not isinstance(current_screen(app), (EditModelScreen, ConfirmScreen))


async def test_a_delete_in_flight_is_not_sent_again(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        model_id = await go_to(pilot, app, "phi-4")
        await set_faults(sandbox, latency_ms=1500, methods=["DELETE"])
        await pilot.press("d")
        await pilot.pause()
        await confirm(pilot, app)
        await wait_until(pilot, lambda: model_id in app.actions.in_flight, what="in flight")
        app.actions.delete([model_id])  # asked again while the first is still on its way
        await wait_toast(pilot, "still being changed", severity="warning")
        assert not isinstance(current_screen(app), ConfirmScreen)
        await wait_toast(pilot, "Deleted 1 of 1 model")
        deletes = [r for r in app.request_log.records() if r.method == "DELETE"]
        assert len(deletes) == 1


async def test_the_catalog_panel_acts_on_the_model_asked_for(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    """A model that is not shared: "not in the catalog" on the left (the list of shared models
    beside must not take its place), and `s` shares that model."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        model_id = await go_to(pilot, app, "qwen3-8b")
        await pilot.press("g", "c")
        await settle(pilot)
        screen = current_screen(app)
        assert isinstance(screen, CatalogScreen)
        assert screen.model_id == model_id
        assert "not in the catalog" in widget_text(screen.query_one("#catalog-info"))
        await pilot.press("s")
        await wait_toast(pilot, "Shared qwen3-8b")
        assert (await server_model(sandbox, model_id))["is_shared"]
        await settle(pilot)
        assert screen.model_id == model_id
