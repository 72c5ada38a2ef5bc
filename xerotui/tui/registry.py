"""The screens whose keys the README documents, in reading order."""

from __future__ import annotations

from textual.dom import DOMNode

from xerotui.tui.screens.api_log import ApiLogScreen
from xerotui.tui.screens.base import XeroScreen
from xerotui.tui.screens.chat_options import ChatOptionsScreen
from xerotui.tui.screens.chat_stored import ChatStoredScreen
from xerotui.tui.screens.connection import ConnectionScreen
from xerotui.tui.screens.connection_problem import ConnectionProblemScreen
from xerotui.tui.screens.first_run import FirstRunScreen
from xerotui.tui.screens.help import HelpScreen
from xerotui.tui.screens.jobs import JobsScreen
from xerotui.tui.screens.model_detail import ModelDetailScreen
from xerotui.tui.screens.models import ModelsScreen
from xerotui.tui.screens.overview import OverviewScreen
from xerotui.tui.screens.scope import ScopeScreen
from xerotui.tui.screens.version_create import CreateVersionScreen
from xerotui.tui.screens.version_rollback import RollbackScreen
from xerotui.tui.screens.versions import VersionsScreen
from xerotui.tui.widgets.chat_dock import ChatDock
from xerotui.tui.widgets.chat_endpoint_picker import ChatEndpointPicker
from xerotui.tui.widgets.chat_input import ChatInput
from xerotui.tui.widgets.chat_transcript import ChatTranscript
from xerotui.tui.widgets.jobs_table import JobsTable
from xerotui.tui.widgets.model_grid import ModelGrid

SCREENS: tuple[tuple[str, type[DOMNode]], ...] = (
    ("Models (g l)", ModelsScreen),
    ("Model table", ModelGrid),
    ("Model detail (enter, g d)", ModelDetailScreen),
    ("Overview (g o)", OverviewScreen),
    ("Connection (g b)", ConnectionScreen),
    ("API log (g e)", ApiLogScreen),
    ("Scope table (g t)", ScopeScreen),
    ("Every screen", XeroScreen),
    ("Chat pane (g i)", ChatDock),
    ("Chat prompt", ChatInput),
    ("Chat messages (tab from the prompt)", ChatTranscript),
    ("Chat endpoint choice", ChatEndpointPicker),
    ("Chat options (ctrl+t)", ChatOptionsScreen),
    ("Stored completions (s on the messages)", ChatStoredScreen),
    ("Help (?)", HelpScreen),
    ("First run", FirstRunScreen),
    ("Connection problem", ConnectionProblemScreen),
    ("Jobs (g j)", JobsScreen),
    ("Jobs table", JobsTable),
    ("Versions (v, g v)", VersionsScreen),
    ("New version form", CreateVersionScreen),
    ("Rollback form", RollbackScreen),
)
