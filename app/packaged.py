"""The entry point of a ``flet build`` package (phone or desktop): the app runs on the device
itself, its device files in ``FLET_APP_STORAGE_DATA`` (set by Flet's embedded runtime)."""

from __future__ import annotations

import os

import flet as ft

from app.accounts import AccountRegistry
from app.launch import default_data_dir
from app.main import AppConfig, make_main
from app.state.device_zone import device_time_zone

SERVER = os.environ.get("GROWLINK_SERVER", "http://127.0.0.1:8000")


def run() -> None:
    config = AppConfig(AccountRegistry(default_data_dir()), SERVER, device_time_zone())
    ft.run(make_main(config))


if __name__ == "__main__":
    run()
