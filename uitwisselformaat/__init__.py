"""The uitwisselformaat: the answers of a ronde as data, in memory (a pandas DataFrame)
and as a file (CSV, Excel, snapshot). Used by ``storage`` (export and import) and by
``rapport`` (reports, PDF attachments, werkboek). No database code in this package.

The answers DataFrame
---------------------
Columns exactly :data:`KOLOMMEN`, in this order; every cell a ``str`` (dtype object),
never NaN or None (an empty toelichting is ''):

=============  =====================================================================
gemeente       name of the gemeente
ronde          label of the ronde (unique within its gemeente)
respondent     pseudonym such as 'r-7k3m9q'; never a name
rol            rol id from vragenlijsten/ ('gemeente', 'wijkteam-cjg', ...), see below
kader          kader id
criterium      criterium id within that kader
score          a value of the kader's scale ('1'..'4'), 'weet_niet' or 'nvt'; never empty
toelichting    free text, cleaned (:func:`schone_tekst`), at most :data:`MAX_TOELICHTING`
               characters; may be ''
=============  =====================================================================

One row per respondent × criterium: a respondent answers a criterium at most once,
and an answer without a score (only a toelichting) is no row. A respondent's
gemeente, ronde and rol are the same on all their rows.

Who makes one: :func:`lees_csv` and :func:`lees_xlsx` (index: the spreadsheet row
number, named ``rij``, so later errors can point at the row);
``storage.repository.antwoorden_df`` (one ronde, sorted) and
``storage.repository.regio_antwoorden`` (with two extra columns, ``ronde_id`` (int)
and ``kader_versie``). Writers and the import use only :data:`KOLOMMEN` and ignore
other columns.

``rol`` holds rol ids, with one exception: whatever shows results per rol (pages,
PDFs, the CSV inside the verbeterplan PDF) first merges rol groups below the
anonymity threshold (``rapport.groepen.anonimiseer``). Their rows then carry the
group id ``overige-partners``, or ``alle-deelnemers`` when no group is large enough
on its own. Such a file still reads back with :func:`lees_csv`, but an import that
checks roles refuses those ids: they are groups, not roles.

Modules (import the names below from the package itself; the snapshot format and
the fixed values from their own modules)
------------------------------------------------------------------------------------
* :mod:`uitwisselformaat.contract` - columns, :class:`Melding`, :class:`UitwisselFout`,
  scores per kader, upload size limit, an empty DataFrame
* :mod:`uitwisselformaat.tekst` - cleaning text from people and files
  (:func:`schone_tekst`, :func:`verboden_teken`, :data:`MAX_TOELICHTING`)
* :mod:`uitwisselformaat.validatie` - the row checks shared by CSV and Excel
* :mod:`uitwisselformaat.csvbestand` - :func:`lees_csv`, :func:`schrijf_csv`
* :mod:`uitwisselformaat.excel` - :func:`lees_xlsx`, :func:`schrijf_xlsx`
* :mod:`uitwisselformaat.neutraliseren` - formula neutralisation of spreadsheet cells
* :mod:`uitwisselformaat.snapshot` - one ronde as JSON with a SHA-256 digest:
  canonical form, digest, reading and checking (``storage.snapshot`` exports and imports)
* :mod:`uitwisselformaat.waarden` - ronde status, workshop fase, action status
* :mod:`uitwisselformaat.samenwerking` - the samenwerkingskaart as data and CSV
  (:func:`~uitwisselformaat.samenwerking.lees_samenwerking_csv`, docs/samenwerkingskaart.md)
"""
from uitwisselformaat.contract import (
    KOLOMMEN,
    MAX_BEWAARD,
    MAX_LENGTE,
    MAX_MELDINGEN,
    MAX_UPLOAD_BYTES,
    VERPLICHT,
    Melding,
    UitwisselFout,
    als_tekst,
    controleer_grootte,
    geldige_scores,
    leeg_dataframe,
    megabytes,
)
from uitwisselformaat.csvbestand import lees_csv, schrijf_csv
from uitwisselformaat.excel import XLSX_BLAD, lees_xlsx, ooxml_escape, schrijf_xlsx
from uitwisselformaat.neutraliseren import neutraliseer, ontneutraliseer
from uitwisselformaat.tekst import MAX_TOELICHTING, schone_tekst, verboden_teken

__all__ = [
    "KOLOMMEN",
    "MAX_BEWAARD",
    "MAX_LENGTE",
    "MAX_MELDINGEN",
    "MAX_TOELICHTING",
    "MAX_UPLOAD_BYTES",
    "VERPLICHT",
    "XLSX_BLAD",
    "Melding",
    "UitwisselFout",
    "als_tekst",
    "controleer_grootte",
    "geldige_scores",
    "leeg_dataframe",
    "lees_csv",
    "lees_xlsx",
    "megabytes",
    "neutraliseer",
    "ontneutraliseer",
    "ooxml_escape",
    "schone_tekst",
    "schrijf_csv",
    "schrijf_xlsx",
    "verboden_teken",
]
