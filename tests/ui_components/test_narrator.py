"""Read-aloud reaches the engine (Qt's mock engine) and never breaks without one."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtTextToSpeech import QTextToSpeech

from ui.speech import Narrator

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("pipewire")]

Ready, Speaking = QTextToSpeech.State.Ready, QTextToSpeech.State.Speaking


@pytest.fixture
def narrator(qapp):
    if "mock" not in QTextToSpeech.availableEngines():
        pytest.skip("Qt's mock text-to-speech plugin is not installed")
    made = Narrator("mock", language="en")
    assert made.available
    yield made
    made.stop()
    made.deleteLater()


def test_say_reaches_the_engine_and_finishes(qtbot, narrator):
    engine = narrator.engine
    with qtbot.waitSignal(narrator.said) as said, \
            qtbot.waitSignal(engine.stateChanged, check_params_cb=lambda s: s == Speaking):
        assert narrator.say("Please  place your card\non the reader.")
    assert said.args == ["Please place your card on the reader."]
    qtbot.waitUntil(lambda: engine.state() == Ready, timeout=10_000)


def test_stop_interrupts(qtbot, narrator):
    engine = narrator.engine
    with qtbot.waitSignal(engine.stateChanged, check_params_cb=lambda s: s == Speaking):
        narrator.say("A long sentence with many words to read aloud slowly for the citizen.")
    with qtbot.waitSignal(narrator.stopped), \
            qtbot.waitSignal(engine.stateChanged, check_params_cb=lambda s: s == Ready):
        narrator.stop()


def test_disabled_narrator_says_nothing(qtbot, narrator):
    with qtbot.waitSignal(narrator.enabled_changed) as changed:
        narrator.enabled = False
    assert changed.args == [False]
    with qtbot.assertNotEmitted(narrator.said), \
            qtbot.assertNotEmitted(narrator.engine.stateChanged):
        assert not narrator.say("Hello")
    narrator.enabled = True
    assert narrator.say("Hello")
    qtbot.waitUntil(lambda: narrator.engine.state() == Ready, timeout=10_000)


def test_language_picks_a_locale_when_the_engine_has_one(narrator, caplog):
    assert narrator.set_language("en")
    assert narrator.engine.locale().language() == narrator.engine.locale().Language.English
    with caplog.at_level(logging.INFO, logger="ui.speech"):
        assert not narrator.set_language("vi")  # the mock engine has no Vietnamese voice
    assert "no 'vi' voice" in caplog.text
    assert narrator.language == "vi" and narrator.say("Xin chào ông bà")


def test_no_engine_is_quiet_and_safe(qtbot, caplog):
    with caplog.at_level(logging.INFO, logger="ui.speech"):
        narrator = Narrator(None)
    assert not narrator.available and "Read-aloud is off" in caplog.text
    with qtbot.assertNotEmitted(narrator.said):
        assert not narrator.say("Hello")
    narrator.stop()
    assert not narrator.set_language("en")


def test_an_engine_that_is_not_installed_disables_reading(qtbot, caplog):
    with caplog.at_level(logging.WARNING, logger="ui.speech"):
        narrator = Narrator("no-such-engine")
    assert not narrator.available and "not installed" in caplog.text
    assert not narrator.say("Hello")


@pytest.mark.qt_log_ignore("text-to-speech", "speechd")
def test_default_engine_never_crashes(qtbot):
    narrator = Narrator()  # speechd when listed; here without its daemon it is disabled, not broken
    assert narrator.engine_name in ("speechd", None)
    narrator.say("Xin chào")
    narrator.stop()


def test_a_deferred_engine_starts_only_when_asked(qtbot):
    narrator = Narrator("mock", language="en", deferred=True)
    assert not narrator.available and not narrator.say("Hello")  # not before start()
    with qtbot.waitSignal(narrator.available_changed, timeout=10_000) as blocker:
        narrator.start()
    assert blocker.args == [True] and narrator.available
    with qtbot.waitSignal(narrator.said):
        assert narrator.say("Hello")
    narrator.start()  # a second start does nothing
