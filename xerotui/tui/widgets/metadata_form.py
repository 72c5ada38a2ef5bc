"""MetadataForm: every PATCH field of a model, grouped, built from the field specs.

Presentational: it is given a model, shows its values, checks what is typed as it is typed
(numbers are positive integers, choices come from the documented lists), and reports which
fields changed. The screen sends them and puts the server's refusals back on their fields.
Nothing here is written per field: the form follows `schema.METADATA_FIELDS`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.validation import Integer, Length, ValidationResult
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from xerotui.api.model_fields import GROUPS, Field
from xerotui.api.schema import METADATA_FIELDS, Model
from xerotui.tui.safety import SafeDispatch
from xerotui.tui.sanitize import clean, one_line

UNSET = "(unset)"


def field_value(model: Model, field: Field) -> Any:
    return getattr(model, field.name)


def shown(value: object) -> str:
    """A value as the diff and the form show it."""
    if value is None:
        return UNSET
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return one_line(str(value), '""', limit=80)


class MetadataForm(SafeDispatch, VerticalScroll):
    DEFAULT_CSS = """
    MetadataForm {
        height: 1fr;
        padding: 0 1;
    }
    MetadataForm .form-group {
        height: auto;
        margin-bottom: 1;
    }
    MetadataForm .form-group-title {
        text-style: bold;
        color: $primary;
    }
    MetadataForm .form-row {
        height: auto;
    }
    MetadataForm .form-label {
        width: 26;
        padding: 0 1 0 0;
    }
    MetadataForm .form-input {
        width: 1fr;
    }
    MetadataForm Input.form-input {
        background: $boost;
    }
    MetadataForm .form-row {
        margin-bottom: 1;
    }
    MetadataForm .form-error {
        color: $error;
        padding-left: 26;
        height: auto;
    }
    MetadataForm .form-error.-empty {
        display: none;
    }
    """

    def __init__(self, model: Model, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = model

    def compose(self) -> ComposeResult:
        for group in GROUPS:
            with Vertical(classes="form-group"):
                yield Static(group, classes="form-group-title")
                for field in METADATA_FIELDS:
                    if field.spec.group == group:
                        yield from self._row(field)

    def _row(self, field: Field) -> ComposeResult:
        spec = field.spec
        label = spec.label + (f" ({spec.unit})" if spec.unit else "")
        with Horizontal(classes="form-row"):
            yield Label(label, classes="form-label")
            yield self._input(field)
        yield Static(id=f"error-{field.name}", classes="form-error -empty")

    def _input(self, field: Field) -> Widget:
        value = field_value(self.model, field)
        ident = f"field-{field.name}"
        if field.kind == "bool":
            return Checkbox("", bool(value), id=ident, classes="form-input", compact=True)
        if field.kind == "choice":
            options = [(str(c), c) for c in field.spec.choices]
            if value is not None and value not in field.spec.choices:
                options.append((f"{one_line(str(value))} (current, not a documented value)", value))
            return Select(
                options,
                value=value if value is not None else Select.NULL,
                prompt=UNSET,
                allow_blank=True,
                id=ident,
                classes="form-input",
                compact=True,
            )
        text = "" if value is None else clean(str(value))
        if field.kind == "int":
            top = field.spec.maximum or 2**63 - 1
            return Input(
                text,
                type="integer",
                validators=[
                    Integer(
                        minimum=1,
                        maximum=field.spec.maximum,
                        failure_description=f"a whole number from 1 to {top:,}",
                    )
                ],
                placeholder="a whole number above 0"
                + (f", {field.spec.unit}" if field.spec.unit else ""),
                id=ident,
                classes="form-input",
                compact=True,
            )
        limit = field.spec.max_length
        return Input(
            text,
            placeholder=field.spec.help,
            validators=[Length(maximum=limit)] if limit else [],
            max_length=limit or 0,
            id=ident,
            classes="form-input",
            compact=True,
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        """Checked as typed: the reason shows under the field at once."""
        name = (event.input.id or "").removeprefix("field-")
        result = event.validation_result
        if result is None or result.is_valid:
            self._set_error(name, "")
        else:
            self._set_error(name, "; ".join(result.failure_descriptions))

    def _set_error(self, name: str, message: str) -> None:
        for note in self.query(f"#error-{name}"):
            if isinstance(note, Static):
                note.update(Text(clean(message)))
                note.set_class(not message, "-empty")

    # ------------------------------------------------------------------ reading

    def raw(self, field: Field) -> Any:
        """What the field holds now, in the field's type (None: unset / left empty)."""
        widget = self.query_one(f"#field-{field.name}")
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        assert isinstance(widget, Input)
        text = widget.value
        if field.kind == "int":
            return int(text) if text.strip().lstrip("-").isdigit() else text or None
        return text

    def changes(self) -> dict[str, Any]:
        """The fields the user changed (only these are sent). A text field is compared with
        what the form first showed — the server's text made safe to show — so a text holding
        control characters is not "changed" (and rewritten) by merely opening the form."""
        changed: dict[str, Any] = {}
        for field in METADATA_FIELDS:
            before = field_value(self.model, field)
            after = self.raw(field)
            if field.kind == "bool" and before is None and after is False:
                continue  # unset and unticked: nothing to send
            if field.kind != "text" and after is None:
                continue  # a number or a choice cannot be unset through PATCH
            if field.kind == "text":
                shown = "" if before is None else clean(str(before))
                if after != shown:
                    changed[field.name] = after
            elif after != before:
                changed[field.name] = after
        return changed

    def problems(self) -> dict[str, str]:
        """Fields whose value cannot be sent as typed (checked before anything is sent)."""
        found: dict[str, str] = {}
        for field in METADATA_FIELDS:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Input) and widget.value:
                result: ValidationResult | None = widget.validate(widget.value)
                if result is not None and not result.is_valid:
                    found[field.name] = "; ".join(result.failure_descriptions)
        return found

    # ------------------------------------------------------------------ errors

    def show_error(self, name: str, message: str) -> bool:
        """Put `message` under field `name` and focus it; False when there is no such field."""
        if not self.query(f"#error-{name}"):
            return False
        self._set_error(name, message)
        widget = self.query_one(f"#field-{name}")
        widget.focus()
        self.scroll_to_widget(widget)
        return True

    def clear_errors(self) -> None:
        for field in METADATA_FIELDS:
            self._set_error(field.name, "")
