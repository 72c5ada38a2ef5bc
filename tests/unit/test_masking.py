"""Masking an API key: literal expected strings (never `mask_key()` against itself), the
short-key rule, the project the client knows, and the leak helper the other tests use."""

from __future__ import annotations

import pytest
from key_leaks import assert_no_secret_run, secret_runs

from xerotui.api.masking import curl_command, key_prefix, key_secret, mask_key, mask_key_for

ISSUE_KEY = "xero_proj_demo_my_very_secret_value_Q9"
DOCS_KEY = "xero_myproject_your_api_key"


@pytest.mark.parametrize(
    ("key", "project", "masked"),
    [
        # the two outputs issue 7 quotes (then: ..._value_•••• and ..._your_api_••••)
        (ISSUE_KEY, "proj_demo", "xero_proj_demo_••••e_Q9"),
        (ISSUE_KEY, None, "xero_proj_demo_••••e_Q9"),
        (DOCS_KEY, None, "xero_myproject_••••_key"),
        (DOCS_KEY, "proj_ABC123", "xero_myproject_••••_key"),  # URL id differs from the slug
        # project parts with '_' and '-'
        ("xero_my-project_abc123", None, "xero_my-project_••••23"),
        ("xero_acme-prod_AbC123xyz789", "acme-prod", "xero_acme-prod_••••z789"),
        ("xero_acme_prod_AbC123xyz789", "acme_prod", "xero_acme_prod_••••z789"),
        ("xero_acme_prod_AbC123xyz789", None, "xero_acme_••••z789"),  # unknown: first segment
        ("xero_ws_0123abcd_Zz9_secretvalue", None, "xero_ws_0123abcd_••••alue"),
        ("xero_proj_demo_sandbox-member-key", None, "xero_proj_demo_••••-key"),
        ("xero_proj_other_sandbox-other-key", "proj_other", "xero_proj_other_••••-key"),
        # the short-key rule: at most 4 shown, at most a third of the secret
        ("xero_p_abcdefghijkl", None, "xero_p_••••ijkl"),  # 12 -> 4
        ("xero_p_abcdefgh", None, "xero_p_••••gh"),  # 8 -> 2
        ("xero_p_abcde", None, "xero_p_••••e"),  # 5 -> 1
        ("xero_p_ab", None, "xero_p_••••"),  # 2 -> 0
        # no xero_ shape: all of it is secret
        ("sk-abcdefghijklmnop", None, "••••mnop"),
        ("short", None, "••••t"),
        ("xero_", None, "••••_"),
        ("xero_proj_demo_", "proj_demo", "••••emo_"),  # nothing after the prefix
        ("", None, "(none)"),
        (None, None, "(none)"),
    ],
)
def test_mask_key(key: str | None, project: str | None, masked: str) -> None:
    assert mask_key(key, project) == masked


def test_prefix_and_secret() -> None:
    assert key_prefix(ISSUE_KEY, "proj_demo") == "xero_proj_demo_"
    assert key_secret(ISSUE_KEY, "proj_demo") == "my_very_secret_value_Q9"
    assert key_prefix(DOCS_KEY) == "xero_myproject_"
    assert key_secret(DOCS_KEY) == "your_api_key"
    assert key_prefix("xero_other_abcdefgh", "proj_demo") == "xero_other_"


def test_mask_key_for_a_base_url() -> None:
    url = "https://api.xerotier.ai/acme_prod/v1"
    assert mask_key_for("xero_acme_prod_AbC123xyz789", url) == "xero_acme_prod_••••z789"
    assert mask_key_for("xero_acme_prod_AbC123xyz789", "not a url") == "xero_acme_••••z789"
    assert mask_key_for(None, url) == "(none)"


def test_curl_command_masks_with_the_project() -> None:
    curl = curl_command(
        "PATCH",
        "https://h/acme_prod/v1/models/m",
        "xero_acme_prod_AbC123xyz789",
        {"description": "x"},
        project="acme_prod",
    )
    assert curl == (
        "curl -X PATCH https://h/acme_prod/v1/models/m "
        "-H 'Authorization: Bearer xero_acme_prod_••••z789' "
        "-H 'Content-Type: application/json' -d '{\"description\":\"x\"}'"
    )


@pytest.mark.parametrize(
    "key",
    [ISSUE_KEY, DOCS_KEY, "xero_my-project_abc123defg", "xero_a_b_c_d_e_f_g_h_i_j_k_l_m_n"],
)
def test_no_masked_key_shows_five_secret_characters(key: str) -> None:
    assert_no_secret_run(mask_key(key), key_secret(key))


def test_the_leak_helper_finds_runs_and_passes_masks() -> None:
    secret = key_secret(ISSUE_KEY, "proj_demo")
    assert secret_runs("…value_••••", secret) == ["alue_", "value"]
    assert secret_runs("xero_proj_demo_••••e_Q9", secret) == []
    assert secret_runs("xero_proj_demo_my_very_secret_value_••••", secret)  # the old mask
    with pytest.raises(AssertionError, match="leak"):
        assert_no_secret_run("key: xero_myproject_your_api_••••", "your_api_key")
    assert_no_secret_run("key: xero_myproject_••••_key", "your_api_key")
