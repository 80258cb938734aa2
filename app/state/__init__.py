"""The app's state layer: plain Python over ``sync.DeviceStore``, no Flet and no network.

Each screen has a module here with a loader (store -> a frozen view model the view renders)
and its actions (the local writes a tap makes). Views (``app/views``) read and write only
through these, so every screen opens offline and is testable without a client.
"""
