"""The kiosk's shared vocabulary, a leaf: it imports nothing of ours from outside itself.

Identity and codes, the portal's contract (answers and errors), procedures, forms and the citizen
flow, addresses, the typed config and the session policies. No HTTP stack, no devices, no store,
no Qt: devices, the store, the portal client and the services all build on it.
"""
