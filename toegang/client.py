"""Who is knocking: the client address that rate limits count by.

Pure functions: they take the peer address, the request headers and the
trusted-proxy configuration, and return a key such as ``ip:203.0.113.7``,
``ip:2001:db8:1:2::/64`` or ``onbekend`` (one counter shared by everyone whose
address is not known). Never a key per session: a new page load is a new session.

What Streamlit 1.67 reports (checked in its source):

* ``st.context.ip_address`` is the ``client`` of the WebSocket's ASGI scope, but
  ``None`` for 127.0.0.1 and ::1 (``st.context.headers`` is then still filled).
* Streamlit serves through uvicorn, whose ``ProxyHeadersMiddleware`` is on by
  default: when the TCP peer is in ``$FORWARDED_ALLOW_IPS`` (default
  ``127.0.0.1,::1``) it REPLACES that client by the rightmost X-Forwarded-For
  entry that is not in that list. The header itself stays visible. So anyone on
  the same host could pick their own address with a header (the attack).

:func:`client_adres` therefore first asks whether the reported address may
have been put there by uvicorn (it equals uvicorn's choice from the header). If
so, the real peer was one of uvicorn's trusted hosts; that is only accepted when
all of those are in our own trusted list (``ZBT_VERTROUWDE_PROXY``), else the
address is unknown. X-Forwarded-For is followed only from a peer in our
trusted list, from the right, skipping trusted hops: entries a client adds
itself sit to the left of what the proxy appended.

IPv6 addresses count per /64: one subscriber usually holds a whole /64.
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache

from toegang import ConfigFout

PROXY_ENV = "ZBT_VERTROUWDE_PROXY"
# uvicorn's setting and default (uvicorn.config.Config: forwarded_allow_ips)
SERVER_ENV = "FORWARDED_ALLOW_IPS"
SERVER_STANDAARD = "127.0.0.1,::1"
ONBEKEND = "onbekend"
IPV6_PREFIX = 64

Adres = ipaddress.IPv4Address | ipaddress.IPv6Address
Netwerk = ipaddress.IPv4Network | ipaddress.IPv6Network
ALLES: tuple[Netwerk, ...] = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))


@lru_cache(maxsize=32)
def lees_netten(tekst: str, bron: str = PROXY_ENV, streng: bool = True) -> tuple[Netwerk, ...]:
    """Addresses and networks from a comma- or space-separated list.

    ``streng`` (our own setting): refuse an entry that is no IP address or network,
    and '*' (trusting everyone would let every client choose its own key), with a
    ConfigFout in Dutch. Otherwise (uvicorn's setting) '*' is everything and other
    entries are skipped (uvicorn treats them as names that never match an IP).
    """
    netten: list[Netwerk] = []
    for deel in tekst.replace(",", " ").split():
        if deel == "*" and streng:
            raise ConfigFout(f"{bron}: '*' zou iedereen vertrouwen; noem de adressen of netwerken van uw proxy's.")
        if deel == "*":
            return ALLES
        try:
            netten.append(ipaddress.ip_network(deel, strict=False))
        except ValueError:
            if streng:
                raise ConfigFout(f"{bron}: '{deel}' is geen IP-adres of netwerk (zoals 10.0.0.5 of 10.0.0.0/24).") from None
    return tuple(netten)


def vertrouwde_proxies(env: Mapping[str, str] = os.environ) -> tuple[Netwerk, ...]:
    """Our trusted reverse proxies, from ``$ZBT_VERTROUWDE_PROXY`` (none when unset)."""
    return lees_netten(env.get(PROXY_ENV, ""), PROXY_ENV)


def server_vertrouwd(env: Mapping[str, str] = os.environ) -> tuple[Netwerk, ...]:
    """The hosts whose X-Forwarded-For Streamlit's server (uvicorn) applies itself."""
    return lees_netten(env.get(SERVER_ENV, SERVER_STANDAARD), SERVER_ENV, streng=False)


def _host(waarde: str) -> str:
    """The host part of an X-Forwarded-For entry: '1.2.3.4:80' -> '1.2.3.4', '[::1]:80' -> '::1'."""
    waarde = waarde.strip()
    if waarde.startswith("["):
        eind = waarde.find("]")
        return waarde[1:eind] if eind != -1 else waarde
    if waarde.count(":") == 1:
        return waarde.split(":", 1)[0]
    return waarde


def _ip(waarde: str | None) -> Adres | None:
    if not waarde:
        return None
    try:
        ip = ipaddress.ip_address(_host(waarde).split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _in(ip: Adres | None, netten: Iterable[Netwerk]) -> bool:
    return ip is not None and any(ip.version == n.version and ip in n for n in netten)


def _doorgestuurd(headers) -> list[str]:
    """All X-Forwarded-For entries, left to right (several headers are joined, as uvicorn does)."""
    if headers is None:
        return []
    if hasattr(headers, "get_all"):  # st.context.headers
        waarden = headers.get_all("X-Forwarded-For")
    elif isinstance(headers, Mapping):
        waarden = [v for k, v in headers.items() if k.lower() == "x-forwarded-for"]
        waarden = [x for v in waarden for x in (v if isinstance(v, (list, tuple)) else [v])]
    else:
        waarden = [v for k, v in headers if k.lower() == "x-forwarded-for"]
    return [d.strip() for w in waarden for d in str(w).split(",")]


def _uvicorn_keuze(doorgestuurd: list[str], server: tuple[Netwerk, ...]) -> str:
    """The address uvicorn puts in place of a trusted peer (ProxyHeadersMiddleware)."""
    if server == ALLES:
        return _host(doorgestuurd[0])
    for waarde in reversed(doorgestuurd):
        if not _in(_ip(waarde), server):
            return _host(waarde)
    return _host(doorgestuurd[0])


def _zelfde(a: Adres | None, b: Adres | None) -> bool:
    # st.context.ip_address hides both loopback addresses behind None: treat them as one
    return a is not None and b is not None and (a == b or (a.is_loopback and b.is_loopback))


def _volg(doorgestuurd: list[str], vertrouwd: tuple[Netwerk, ...]) -> Adres | None:
    """Walk X-Forwarded-For from the right past trusted proxies; the first other hop is the client."""
    for waarde in reversed(doorgestuurd):
        ip = _ip(waarde)
        if ip is None:
            return None  # garbage where a proxy's entry should be: don't guess
        if not _in(ip, vertrouwd):
            return ip
    return None  # only proxies: the client is not known


def client_adres(
    peer: str | None,
    headers,
    vertrouwd: tuple[Netwerk, ...] = (),
    server: tuple[Netwerk, ...] | None = None,
) -> Adres | None:
    """The client's IP address, or None when it cannot be known.

    ``peer``: the address Streamlit reports (``st.context.ip_address``; pass
    '127.0.0.1' when that is None on a real connection). ``headers``: the request
    headers (``st.context.headers``, a mapping or (name, value) pairs).
    ``vertrouwd``: our trusted proxies. ``server``: the hosts uvicorn trusts
    (default from ``$FORWARDED_ALLOW_IPS``, as uvicorn reads it).
    """
    server = server_vertrouwd() if server is None else server
    doorgestuurd = [d for d in _doorgestuurd(headers) if d]
    peer_ip = _ip(peer)
    if not doorgestuurd:
        return None if _in(peer_ip, vertrouwd) else peer_ip  # a proxy without the header hides its clients
    keuze = _uvicorn_keuze(doorgestuurd, server) if server else None
    if peer is not None and keuze is not None and (_zelfde(peer_ip, _ip(keuze)) or _host(peer) == keuze):
        # uvicorn may have taken this address from the header, so the real peer may
        # have been any of `server`: follow the header only when we trust all of those.
        if not all(any(n.version == v.version and n.subnet_of(v) for v in vertrouwd) for n in server):
            return None
        return _volg(doorgestuurd, vertrouwd)
    if peer_ip is None:
        return None
    if _in(peer_ip, vertrouwd):
        return _volg(doorgestuurd, vertrouwd)
    return peer_ip


def sleutel_voor(adres: Adres | None) -> str:
    """The counter key for an address: IPv4 as is, IPv6 per /64, unknown shared."""
    if adres is None:
        return ONBEKEND
    if isinstance(adres, ipaddress.IPv6Address):
        return f"ip:{ipaddress.ip_network(f'{adres}/{IPV6_PREFIX}', strict=False)}"
    return f"ip:{adres}"


def client_sleutel(
    peer: str | None,
    headers,
    vertrouwd: tuple[Netwerk, ...] = (),
    server: tuple[Netwerk, ...] | None = None,
) -> str:
    """:func:`client_adres` as a counter key (see :func:`sleutel_voor`)."""
    return sleutel_voor(client_adres(peer, headers, vertrouwd, server))
