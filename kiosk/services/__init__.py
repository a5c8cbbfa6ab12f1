"""What the kiosk does with its devices, store and portal: submission, the composition of the
running services (``kiosk.services.composition``), document photos and the operations stores.

This package re-exports nothing, so importing one service never loads the others.
"""
