"""The document-photo step through the real window: an attachment field of temporary residence
registration (1.004194), the document camera in "document" mode (virtual camera showing a synthetic,
perspective-warped photo of a printed page), processing on the worker, retake / add page / remove,
"no page found", no camera at all, and the session's end leaving no picture behind."""

from __future__ import annotations

import datetime as dt

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

from kiosk.domain.flow import Step
from test_ui_journey import choose, click, identify_with_card
from ui_helpers import close_window, finish_form, make_config, show_page_of, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

TEMPORARY_RESIDENCE = "1.004194"
PHOTO_SIZE = (1280, 960)  # the synthetic photo; the idle virtual camera shows 640 x 480


def page_photo(seed: int = 0, size: tuple[int, int] = PHOTO_SIZE) -> np.ndarray:
    """A white page with black text lines lying on a dark, grainy table, photographed at a slant."""
    rng = np.random.default_rng(seed)
    page_w, page_h = 630, 891
    page = np.full((page_h, page_w, 3), 238, np.uint8)
    for y in range(70, page_h - 80, 34):
        cv2.rectangle(page, (60, y), (int(rng.integers(page_w // 2, page_w - 60)), y + 12),
                      (20, 20, 20), -1)
    width, height = size
    scene = np.full((height, width, 3), (48, 42, 38), np.uint8)
    scene = cv2.add(scene, rng.integers(0, 12, scene.shape, dtype=np.uint8))
    corners = np.float32([[420, 90], [870, 120], [905, 860], [380, 830]])
    corners += rng.uniform(-15, 15, corners.shape).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(
        np.float32([[0, 0], [page_w, 0], [page_w, page_h], [0, page_h]]), corners)
    warped = cv2.warpPerspective(page, matrix, (width, height))
    inside = cv2.warpPerspective(np.full((page_h, page_w), 255, np.uint8), matrix, (width, height))
    scene[inside > 0] = warped[inside > 0]
    return scene


def open_form(qtbot, window, services, profile):
    window.set_language("en")  # the English sources: the Vietnamese catalogue may lag behind
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, TEMPORARY_RESIDENCE)
    form = window.screens[Step.FORM]
    assert form.rows["full_name"].editor.value() == profile.full_name  # from the chip
    return form


def wait_for_shown(qtbot, window, size: tuple[int, int]) -> None:
    """Until the newest frame the bridge holds is the picture in front of the camera."""
    qtbot.waitUntil(lambda: (frame := window.camera_bridge.latest_frame()) is not None
                    and frame.image.shape[1::-1] == size, timeout=10_000)


def photograph(qtbot, window, image: np.ndarray | None) -> None:
    """Put ``image`` (None: nothing) in front of the camera and press "Take photo"."""
    camera, screen = window.services.camera, window.document_screen
    if image is None:
        camera.clear()
        wait_for_shown(qtbot, window, (640, 480))
    else:
        camera.show(image)
        wait_for_shown(qtbot, window, image.shape[1::-1])
    assert screen.state == "live"
    click(qtbot, screen.primary_button)
    assert screen.state == "busy"  # processed on the worker; the GUI answers meanwhile
    qtbot.waitUntil(lambda: screen.state != "busy", timeout=15_000)


def open_camera_for(qtbot, window, form, field_id: str) -> None:
    if not form.rows[field_id].cell.isVisible():
        show_page_of(form, field_id)
    editor = form.rows[field_id].editor
    click(qtbot, editor.retake_button if editor.has_document else editor.take_button)
    assert window.stack.currentWidget() is window.document_screen
    assert window.camera_bridge.mode == "document"
    assert form.rows[field_id].field.label.get("en") in window.document_screen.title.text()


def pixmaps_in(root) -> dict[int, int]:
    return {id(w): w.pixmap().cacheKey() for w in root.findChildren(QLabel)
            if isinstance(w.pixmap(), QPixmap) and not w.pixmap().isNull()}


def test_photo_retake_add_page_use_and_remove(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile)
    show_page_of(form, "housing")
    click(qtbot, form.rows["housing"].editor.buttons["rented"])
    editor = form.rows["rental_contract"].editor
    assert editor.take_button.isVisible() and not editor.thumbnail.isVisible()
    assert editor.take_button.height() >= 48 and editor.value() == ""
    open_camera_for(qtbot, window, form, "rental_contract")
    screen = window.document_screen
    assert screen.preview.isVisible()

    photograph(qtbot, window, page_photo(1))
    assert screen.state == "review" and screen.pages == 1
    first_size = screen.document_size
    assert not screen.page_view.pixmap().isNull()
    assert "1" in screen.info.text() and "KB" in screen.info.text()
    for action in (screen.retake_button, screen.add_page_button, screen.primary_button):
        assert action.isVisible() and action.height() >= 48

    click(qtbot, screen.retake_button)  # this page again
    assert screen.state == "live" and screen.pages == 0 and screen.page_view.pixmap().isNull()
    photograph(qtbot, window, page_photo(2))
    assert screen.state == "review" and screen.pages == 1
    click(qtbot, screen.add_page_button)
    photograph(qtbot, window, page_photo(3))
    assert screen.state == "review" and screen.pages == 2 and screen.document_size > first_size

    click(qtbot, screen.primary_button)  # "Use this photo"
    assert window.stack.currentWidget() is form and window.flow.step is Step.FORM
    assert window.camera_bridge.mode == "off"
    qtbot.waitUntil(lambda: window.camera_bridge.latest_frame() is None, timeout=5000)
    assert screen.pages == 0 and screen.page_view.pixmap().isNull()
    photo = window.flow.attachments["rental_contract"]
    assert photo.data.startswith(b"%PDF-") and photo.pages == 2
    assert editor.value() == photo.sha256 == window.flow.answers["rental_contract"]
    assert editor.thumbnail.isVisible() and not editor.thumbnail.pixmap().isNull()
    assert "2" in editor.info.text() and not editor.take_button.isVisible()

    click(qtbot, editor.remove_button)
    assert "rental_contract" not in window.flow.attachments and editor.value() == ""
    assert editor.thumbnail.pixmap().isNull() and editor.take_button.isVisible()

    open_camera_for(qtbot, window, form, "rental_contract")
    photograph(qtbot, window, page_photo(4))
    click(qtbot, screen.primary_button)
    photo = window.flow.attachments["rental_contract"]
    assert photo.data.startswith(b"\xff\xd8") and photo.pages == 1  # one page: a JPEG
    assert editor.value() == photo.sha256


def test_no_page_found_says_what_to_do_and_back_attaches_nothing(qtbot, window, services,
                                                                 profile):
    form = open_form(qtbot, window, services, profile)
    open_camera_for(qtbot, window, form, "housing_proof")
    screen = window.document_screen

    photograph(qtbot, window, None)  # the empty grey scene
    assert screen.state == "live" and screen.pages == 0
    assert screen.problem.isVisible() and "four corners" in screen.problem.text()

    too_far = np.full((960, 1280, 3), 45, np.uint8)  # the page lies half outside the view
    cv2.rectangle(too_far, (900, -10), (1400, 700), (238, 238, 238), -1)
    photograph(qtbot, window, too_far)
    assert screen.state == "live" and screen.problem.isVisible()

    click(qtbot, screen.back_button)
    assert window.stack.currentWidget() is form and window.flow.attachments == {}
    assert form.rows["housing_proof"].editor.value() == ""
    assert window.camera_bridge.mode == "off"


def test_too_large_document_is_refused_with_its_size(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile)
    open_camera_for(qtbot, window, form, "housing_proof")
    screen = window.document_screen
    photograph(qtbot, window, page_photo(5))
    size = screen.document_size
    screen.max_bytes = size + 1000  # a second page cannot fit
    click(qtbot, screen.add_page_button)
    photograph(qtbot, window, page_photo(6))
    assert screen.state == "review" and screen.pages == 1 and screen.document_size == size
    assert "KB" in screen.problem.text() and screen.problem.isVisible()


def test_document_mode_previews_without_decoding_qr(qtbot, window, services, profile):
    form = open_form(qtbot, window, services, profile)
    open_camera_for(qtbot, window, form, "housing_proof")
    bridge = window.camera_bridge
    stats = bridge._scan.stats
    seen = stats.frames_seen
    start = bridge.latest_frame().index if bridge.latest_frame() is not None else -1
    qtbot.waitUntil(lambda: (f := bridge.latest_frame()) is not None and f.index >= start + 5,
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.document_screen.preview.frames_shown > 0, timeout=10_000)
    assert stats.frames_seen == seen  # frames reached the preview, not the QR decoder


def test_session_end_drops_every_document_picture(qtbot, window, services, profile):
    artwork = pixmaps_in(window)
    form = open_form(qtbot, window, services, profile)
    open_camera_for(qtbot, window, form, "housing_proof")
    photograph(qtbot, window, page_photo(7))
    click(qtbot, window.document_screen.primary_button)
    assert not form.rows["housing_proof"].editor.thumbnail.pixmap().isNull()
    open_camera_for(qtbot, window, form, "housing_proof")  # a second photo, left on review
    photograph(qtbot, window, page_photo(8))
    assert pixmaps_in(window).keys() - artwork.keys()

    window.idle.set_timeout(0.2)
    window.idle_warning_s = 1
    window.idle.poke()
    qtbot.waitUntil(lambda: window.overlay.isVisible() and window.overlay.purpose == "idle",
                    timeout=5000)
    wait_step(qtbot, window, Step.WELCOME, timeout=10_000)

    assert pixmaps_in(window).items() - artwork.items() == set()
    assert window.document_screen.pages == 0 and window.document_screen.state == "closed"
    assert window.flow.attachments == {}
    assert window.camera_bridge.mode == "identity"


@pytest.fixture
def no_camera_window(qtbot, tmp_path):
    from kiosk.services.composition import Services
    from ui.main_window import MainWindow

    config = make_config(tmp_path, **{"devices.camera": "none"})
    services = Services.build(config)
    main = None
    try:
        main = MainWindow(services, config, narrator_engine="mock")
        main.resize(1280, 800)
        main.show()
        services.start_devices()
        qtbot.waitUntil(lambda: main.header.indicator.status is not None, timeout=10_000)
        yield main
    finally:
        if main is not None:
            close_window(main)
        services.close()


def test_without_a_camera_the_field_says_to_hand_the_paper_in(qtbot, no_camera_window, profile):
    window = no_camera_window
    assert window.camera_bridge is None
    form = open_form(qtbot, window, window.services, profile)
    show_page_of(form, "housing_proof")
    optional = form.rows["housing_proof"].editor
    assert not optional.take_button.isVisible() and optional.no_camera.isVisible()
    assert "counter" in optional.no_camera.text() and "leave this empty" in optional.no_camera.text()
    show_page_of(form, "housing")
    click(qtbot, form.rows["housing"].editor.buttons["rented"])
    required = form.rows["rental_contract"].editor
    assert required.no_camera.isVisible() and "needed" in required.no_camera.text()
    window.open_document("rental_contract")  # nothing to open
    assert window.stack.currentWidget() is form


def fill_temporary_residence(qtbot, form) -> None:
    """The answers the card does not give, through the widgets the citizen touches."""
    from kiosk.domain import addresses

    qtbot.keyClicks(form.rows["phone"].editor.line, "0912345678")
    address = form.rows["new_address"].editor
    unit = addresses.communes(addresses.provinces()[0][0])[0]
    address.province.setCurrentIndex(address.province.findData(unit.province_code))
    address.commune.setCurrentIndex(address.commune.findData(unit.commune_code))
    form.rows["new_street"].editor.line.insert("12 Hàng Bài")
    click(qtbot, form.rows["housing"].editor.buttons["rented"])
    until = dt.date.today() + dt.timedelta(days=180)
    qtbot.keyClicks(form.rows["stay_until"].editor.line, until.strftime("%d/%m/%Y"))
    click(qtbot, form.rows["delivery"].editor.buttons["counter"])


def test_rented_home_with_contract_photo_reaches_the_portal(qtbot, window, services, profile):
    from test_ui_journey import submit_from_review

    form = open_form(qtbot, window, services, profile)
    fill_temporary_residence(qtbot, form)
    assert not finish_form(qtbot, window)  # the rented home's contract is required: not yet
    assert window.flow.step is Step.FORM and form.rows["rental_contract"].problem.isVisible()

    open_camera_for(qtbot, window, form, "rental_contract")
    photograph(qtbot, window, page_photo(11))
    click(qtbot, window.document_screen.primary_button)
    photo = window.flow.attachments["rental_contract"]
    assert finish_form(qtbot, window)
    assert window.flow.step is Step.REVIEW
    review = window.screens[Step.REVIEW]
    shown = review.findChild(QLabel, "review-rental_contract").text()
    assert shown == "Photo taken (1 page)" and photo.sha256 not in shown
    assert review.findChild(QLabel, "review-owner_consent") is None  # did not apply: not listed

    receipt = submit_from_review(qtbot, window)

    assert window.flow.step is Step.RECEIPT and receipt.status.value == "sent"
    store = services.embedded_portal.store
    assert store.get(receipt.dossier_code)["procedure_code"] == TEMPORARY_RESIDENCE
    assert store.dossier_attachments(receipt.dossier_code) == {"rental_contract": photo.sha256}
    assert store.attachment_data(photo.sha256) == photo.data
    assert services.client.has_attachment(photo.sha256)  # HTTP HEAD /api/v1/attachments/{sha}
    entry = services.outbox.list()[0]
    payload = services.outbox.get(entry.id, with_payload=True).payload
    assert payload["attachments"] == [{"field": "rental_contract", "sha256": photo.sha256,
                                       "media_type": "image/jpeg", "size": len(photo.data),
                                       "pages": 1}]
    assert payload["form"]["rental_contract"] == photo.sha256


def test_demo_panel_holds_the_sample_document_to_the_camera(qtbot, window, services, profile):
    """`make run` has no paper to photograph: the demo strip shows the sample page photo."""
    panel = window.demo_panel
    assert panel is not None and panel.document_button.isVisibleTo(panel)
    form = open_form(qtbot, window, services, profile)
    click(qtbot, form.rows["housing"].editor.buttons["rented"])
    open_camera_for(qtbot, window, form, "rental_contract")
    click(qtbot, panel.document_button)
    wait_for_shown(qtbot, window, (1280, 960))  # assets/samples/documents/page-photo.jpg
    screen = window.document_screen
    click(qtbot, screen.primary_button)
    qtbot.waitUntil(lambda: screen.state != "busy", timeout=15_000)
    assert screen.state == "review" and screen.pages == 1
    click(qtbot, screen.primary_button)
    assert "rental_contract" in window.flow.attachments
    services.camera.clear()
