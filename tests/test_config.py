from __future__ import annotations

import pytest

from kiosk.config import Config, ConfigError, load_config, to_toml


def test_defaults_are_demo_mode():
    config = load_config(env={})
    assert config == Config()
    assert config.portal.url == "embedded"
    assert config.devices.card_reader == "virtual"
    assert config.kiosk.language == "vi"


def test_precedence_argument_over_env_over_file_over_default(tmp_path):
    file = tmp_path / "kiosk.toml"
    file.write_text('[portal]\nread_timeout_s = 4\nconnect_timeout_s = 2\n[kiosk]\nkiosk_id = "F"\n')
    env = {"KIOSK_PORTAL_READ_TIMEOUT_S": "6", "KIOSK_KIOSK_KIOSK_ID": "E"}
    config = load_config(file, env=env, overrides={"kiosk.kiosk_id": "A"})
    assert config.portal.connect_timeout_s == 2.0  # file
    assert config.portal.read_timeout_s == 6.0  # env beats file
    assert config.kiosk.kiosk_id == "A"  # argument beats env
    assert config.sync.backoff_cap_s == 300.0  # default


def test_config_file_from_environment(tmp_path):
    file = tmp_path / "k.toml"
    file.write_text("[ui]\ntheme = 'contrast'\n")
    assert load_config(env={"KIOSK_CONFIG": str(file)}).ui.theme == "contrast"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[portal]\nread_timeout_s = 'soon'\n", "[portal] read_timeout_s: expected a number"),
        ("[portal]\nreadtimeout_s = 3\n", "did you mean 'read_timeout_s'"),
        ("[portl]\nurl = 'x'\n", "unknown section [portl]"),
        ("[ui]\ntheme = 'pink'\n", "must be one of normal, large, contrast"),
        ("[sync]\nbackoff_cap_s = -1\n", "must be greater than 0"),
        ("[portal]\nurl = 'ftp://x'\n", "must be 'embedded' or an http(s):// URL"),
        ("[kiosk]\nfullscreen = 'maybe'\n", "expected true or false"),
        ("[portal\nurl=", "is not valid TOML"),
    ],
)
def test_bad_file_names_the_key(tmp_path, text, message):
    file = tmp_path / "bad.toml"
    file.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        load_config(file, env={})


def test_bad_environment_names_the_variable():
    with pytest.raises(ConfigError, match="KIOSK_SYNC_BACKOFF_BASE_S"):
        load_config(env={"KIOSK_SYNC_BACKOFF_BASE_S": "fast"})
    with pytest.raises(ConfigError, match="unknown section 'portel'"):
        load_config(env={"KIOSK_PORTEL_URL": "http://x"})


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", env={})


def test_toml_output_masks_token_and_round_trips(tmp_path):
    config = load_config(env={"KIOSK_PORTAL_TOKEN": "s3cret", "KIOSK_KIOSK_FULLSCREEN": "no"})
    text = to_toml(config)
    assert "s3cret" not in text
    file = tmp_path / "out.toml"
    file.write_text(text.replace('token = "***"', 'token = "s3cret"'))
    assert load_config(file, env={}) == config


def test_sample_config_in_docs_is_current():
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "docs" / "kiosk.example.toml"
    assert load_config(sample, env={}) == Config(), "regenerate docs/kiosk.example.toml"
    listed = {line.split(" = ")[0] for line in sample.read_text().splitlines() if " = " in line}
    every = {key for table in Config().as_dict().values() for key in table}
    assert listed == every, "docs/kiosk.example.toml must list every key"
