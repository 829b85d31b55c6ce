"""The SSRF guard for station endpoints: resolve a URL's host once, vet every address it
resolves to, and connect only to a vetted address.

Checking a URL and then letting the HTTP client resolve its host again leaves a window for
DNS rebinding: a host can answer the check with a public address and the connection with
127.0.0.1 or 169.254.169.254. So the addresses vetted here are the addresses connected to:
`PinnedAddressAdapter` swaps the host for a vetted address in the connection pool's key (the
hook requests ≥ 2.32.2 documents for this) and keeps the name for the Host header, TLS SNI
and the certificate check (urllib3's `server_hostname` and `assert_hostname`).

Why not a library: `advocate` requires urllib3 < 2. Saleor's `requests-hardened` pins the
address the same way, but it has no allow-list of host names and networks (our
STATION_PUSH_ALLOW_HOSTS), refuses fewer ranges than `is_global` does, and vets only the
first address of a host.
"""

import ipaddress
import os
import socket
import threading
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError
from urllib3.util.connection import allowed_gai_family

DEFAULT_PORTS = {"http": 80, "https": 443}
# A host's addresses are tried in the resolver's order when one cannot be connected to
# (urllib3 does the same), e.g. an IPv6 address on a network without IPv6 routing. The cap
# bounds how long one attempt can take: each address gets the full connect timeout.
MAX_ADDRESSES_TRIED = 3


class Refused(Exception):
    """The URL may not be called; the message (translated) says why."""


class Unresolvable(Exception):
    """The host has no address right now; a later attempt may find one."""


@dataclass(frozen=True)
class Target:
    """A URL whose host was resolved once, with the addresses that passed the guard."""

    url: str
    scheme: str
    host: str  # lower case, ASCII (IDNA), IPv6 without brackets: as requests connects to it
    port: int
    addresses: tuple[str, ...]

    @property
    def host_header(self):
        """The Host header the URL implies (the port only when it is not the default)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def check_url_allowed(url, resolve=True):
    """None if the URL may be called, otherwise why not (a translated message).

    `resolve=False` checks only what the URL itself says (for forms: no DNS lookup).
    """
    try:
        if resolve:
            vet(url)
        else:
            _vet_without_lookup(url)
    except Refused as refusal:
        return str(refusal)
    except Unresolvable:
        return None  # may resolve later: the delivery is retried, not refused
    return None


def vet(url):
    """Resolve the URL's host once and return a `Target` whose addresses may be connected to.

    Raises `Refused` (the URL or one of its host's addresses is not allowed: retrying will
    not help) or `Unresolvable`.
    """
    scheme, host, port, host_listed = _checked_form(url)
    literal = _ip_literal(host)
    addresses = [literal] if literal is not None else _resolve(host, port)
    if not host_listed:
        _refuse_private(host, addresses)
    return Target(url, scheme, host, port, tuple(str(address) for address in addresses))


def _vet_without_lookup(url):
    """The URL's form, and its host when that is an address (in any spelling: no lookup)."""
    _scheme, host, _port, host_listed = _checked_form(url)
    literal = _ip_literal(host)
    if literal is not None and not host_listed:
        _refuse_private(host, [literal])


def _resolve(host, port):
    try:
        infos = socket.getaddrinfo(host, port, family=allowed_gai_family(), type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Unresolvable(f"{host}: {error}") from error
    addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    if not addresses:
        raise Unresolvable(f"{host}: no address")
    return addresses


def _checked_form(url):
    """(scheme, host, port, host is allow-listed) of a URL the guard accepts the form of."""
    refused_form = _("Only http(s) URLs with a host are allowed: %(url)s") % {"url": url}
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise Refused(refused_form)
    try:
        # The host as requests will connect to it (IDNA-encoded, lower case).
        prepared = requests.PreparedRequest()
        prepared.prepare_url(url, None)
        parts = urlsplit(prepared.url)
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except (requests.RequestException, ValueError) as error:
        raise Refused(refused_form) from error
    host = parts.hostname
    names, networks = _allow_list()
    literal = _ip_literal(host)
    host_listed = host in names or (literal is not None and _ip_allowed(literal, networks))
    if parts.scheme == "http" and not host_listed:
        raise Refused(
            _("Plain HTTP is only allowed for allow-listed hosts; use HTTPS: %(url)s")
            % {"url": url}
        )
    return parts.scheme, host, port, host_listed


def _refuse_private(host, addresses):
    _names, networks = _allow_list()
    for address in addresses:
        if not _is_public(address) and not _ip_allowed(address, networks):
            raise Refused(
                _(
                    "Refused: %(host)s resolves to the private, loopback or link-local "
                    "address %(ip)s (add it to STATION_PUSH_ALLOW_HOSTS to allow it)"
                )
                % {"host": host, "ip": _readable(address)}
            )


def _readable(ip):
    """An IPv6 address that carries an IPv4 one as the IPv4 address it means
    (::ffff:a9fe:a9fe and 64:ff9b::a9fe:a9fe are 169.254.169.254)."""
    return _embedded_ipv4(ip) or ip


# IPv6 ranges whose addresses carry an IPv4 address in their last 32 bits: NAT64's
# well-known prefix (RFC 6052) and the deprecated IPv4-compatible addresses (RFC 4291).
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 one reaches through a translator or tunnel, if any:
    IPv4-mapped, NAT64, IPv4-compatible, 6to4 (2002::/16) and Teredo (2001::/32, whose
    server and client are both IPv4; the client, what the tunnel leads to, is returned
    unless the server is the worse of the two)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        server, client = ip.teredo
        return client if _is_public(server) else server
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # not :: or ::1 themselves
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _allow_list():
    names, networks = set(), []
    for entry in settings.STATION_PUSH_ALLOW_HOSTS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.lower())
    return names, networks


def _ip_literal(host):
    """The address a host names by itself, in any spelling the resolver accepts for one
    (2130706433, 0x7f.1 and 0177.0.0.1 are all 127.0.0.1), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _ip_allowed(ip, networks):
    return any(ip in network for network in networks if network.version == ip.version)


def _is_public(ip):
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        # Connecting to it reaches the IPv4 address: that one must be public, and the IPv6
        # address itself too unless it only spells the IPv4 one (IPv4-mapped).
        if not _is_public(embedded):
            return False
        if ip.ipv4_mapped:
            return True
    return ip.is_global and not ip.is_multicast


class PinnedAddressAdapter(HTTPAdapter):
    """A requests transport adapter that connects to a target's vetted addresses only."""

    def __init__(self, target):
        super().__init__()
        self.target = target
        self.address = target.addresses[0]

    def send(self, request, **kwargs):
        # The connection goes to an address, so the name travels in the Host header.
        request.headers["Host"] = self.target.host_header
        addresses = self.target.addresses[:MAX_ADDRESSES_TRIED]
        for address in addresses:
            self.address = address
            try:
                return super().send(request, **kwargs)
            except requests.ConnectionError as error:
                if address == addresses[-1] or not _never_connected(error):
                    raise
        raise AssertionError("unreachable: the last address returns or raises")

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        if (host_params["host"], host_params["scheme"]) != (self.target.host, self.target.scheme):
            # Only the vetted URL's host (redirects are off; this keeps it so if they are not).
            raise requests.exceptions.InvalidURL(f"Not the vetted host: {request.url}")
        host_params["host"] = f"[{self.address}]" if ":" in self.address else self.address
        host_params["port"] = self.target.port
        if self.target.scheme == "https":
            pool_kwargs["server_hostname"] = self.target.host  # SNI
            pool_kwargs["assert_hostname"] = self.target.host  # the certificate's name
        return host_params, pool_kwargs


def _never_connected(error):
    """True if the request failed before a connection existed (nothing was sent)."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, ConnectTimeoutError)  # includes NewConnectionError


def pinned_session(target):
    """A requests session that can only reach `target`, at its vetted addresses.

    It takes nothing from the environment (`trust_env` off): a proxy from HTTPS_PROXY would
    connect to whatever the name resolves to there, an address the guard never vetted, and
    reading the environment's proxy settings and ~/.netrc cost a third of each request's
    CPU. The CA bundle requests would take from it is given per request (ca_bundle).
    """
    session = requests.Session()
    session.trust_env = False
    adapter = PinnedAddressAdapter(target)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# --- keep-alive -----------------------------------------------------------------------------
# A new session per request meant a new TCP (and TLS) connection per delivery. Each thread
# keeps its sessions instead, one per vetted connection target: stations on one host and
# port share the connection, and an article's next delivery to a station finds it open.
# The key holds the addresses the guard vetted this time, so a host that resolves elsewhere
# gets a new session: a kept connection only ever goes to an address vetted for it. Per
# thread, because a session (and the adapter's address while it tries them) is not meant
# to be shared between threads.
KEPT_SESSIONS_PER_THREAD = 16
_kept = threading.local()


def kept_session(target):
    """This thread's session for `target`'s scheme, host, port and vetted addresses."""
    sessions = getattr(_kept, "sessions", None)
    if sessions is None:
        sessions = _kept.sessions = OrderedDict()
    key = (target.scheme, target.host, target.port, target.addresses)
    session = sessions.pop(key, None)
    if session is None:
        session = pinned_session(target)
        if len(sessions) >= KEPT_SESSIONS_PER_THREAD:
            _key, oldest = sessions.popitem(last=False)
            oldest.close()
    sessions[key] = session  # the most recently used last
    return session


def ca_bundle():
    """The certificates to verify stations' TLS with: REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE
    when set (as requests reads them), else requests' own bundle."""
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
