"""The kiosk's data, installed as the package ``kiosk_assets``: procedures, compiled translations,
themes, address tables, the demo's sample card profiles and pictures, and the TEST-ONLY PKI of the
demo's virtual chips (``test-pki/``, never a trust anchor). ``kiosk.domain.paths`` finds them."""
