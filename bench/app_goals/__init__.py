"""The parts of ``bench/app.py``: its figures and the app in a browser."""
