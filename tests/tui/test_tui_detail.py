"""Model detail (`enter`, `g d`): the seed's fields, capabilities, More, JSON, copy, 404."""

from __future__ import annotations

import json
from typing import Any

from rich.syntax import Syntax
from tui_helpers import MakeApp, server_models, settle
from tui_probe import (
    SIZE,
    delete_model,
    field_rows,
    open_detail,
    panel_lines,
    server_model,
    toasts,
    utc_datetime,
    wait_toast,
    widget_lines,
    widget_text,
)

from xerotui.api.masking import mask_key
from xerotui.launcher import SandboxInfo
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.widgets.text_viewer import TextViewer

SEED_LABELS = [
    "ID",
    "Name",
    "Created",
    "Owner",
    "Format",
    "Size",
    "Status",
    "Version",
    "Is Latest",
    "Description",
    "Architecture",
    "Quantization",
    "Context Length",
    "Parameters",
    "Workload Type",
    "Shared",
]


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def expected_fields(m: dict[str, Any]) -> dict[str, str]:
    """The seed's detail view of `m`, as the server's extended object says it should read."""
    return {
        "ID": m["id"],
        "Name": m["name"],
        "Created": utc_datetime(m["created"]),
        "Owner": m["owned_by"],
        "Format": m["format"],
        "Size": f"{m['size_formatted']}  ({m['size_bytes']:,} bytes)",
        "Status": m["status"],
        "Version": m["version"],
        "Is Latest": yes_no(m["is_latest"]),
        "Description": m["description"],
        "Architecture": m["architecture"],
        "Quantization": m["quantization"],
        "Context Length": f"{m['context_length']:,}",
        "Parameters": f"{m['parameter_count']:,}",
        "Workload Type": m["workload_type"],
        "Shared": yes_no(m["is_shared"]),
    }


def compare(shown: dict[str, str], m: dict[str, Any]) -> None:
    expected = expected_fields(m)
    assert list(shown) == SEED_LABELS
    for label in ("Status", "Context Length", "Parameters"):
        # decorated: "● ready", "32,768  (32K)", "7,110,660,096  (7.1B)"
        value = expected.pop(label)
        if label == "Status":
            assert shown[label].split()[-1] == value, label
        else:
            assert shown[label].split("  ")[0] == value, label
    assert {k: shown[k] for k in expected} == expected


async def long_description_model(info: SandboxInfo, truth: list[dict[str, Any]]) -> dict[str, Any]:
    """The first model (in list order) whose description is longer than 120 characters."""
    for listed in truth:
        model = await server_model(info, listed["id"])
        if len(model.get("description") or "") > 120:
            return model
    raise AssertionError("the seed has no model with a long description")


async def test_every_seed_field_shows_the_server_value(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    model = await server_model(sandbox, truth[1]["id"])
    assert len(model["description"]) <= 120  # shown whole
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, model["id"])
        assert screen.loaded
        compare(field_rows(screen.query_one("#detail-fields")), model)
        title = widget_text(screen.query_one("#detail-title")).strip()
        assert title == f"{model['name']}  ● {model['status']}"


async def test_g_d_opens_the_highlighted_model(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    truth = await server_models(sandbox)
    model = await server_model(sandbox, truth[5]["id"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * 5, "g", "d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ModelDetailScreen)
        assert screen.model_id == model["id"]
        compare(field_rows(screen.query_one("#detail-fields")), model)


async def test_capabilities_and_more_fields(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    truth = await server_models(sandbox)
    # a mixture-of-experts model has the most extended fields
    listed = next(m for m in truth if m["name"] == "mixtral-8x22b-instruct-awq")
    model = await server_model(sandbox, listed["id"])
    assert model["pre_quantized"] is True
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, model["id"])
        caps = screen.query_one("#detail-capabilities")
        assert "─ Capabilities ─" in widget_lines(caps)[0]
        shown = " ".join(panel_lines(caps)).split()
        assert [word for word in shown if word != "◆"] == model["capabilities"]
        more = field_rows(screen.query_one("#detail-more"))
        assert more == {
            "License": model["license"],
            "Hidden Size": f"{model['hidden_size']:,}",
            "Layers": f"{model['num_layers']:,}",
            "Vocab Size": f"{model['vocab_size']:,}",
            "Torch dtype": model["torch_dtype"],
            "Experts": f"{model['num_experts']:,}",
            "Experts / token": f"{model['num_experts_per_tok']:,}",
            "Pre-quantized": "yes",
            "Pre-quant method": model["pre_quantization_method"],
            "Pre-quant bits": str(model["pre_quantization_bits"]),
        }


async def test_side_panels_are_fully_visible(make_app: MakeApp, sandbox: SandboxInfo) -> None:
    """Every capability and every More row must fit on a 120x40 screen, frame included."""
    truth = await server_models(sandbox)
    listed = next(m for m in truth if m["name"] == "mixtral-8x22b-instruct-awq")
    model = await server_model(sandbox, listed["id"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, model["id"])
        for selector in ("#detail-capabilities", "#detail-more"):
            widget = screen.query_one(selector)
            region = widget.region
            assert region.bottom <= screen.region.bottom - 1, selector  # above the footer
            assert widget_lines(widget)[-1].lstrip().startswith("╰"), selector


async def test_long_description_is_cut_and_f_shows_it_all(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    model = await long_description_model(sandbox, truth)
    description = model["description"]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, model["id"])
        fields = screen.query_one("#detail-fields")
        cut = field_rows(fields)["Description"]
        assert cut == f"{description[:120]}…  f: all {len(description):,} characters"
        compare(field_rows(fields), model | {"description": cut})
        await pilot.press("f")
        viewer = screen.query_one(TextViewer)
        assert viewer.display
        assert not screen.query_one("#detail-body").display
        assert viewer.text == description
        assert description[:40] in widget_text(viewer)
        await pilot.press("f")
        assert not viewer.display
        assert field_rows(fields)["Description"] == cut


async def test_j_toggles_the_raw_json_of_the_extended_object(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    listed = next(m for m in truth if m["name"] == "qwen2.5-32b-instruct-awq")
    model = await server_model(sandbox, listed["id"])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_detail(pilot, model["id"])
        json_view = screen.query_one("#detail-json")
        assert not json_view.display
        await pilot.press("j")
        await pilot.pause()
        assert json_view.display
        assert not screen.query_one("#detail-body").display
        body = screen.query_one("#detail-json-body")
        syntax = body.content
        assert isinstance(syntax, Syntax)
        assert json.loads(syntax.code) == model  # exactly the server's object
        painted = widget_text(body)
        assert f'"id": "{model["id"]}"' in painted
        assert f'"pre_quantization_method": "{model["pre_quantization_method"]}"' in painted
        await pilot.press("j")
        assert not json_view.display
        assert screen.query_one("#detail-body").display


async def test_y_copies_the_id_and_Y_the_masked_curl(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    model_id = truth[3]["id"]
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await open_detail(pilot, model_id)
        await pilot.press("y")
        assert app.clipboard == model_id
        _severity, text = await wait_toast(pilot, "Copied model id")
        assert text == f"Copied model id\n{model_id}"
        await pilot.press("Y")
        curl = app.clipboard
        assert curl == (
            f"curl '{sandbox.base_url}/models/{model_id}?extended=true' "
            f"-H 'Authorization: Bearer {mask_key(sandbox.api_key)}'"
        )
        assert sandbox.api_key not in curl
        await wait_toast(pilot, "Copied curl command (key masked)")
        assert all(sandbox.api_key not in text for _, text in toasts(app))


async def test_a_model_deleted_on_the_server_shows_not_found(
    make_app: MakeApp, sandbox: SandboxInfo
) -> None:
    truth = await server_models(sandbox)
    model_id = truth[0]["id"]
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        models = app.screen
        assert isinstance(models, ModelsScreen)
        screen = await open_detail(pilot, model_id)
        await delete_model(sandbox, model_id)
        await pilot.press("ctrl+r")
        await settle(pilot)
        title = widget_text(screen.query_one("#detail-title")).strip()
        assert title == f"Model {model_id} was not found (deleted?)"
        _severity, text = await wait_toast(pilot, "Model not found", severity="error")
        assert text.startswith("Not found\nLoading model: Model not found")
        assert "code model_not_found · HTTP 404 · request req_" in text
        assert app.is_running
        assert app.screen is screen
        await pilot.press("escape")
        assert app.screen is models
        await pilot.press("ctrl+r")  # the table drops the model too
        await settle(pilot)
        assert models.table.row_of(model_id) is None
        assert models.table.row_count == len(truth) - 1
