"""Model detail (`enter`, `g d`): every field of the seed's detail view, capabilities, JSON.

Every value came from the server: it is sanitised and never read as markup, and a value that
cannot be shown shows as `?`. A long description is cut at 120 characters as xeroctl does;
`f` shows all of it in a viewer that costs only what is on screen, whatever its size."""

from __future__ import annotations

import json

from rich.console import RenderableType
from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from xerotui.api.errors import NotFoundError, XeroError
from xerotui.api.schema import Model
from xerotui.tui.errors import report
from xerotui.tui.format import (
    context_text,
    datetime_text,
    human_count,
    or_unknown,
    status_text,
    yes_no,
)
from xerotui.tui.jobs_store import overlay
from xerotui.tui.model_feed import FeedUpdate
from xerotui.tui.sanitize import clean, one_line
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.widgets.field_list import FieldList, Row
from xerotui.tui.widgets.text_viewer import TextViewer

DESCRIPTION_LIMIT = 120
SYNTAX_LIMIT = 50_000
"""JSON up to this many characters is coloured; beyond, it is shown plain (and lazily)."""

# Extended fields beyond the seed's detail view: label and how to show the value.
MORE_FIELDS: tuple[tuple[str, str], ...] = (
    ("license", "License"),
    ("hidden_size", "Hidden Size"),
    ("num_layers", "Layers"),
    ("vocab_size", "Vocab Size"),
    ("torch_dtype", "Torch dtype"),
    ("num_experts", "Experts"),
    ("num_experts_per_tok", "Experts / token"),
    ("pre_quantized", "Pre-quantized"),
    ("pre_quantization_method", "Pre-quant method"),
    ("pre_quantization_bits", "Pre-quant bits"),
)


def _value(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        return f"{value:,}"
    return one_line(str(value))


class ModelDetailScreen(XeroScreen):
    """One model, fetched with `extended=true`; the list's copy is shown while it loads."""

    TITLE = "Model detail"
    DEFAULT_CSS = """
    ModelDetailScreen #detail-title {
        height: 1;
        padding: 0 1;
        margin: 1 0 0 0;
    }
    ModelDetailScreen #detail-body {
        height: 1fr;
    }
    ModelDetailScreen #detail-main {
        width: 2fr;
        padding: 1 1;
    }
    ModelDetailScreen #detail-side {
        width: 1fr;
        min-width: 34;
    }
    ModelDetailScreen #detail-capabilities {
        height: auto;
        min-height: 3;
    }
    ModelDetailScreen #detail-json, ModelDetailScreen #detail-text {
        height: 1fr;
        padding: 0 1;
    }
    """
    MODE = "models"
    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("q", "back", "Back", id="detail.q", show=False),
        Binding("f", "full", "Full description", id="detail.full"),
        Binding("j", "json", "JSON", id="detail.json"),
        Binding("y", "copy_id", "Copy id", id="detail.copy_id"),
        Binding("Y", "copy_curl", "Copy curl", id="detail.copy_curl"),
        Binding(
            "ctrl+y",
            "copy_curl(True)",
            "Curl with key",
            id="detail.copy_curl_key",
            show=False,
        ),
        Binding("ctrl+r", "reload", "Reload", id="detail.reload"),
        Binding("e", "act('edit')", "Edit", id="detail.edit"),
        Binding("d", "act('delete')", "Delete", id="detail.delete"),
        Binding("s", "act('share')", "Share", id="detail.share", show=False),
        Binding("n", "act('unshare')", "Unshare", id="detail.unshare", show=False),
        Binding("c", "act('catalog')", "Catalog", id="detail.catalog", show=False),
        Binding("p", "act('probe')", "Probe", id="detail.probe", show=False),
        Binding("k", "act('capabilities')", "Capabilities", id="detail.capabilities", show=False),
        Binding("r", "revalidate", "Revalidate", id="detail.revalidate"),
        Binding("v", "versions", "Versions", id="detail.versions"),
    ]

    def __init__(self, model_id: str) -> None:
        super().__init__()
        self.model_id = model_id
        self.model: Model | None = None
        self.full = False
        self.raw = False
        self.loaded = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="detail-title")
        with Horizontal(id="detail-body"):
            with VerticalScroll(id="detail-main"):
                yield FieldList(id="detail-fields")
            with Vertical(id="detail-side"):
                yield Static(id="detail-capabilities", classes="panel")
                yield FieldList(id="detail-more", classes="panel")
        with VerticalScroll(id="detail-json"):
            yield Static(id="detail-json-body")
        yield TextViewer(id="detail-text", classes="panel")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#detail-json").display = False
        self.query_one("#detail-text").display = False
        self.query_one("#detail-capabilities").border_title = "Capabilities"
        self.query_one("#detail-more").border_title = "More"
        self.model = self.session.inventory.get(self.model_id)
        self.host.feed.changed.subscribe(self, self._on_feed)
        self.redraw()
        self.load()

    def _on_feed(self, update: FeedUpdate) -> None:
        """Deleted (here, by a bulk delete or elsewhere): close. A fresher copy reached the
        feed (an edit, a share, a watch's poll, a promote): take the fields it carries, keep
        the extended ones it does not (a list item has no description)."""
        if self.model_id in update.removed:
            if self.is_current:
                self.dismiss()
            return
        if self.model is None or self.model_id not in update.updated | update.changed.keys():
            return
        fresh = self.session.inventory.get(self.model_id)
        merged = overlay(self.model, fresh) if fresh is not None else None
        if merged is not None:
            self.model = merged
            self.redraw()

    @work(group="detail", exclusive=True, exit_on_error=False, description="Loading model")
    async def load(self) -> None:
        try:
            model = await self.session.client.get_model(self.model_id, extended=True)
        except NotFoundError as error:
            self.query_one("#detail-title", Static).update(
                Text(f"Model {self.model_id} was not found (deleted?)", style="bold red")
            )
            report(self, error, doing="Loading model")
            return
        except XeroError as error:
            report(self, error, doing="Loading model")
            return
        self.model, self.loaded = model, True
        self.host.feed.merge(model)
        self.redraw()
        self.refresh_bindings()

    def redraw(self) -> None:
        model = self.model
        title = self.query_one("#detail-title", Static)
        if model is None:
            title.update(Text(f"Loading {one_line(self.model_id)}…", style="dim"))
            return
        heading = Text.assemble((one_line(model.name or model.id), "bold"), "  ")
        heading.append_text(status_text(model.status))
        if not self.loaded:
            heading.append("  loading details…", style="dim")
        title.update(heading)
        self.query_one("#detail-fields", FieldList).show(self.rows(model))
        caps = [f"◆ {one_line(c)}" for c in (model.capabilities or [])[:200]]
        self.query_one("#detail-capabilities", Static).update(
            Text("\n".join(caps), style="cyan") if caps else Text("-", "dim")
        )
        self.query_one("#detail-more", FieldList).show(self.more_rows(model), label_width=16)
        if self.raw:
            self.show_json(model)
        if self.full:
            self.show_description(model)

    def show_description(self, model: Model) -> None:
        viewer = self.query_one(TextViewer)
        viewer.set_text(clean(model.description or "-"))
        size = len(model.description or "")
        viewer.border_title = f"Description · {size:,} characters · esc back"

    def show_json(self, model: Model) -> None:
        body = clean(json.dumps(model.wire(), indent=2, ensure_ascii=False))
        plain = len(body) > SYNTAX_LIMIT
        if plain:
            self.query_one(TextViewer).set_text(body)
            self.query_one(TextViewer).border_title = f"JSON · {len(body):,} characters"
        else:
            self.query_one("#detail-json-body", Static).update(
                Syntax(body, "json", theme="ansi_dark", background_color="default", word_wrap=True)
            )
        self.show_view("text" if plain else "json")

    def show_view(self, view: str) -> None:
        """One of "fields", "json" (coloured) or "text" (the viewer: description, big JSON)."""
        self.query_one("#detail-body").display = view == "fields"
        self.query_one("#detail-json").display = view == "json"
        self.query_one("#detail-text").display = view == "text"
        if view == "text":  # scroll keys (pageup, end, ...) go to the viewer
            self.query_one(TextViewer).focus()

    def description(self, model: Model) -> RenderableType:
        text = model.description
        if not text:
            return Text("-", style="dim")
        if len(text) <= DESCRIPTION_LIMIT:
            return Text(clean(text))
        cut = Text(one_line(text, limit=DESCRIPTION_LIMIT + 1))
        cut.append(f"  f: all {len(text):,} characters", style="dim italic")
        return cut

    def rows(self, model: Model) -> list[Row]:
        size = one_line(model.size_formatted)
        if model.size_bytes is not None:
            size = f"{size}  ({model.size_bytes:,} bytes)"
        params = "-"
        if model.parameter_count is not None:
            params = f"{model.parameter_count:,}  ({human_count(model.parameter_count)})"
        context = "-"
        if model.context_length is not None:
            context = f"{model.context_length:,}  ({context_text(model.context_length)})"
        return [
            ("ID", one_line(model.id)),
            ("Name", one_line(model.name)),
            ("Created", or_unknown(datetime_text, model.created)),
            ("Owner", one_line(model.owned_by)),
            ("Format", one_line(model.format)),
            ("Size", size),
            ("Status", status_text(model.status)),
            ("Version", one_line(model.version)),
            ("Is Latest", yes_no(model.is_latest)),
            ("Description", self.description(model)),
            ("Architecture", one_line(model.architecture)),
            ("Quantization", one_line(model.quantization)),
            ("Context Length", context),
            ("Parameters", params),
            ("Workload Type", one_line(model.workload_type)),
            ("Shared", yes_no(model.is_shared)),
        ]

    @staticmethod
    def more_rows(model: Model) -> list[Row]:
        rows: list[Row] = [(label, _value(getattr(model, key))) for key, label in MORE_FIELDS]
        for key, value in list((model.model_extra or {}).items())[:50]:
            rows.append((one_line(key, limit=30), _value(value)))
        return rows

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "full":
            text = self.model.description if self.model else None
            return True if text and len(text) > DESCRIPTION_LIMIT else None
        return True

    def action_back(self) -> None:
        if self.full or self.raw:  # back to the fields first
            self.full = self.raw = False
            self.show_view("fields")
            self.refresh_bindings()
        else:
            self.dismiss()

    def action_full(self) -> None:
        self.full, self.raw = not self.full, False
        if self.full and self.model is not None:
            self.show_description(self.model)
        self.show_view("text" if self.full else "fields")
        self.refresh_bindings()

    def action_json(self) -> None:
        self.raw, self.full = not self.raw, False
        if self.raw and self.model is not None:
            self.show_json(self.model)
        else:
            self.show_view("fields")

    def action_reload(self) -> None:
        self.load()

    def action_act(self, name: str) -> None:
        """A model action on this model (not on the table's marks)."""
        actions = self.host.actions
        if name in ("delete", "share", "unshare"):
            getattr(actions, name)([self.model_id])
        else:
            getattr(actions, name)(self.model_id)

    def action_copy_id(self) -> None:
        self.host.copy(self.model_id, what="model id")

    def action_copy_curl(self, with_key: bool = False) -> None:
        self.host.actions.copy_curl(self.model_id, with_key=with_key)

    def action_revalidate(self) -> None:
        self.host.jobs.revalidate.one(self.model_id)

    def action_versions(self) -> None:
        self.host.open_versions(self.model_id)
