"""Reports: aggregation of answers, the spider chart and the verbeterplan (PDF).

- `rapport.aggregatie`: `aggregeer`, `rangschik` (pure pandas/numpy).
- `rapport.grafiek`: `spinnenweb`, `grafiek_tabel`, `spinnenweb_svg` (Altair, vl-convert).
- `rapport.verbeterplan`: `maak_verbeterplan_html`, `maak_verbeterplan_pdf` (Jinja2, WeasyPrint).
- ``python -m rapport verbeterplan ...``: the verbeterplan from a CSV in the uitwisselformaat.
"""
