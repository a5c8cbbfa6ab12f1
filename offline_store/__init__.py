"""The kiosk's offline store: a durable, encrypted outbox (`outbox`) and its relay to the portal
(`sync`). No Qt here: the GUI observes it through `SyncEngine.subscribe`."""
