from __future__ import annotations

import pytest

from kiosk.domain.config import Config, ConfigError, load_config, to_toml


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

    sample = Path(__file__).resolve().parents[2] / "docs" / "kiosk.example.toml"
    assert load_config(sample, env={}) == Config(), "regenerate docs/kiosk.example.toml"
    listed = {line.split(" = ")[0] for line in sample.read_text().splitlines() if " = " in line}
    every = {key for table in Config().as_dict().values() for key in table}
    assert listed == every, "docs/kiosk.example.toml must list every key"


# -- the fee account and the receipt printer ----------------------------------------------------

FEE_TOML = ('[fee]\nbank_bin = "970415"\naccount_number = "113000012345"\n'
            'account_name = "KHO BAC NHA NUOC QUAN 1"\n[devices]\nprinter = "EPSON_TM_T82"\n')


def test_fee_account_and_printer_from_file(tmp_path):
    file = tmp_path / "kiosk.toml"
    file.write_text(FEE_TOML)
    config = load_config(file, env={})
    assert (config.fee.bank_bin, config.fee.account_number, config.fee.account_name) == (
        "970415", "113000012345", "KHO BAC NHA NUOC QUAN 1")
    assert config.devices.printer == "EPSON_TM_T82"
    assert Config().fee.bank_bin == "" and Config().devices.printer == ""  # unset by default


def test_fee_account_and_printer_precedence(tmp_path):
    file = tmp_path / "kiosk.toml"
    file.write_text(FEE_TOML)
    env = {"KIOSK_FEE_ACCOUNT_NUMBER": "999", "KIOSK_DEVICES_PRINTER": "env-printer"}
    config = load_config(file, env=env, overrides={"devices.printer": "cli-printer"})
    assert config.fee.account_number == "999" and config.fee.bank_bin == "970415"
    assert config.devices.printer == "cli-printer"
    assert load_config(file, env=env).devices.printer == "env-printer"


@pytest.mark.parametrize(("key", "value", "message"), [
    ("bank_bin", '"97041"', "'fee.bank_bin' must be the bank's 6-digit NAPAS BIN"),
    ("bank_bin", '"97041A"', "'fee.bank_bin' must be the bank's 6-digit NAPAS BIN"),
    ("bank_bin", "970415", "[fee] bank_bin: expected text (in quotes)"),
    ("account_number", '"1130 0001"', "'fee.account_number' must be 1 to 19 letters or digits"),
    ("account_number", '"' + "1" * 20 + '"', "'fee.account_number' must be 1 to 19"),
    ("account_name", '"Kho bạc Nhà nước"', "'fee.account_name' must be capitals without accents"),
    ("account_name", '"kho bac"', "'fee.account_name' must be capitals"),
    ("account_name", '"' + "A" * 26 + '"', "at most 25 characters"),
    ("account_nmae", '"X"', "did you mean 'account_name'"),
])
def test_bad_fee_key_in_file_names_it(tmp_path, key, value, message):
    base = {"bank_bin": '"970415"', "account_number": '"113000012345"',
            "account_name": '"KHO BAC"'}
    base[key] = value
    file = tmp_path / "bad.toml"
    file.write_text("[fee]\n" + "".join(f"{k} = {v}\n" for k, v in base.items()))
    with pytest.raises(ConfigError) as caught:
        load_config(file, env={})
    assert message in str(caught.value) and str(file) in str(caught.value)


def test_half_a_fee_account_is_refused_naming_the_missing_keys(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(env={"KIOSK_FEE_BANK_BIN": "970415"})
    text = str(caught.value)
    assert "environment variable KIOSK_FEE_BANK_BIN" in text
    assert "'fee.account_number'" in text and "'fee.account_name'" in text


def test_bad_fee_and_printer_from_env_and_cli_name_the_source():
    with pytest.raises(ConfigError, match="environment variable KIOSK_FEE_BANK_BIN: 'fee.bank_bin'"):
        load_config(env={"KIOSK_FEE_BANK_BIN": "VCB", "KIOSK_FEE_ACCOUNT_NUMBER": "1",
                         "KIOSK_FEE_ACCOUNT_NAME": "A"})
    with pytest.raises(ConfigError, match="command-line option for devices.printer"):
        load_config(env={}, overrides={"devices.printer": " receipts "})
    with pytest.raises(ConfigError, match="'devices.printer'"):
        load_config(env={"KIOSK_DEVICES_PRINTER": "bad\nname"})
    with pytest.raises(ConfigError, match="command-line option for fee.account_name"):
        load_config(env={}, overrides={"fee.bank_bin": "970415", "fee.account_number": "1",
                                       "fee.account_name": "Đỗ"})


def test_fee_account_round_trips_through_toml_output(tmp_path):
    file = tmp_path / "kiosk.toml"
    file.write_text(FEE_TOML)
    config = load_config(file, env={})
    out = tmp_path / "out.toml"
    out.write_text(to_toml(config).replace('token = "***"', 'token = "demo-kiosk-token"'))
    assert load_config(out, env={}) == config


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(bank_bin=st.one_of(st.from_regex(r"[0-9]{6}", fullmatch=True), st.text(max_size=8)),
       account=st.one_of(st.from_regex(r"[0-9A-Za-z]{1,19}", fullmatch=True), st.text(max_size=21)),
       name=st.one_of(st.from_regex(r"[A-Z0-9][A-Z0-9 .,&()/-]{0,23}[A-Z0-9]", fullmatch=True),
                      st.text(max_size=27)))
def test_an_accepted_fee_account_always_makes_a_vietqr_a_bank_app_reads(bank_bin, account, name):
    """What the config lets through never breaks the fee QR at a citizen's turn: either the key is
    refused at start (naming it), or a dynamic VietQR with exactly that account comes out."""
    from devices.qr.vietqr import build_vietqr, parse_vietqr

    try:
        config = load_config(env={}, overrides={"fee.bank_bin": bank_bin,
                                                "fee.account_number": account,
                                                "fee.account_name": name})
    except ConfigError as exc:
        assert "fee." in str(exc) and "command-line option for fee." in str(exc)
        return
    if not config.fee.bank_bin:  # no account at all: fees are paid at the counter
        assert (bank_bin, account, name) == ("", "", "")
        return
    code = parse_vietqr(build_vietqr(config.fee.bank_bin, config.fee.account_number, amount=135_000,
                                     purpose="H12.22.10-261127-0001",
                                     merchant_name=config.fee.account_name))
    assert (code.bank_bin, code.account, code.merchant_name) == (bank_bin, account, name)


@pytest.mark.parametrize("key, value, wanted", [
    ("devices.escpos_printer", "lp0", "usb:/dev/usb/lp0"),
    ("devices.escpos_printer", "tcp:", "tcp:HOST:9100"),
    ("devices.scanner_usb_id", "0c2e-0b61", "vendor:product"),
    ("devices.scanner", "laser", "none, virtual, serial, hidpos, wedge"),
    ("devices.escpos_width_dots", 600, "576"),
    ("devices.scanner_baudrate", 0, "greater than 0"),
])
def test_scanner_and_printer_settings_are_checked_at_start(key, value, wanted):
    with pytest.raises(ConfigError) as info:
        load_config(env={}, overrides={key: value})
    assert key in str(info.value) and wanted in str(info.value)


def test_scanner_and_printer_settings_as_it_writes_them():
    config = load_config(env={"KIOSK_DEVICES_SCANNER": "serial",
                              "KIOSK_DEVICES_SCANNER_USB_ID": "0C2E:0B61",
                              "KIOSK_DEVICES_ESCPOS_PRINTER": "serial:/dev/ttyUSB0:38400"})
    devices = config.devices
    assert (devices.scanner, devices.scanner_usb_id) == ("serial", "0C2E:0B61")
    assert devices.escpos_printer == "serial:/dev/ttyUSB0:38400"
