"""A small client for Streamlit's own WebSocket protocol, for the load generator.

A browser tab talks to a Streamlit server over one WebSocket (``/_stcore/stream``):
it sends a ``BackMsg`` with ``rerun_script`` (the page, the query string and the
values of every widget it knows), and the server answers with ``ForwardMsg``s:
``new_session`` when a run starts, one ``delta`` per element, ``page_info_changed``
when the script changes the query string, and ``script_finished``. This client does
the same with the protobuf classes Streamlit ships, so one process can drive tens of
sessions through the real server (uvicorn, websocket, session manager, script runner,
database) without a browser per participant (bench/README.md says why).

What it keeps of a run is what a participant would read: the text of markdown,
captions, alerts and progress bars, and the widgets (their id, label and options),
so a caller can find "the radio of stelling 3" and set it as a click would.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

# script_finished values that end what one click set off (a run that ends early for
# st.rerun() is followed by the next run)
_KLAAR = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
          ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_WIDGETS = ("radio", "text_area", "text_input", "button", "selectbox", "checkbox")


@dataclass
class Widget:
    soort: str          # radio, text_area, button, ...
    id: str
    label: str
    opties: tuple[str, ...] = ()
    form_id: str = ""
    fragment_id: str = ""  # a widget inside an st.fragment reruns only that fragment


@dataclass
class Scherm:
    """What one completed run rendered: texts in order, and the widgets."""

    teksten: list[str] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)
    uitzondering: str = ""

    def widget(self, soort: str, label_begint: str) -> Widget | None:
        return next((w for w in self.widgets if w.soort == soort and w.label.startswith(label_begint)), None)

    def bevat(self, stuk: str) -> bool:
        return any(stuk in t for t in self.teksten)


def _tekst(element) -> tuple[str, str] | None:
    """(kind, text) of an element a participant reads, or None."""
    soort = element.WhichOneof("type")
    if soort == "markdown":
        return soort, element.markdown.body
    if soort == "alert":
        return soort, element.alert.body
    if soort == "progress":
        return soort, element.progress.text
    if soort == "exception":
        return soort, f"{element.exception.type}: {element.exception.message}"
    if soort == "heading":
        return soort, element.heading.body
    return None


def _widget(element, fragment_id: str) -> Widget | None:
    soort = element.WhichOneof("type")
    if soort not in _WIDGETS:
        return None
    w = getattr(element, soort)
    opties = tuple(getattr(w, "options", ()))
    return Widget(soort, w.id, w.label, opties, getattr(w, "form_id", ""), fragment_id)


class Sessie:
    """One browser tab's session on a Streamlit server, driven over its WebSocket.

    ``async with Sessie(basis, "vragenlijst") as s: scherm = await s.open("uitnodiging=…")``
    then ``await s.kies(radio, optie)`` or ``await s.druk(knop)``; each returns the
    Scherm of the completed run and the seconds from sending to the end of it.
    """

    def __init__(self, basis: str, pagina: str, cookies: dict[str, str] | None = None,
                 timeout: float = 60.0):
        delen = urlsplit(basis)
        schema = "wss" if delen.scheme == "https" else "ws"
        self.url = f"{schema}://{delen.netloc}{delen.path.rstrip('/')}/_stcore/stream"
        self.pagina = pagina
        self.cookies = dict(cookies or {})
        self.timeout = timeout
        self.query = ""
        self.pagina_hash = ""  # known after the first run, sent from then on as a browser does
        self.waarden: dict[str, WidgetState] = {}
        self._ws = None

    async def __aenter__(self) -> Sessie:
        from websockets.asyncio.client import connect

        kop = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else None
        self._ws = await connect(self.url, subprotocols=["streamlit"], additional_headers=kop,
                                 max_size=None, open_timeout=self.timeout, ping_interval=None)
        return self

    async def __aexit__(self, *_exc) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def open(self, query: str = "") -> tuple[Scherm, float]:
        """The first run of the page, as opening the link does."""
        self.query = query
        return await self._run([])

    async def kies(self, widget: Widget, waarde: str) -> tuple[Scherm, float]:
        """Choose an option of a radio (as a click does): its value is sent from now on."""
        if waarde not in widget.opties:
            raise ValueError(f"{waarde!r} is geen keuze van {widget.label!r}")
        self.waarden[widget.id] = WidgetState(id=widget.id, string_value=waarde)
        return await self._run([], widget.fragment_id)

    async def typ(self, widget: Widget, tekst: str) -> tuple[Scherm, float]:
        """Type a text into a text field and leave it."""
        self.waarden[widget.id] = WidgetState(id=widget.id, string_value=tekst)
        return await self._run([], widget.fragment_id)

    async def druk(self, knop: Widget, velden: dict[str, str] | None = None) -> tuple[Scherm, float]:
        """Press a button (a form's submit button sends the form's fields with it)."""
        extra = [WidgetState(id=knop.id, trigger_value=True)]
        extra += [WidgetState(id=i, string_value=v) for i, v in (velden or {}).items()]
        return await self._run(extra, knop.fragment_id)

    async def _run(self, eenmalig: list[WidgetState], fragment_id: str = "") -> tuple[Scherm, float]:
        """Send what the browser sends after a click: every widget value it knows, and,
        for a widget inside a fragment, that fragment's id (then only it reruns)."""
        staten = [*self.waarden.values(), *eenmalig]
        bericht = BackMsg(rerun_script=ClientState(
            query_string=self.query, page_name=self.pagina, page_script_hash=self.pagina_hash,
            fragment_id=fragment_id,
            widget_states=WidgetStates(widgets=staten)))
        begin = time.perf_counter()
        await self._ws.send(bericht.SerializeToString())
        scherm = await asyncio.wait_for(self._lees_tot_klaar(), self.timeout)
        return scherm, time.perf_counter() - begin

    async def _lees_tot_klaar(self) -> Scherm:
        elementen: dict[tuple[int, ...], object] = {}
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self._ws.recv())
            soort = msg.WhichOneof("type")
            if soort == "new_session":
                elementen = {}  # a new run: the page is rebuilt
            elif soort == "navigation":  # st.navigation says which page this run showed
                self.pagina_hash = msg.navigation.page_script_hash or self.pagina_hash
            elif soort == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif soort == "delta" and msg.delta.WhichOneof("type") == "new_element":
                elementen[tuple(msg.metadata.delta_path)] = (msg.delta.new_element, msg.delta.fragment_id)
            elif soort == "script_finished" and msg.script_finished in _KLAAR:
                return self._scherm(elementen)

    @staticmethod
    def _scherm(elementen: dict) -> Scherm:
        scherm = Scherm()
        for pad in sorted(elementen):
            element, fragment_id = elementen[pad]
            tekst = _tekst(element)
            if tekst is not None:
                scherm.teksten.append(tekst[1])
                if tekst[0] == "exception":
                    scherm.uitzondering = tekst[1]
            widget = _widget(element, fragment_id)
            if widget is not None:
                scherm.widgets.append(widget)
        return scherm
