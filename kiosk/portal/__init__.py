"""The dossier portal: the kiosk's HTTP client (``kiosk.portal.client``) and the reference portal
it runs against (``kiosk.portal.server``, ``kiosk.portal.embedded``, ``kiosk.portal.serve``).

Nothing is re-exported here: the portal's contract (its answers and its error tree) lives in
``kiosk.domain.portal_contract``, so the outbox, the devices and the parsers use it without loading
the HTTP stack.
"""
