"""``kepulint serve``: a local review page and its JSON API (the ``serve`` extra).

Importing this package is cheap and needs no web framework: :mod:`.run` and :mod:`.app`
import Starlette and uvicorn when the server starts. The stylesheet in ``static/`` is shared
with the HTML report.
"""
