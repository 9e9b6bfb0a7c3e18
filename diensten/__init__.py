"""The service layer: what a page or a command line asks for, in one call.

Pages (``views/``) and command lines (``python -m rapport``, ``python -m storage``) both
call these functions, so a rule lives in one place: which earlier ronde and regional
comparison an overview may show, what goes into a verbeterplan, how a ronde is opened
with its codes, how an uploaded file is imported. Each function takes the engine and,
where it writes, the acting user (``door``): the scope check itself happens below, in
storage (``storage/bereik.py``).

Layers (see docs/architectuur.md): kader → vragenlijsten → uitwisselformaat → storage →
diensten → rapport (reports take data, never the database) → pages and command lines.
"""
