"""The webhook's SSRF guard against DNS rebinding: a station's host is resolved once, every
address it resolves to is vetted, and the POST goes to a vetted address while the Host
header, TLS SNI and certificate check still use the host name.

Driven in-process (no worker) so the OS resolver can be replaced for the test: it is the
third-party boundary a rebinding attacker controls.
"""

import socket
import ssl
from ipaddress import ip_address

import pytest
import trustme

from stations import delivery as machine
from stations.models import Delivery
from tests.cms.factories import ChannelPageFactory, make_article

from .conftest import Receiver, make_station

pytestmark = pytest.mark.django_db

STATION_HOST = "station.example"
# Public addresses (documentation ranges would not do: the guard refuses non-global ones).
# The test network routes them to local receivers; nothing is ever sent to them.
PUBLIC = "93.184.215.14"
PUBLIC_2 = "93.184.215.15"
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
EMBEDDED = {
    "::ffff:127.0.0.1": "127.0.0.1",
    "64:ff9b::a9fe:a9fe": "169.254.169.254",
    "2002:7f00:1::": "127.0.0.1",
    "::127.0.0.1": "127.0.0.1",
    "2001:0:5db8:d70e:8000:63bf:f5ff:fffe": "10.0.0.1",
}


class Resolver:
    """Stands in for the OS resolver: `answers[name]` scripts one list of addresses per
    lookup (the last list repeats; an exception in the script is raised). Other names and
    IP addresses go to the real resolver."""

    def __init__(self):
        self.real = socket.getaddrinfo
        self.answers = {}

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002 (socket's names)
        host = host.decode() if isinstance(host, bytes) else host
        if host not in self.answers:
            return self.real(host, port, family, type, proto, flags)
        script = self.answers[host]
        answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, Exception):
            raise answer
        return [addrinfo(address, port) for address in answer]


def addrinfo(address, port):
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))


class Network:
    """Stands in for the internet, at the socket's connect: `routes[public_address] = port`
    makes a connection to that public address reach the local receiver on `port`; every
    other public address is unreachable. No test can send a packet off this machine."""

    def __init__(self):
        self.routes = {}
        self.real_connect = socket.socket.connect

    def connect(self, sock, address):
        host = address[0]
        if host in self.routes:
            port = self.routes[host]
            # An IPv6 socket reaches the IPv4 receivers through the IPv4-mapped address.
            local = (
                ("127.0.0.1", port) if sock.family == socket.AF_INET else ("::ffff:127.0.0.1", port)
            )
            return self.real_connect(sock, local)
        if is_public_address(host):
            raise ConnectionRefusedError(f"test network: no route to {host}")
        return self.real_connect(sock, address)


def is_public_address(host):
    try:
        return ip_address(host).is_global
    except ValueError:
        return False


@pytest.fixture
def resolver(monkeypatch):
    fake = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.fixture(autouse=True)
def network(monkeypatch):
    fake = Network()
    monkeypatch.setattr(socket.socket, "connect", lambda sock, address: fake.connect(sock, address))
    return fake


@pytest.fixture(autouse=True)
def production_allow_list(settings):
    """Production's default: no host may be private (the test settings allow 127.0.0.1)."""
    settings.STATION_PUSH_ALLOW_HOSTS = []


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture(autouse=True)
def trust_the_test_ca(ca, tmp_path, monkeypatch):
    """Stations' certificates in these tests come from the test CA (requests reads this)."""
    bundle = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))


def https_receiver(ca, certificate_for, host="127.0.0.1"):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(certificate_for).configure_cert(context)
    return Receiver(host=host, tls=context)


@pytest.fixture
def station_server(ca):
    """The station's real HTTPS endpoint, behind its public address."""
    receiver = https_receiver(ca, STATION_HOST)
    yield receiver
    receiver.close()


@pytest.fixture
def internal_service(ca):
    """Something on the workers' loopback that must never be reached (worst case: it even
    holds a certificate for the station's name)."""
    receiver = https_receiver(ca, STATION_HOST)
    yield receiver
    receiver.close()


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home)


def deliver_one(channel, url):
    """Publish an article to a station at `url` and make one delivery attempt."""
    station = make_station("罗马联络站", url)
    make_article(channel)
    row = Delivery.objects.get(station=station)
    machine.attempt(row.pk)
    row.refresh_from_db()
    return row


def test_a_host_that_rebinds_to_loopback_after_the_check_is_not_reached_there(
    channel, network, resolver, station_server, internal_service
):
    # Given a host that resolves to a public address once, then to 127.0.0.1
    resolver.answers[STATION_HOST] = [[PUBLIC], ["127.0.0.1"]]
    network.routes[PUBLIC] = station_server.port
    url = f"https://{STATION_HOST}:{internal_service.port}/hook"

    # When an article is pushed to it
    row = deliver_one(channel, url)

    # Then the POST went to the vetted public address, never to loopback
    assert internal_service.connections == 0
    assert row.state == "delivered"
    [request] = station_server.requests
    assert request["headers"]["Host"] == f"{STATION_HOST}:{internal_service.port}"
    assert station_server.server_names == [STATION_HOST]  # TLS SNI names the host


@pytest.mark.parametrize(
    "private",
    [
        "127.0.0.1",
        "169.254.169.254",
        "10.0.0.7",
        "::1",
        "::ffff:127.0.0.1",
        "fd00::2",
        # IPv6 addresses leading to private IPv4 ones: NAT64, 6to4, IPv4-compatible, Teredo
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "::127.0.0.1",
        "2001:0:5db8:d70e:8000:63bf:f5ff:fffe",
    ],
)
def test_a_private_address_among_the_answers_refuses_the_station(
    channel, network, resolver, station_server, private
):
    resolver.answers[STATION_HOST] = [[PUBLIC, private]]
    network.routes[PUBLIC] = station_server.port

    row = deliver_one(channel, f"https://{STATION_HOST}/hook")

    assert row.state == "failed"
    assert STATION_HOST in row.last_error
    assert EMBEDDED.get(private, private) in row.last_error  # the IPv4 an IPv6 one leads to
    assert station_server.connections == 0


def test_the_certificate_is_still_checked_against_the_host_name(channel, network, resolver, ca):
    # Given the vetted address answers with a certificate for another name
    impostor = https_receiver(ca, "other.example")
    resolver.answers[STATION_HOST] = [[PUBLIC]]
    network.routes[PUBLIC] = impostor.port
    try:
        row = deliver_one(channel, f"https://{STATION_HOST}/hook")
    finally:
        impostor.close()

    # Then nothing is posted and the attempt is retried with the TLS error recorded
    assert impostor.requests == []
    assert row.state == "retrying"
    assert "certificate" in row.last_error.lower()


def test_when_the_first_address_does_not_answer_the_next_one_is_tried(
    channel, network, resolver, station_server
):
    resolver.answers[STATION_HOST] = [[PUBLIC, PUBLIC_2]]
    network.routes[PUBLIC_2] = station_server.port  # PUBLIC is unreachable

    row = deliver_one(channel, f"https://{STATION_HOST}/hook")

    assert row.state == "delivered"
    assert station_server.requests[0]["headers"]["Host"] == STATION_HOST


def test_a_host_with_a_public_ipv6_address_is_reached_there(
    channel, network, resolver, station_server
):
    resolver.answers[STATION_HOST] = [[PUBLIC_V6]]
    network.routes[PUBLIC_V6] = station_server.port

    row = deliver_one(channel, f"https://{STATION_HOST}:8443/hook")

    assert row.state == "delivered"
    assert station_server.requests[0]["headers"]["Host"] == f"{STATION_HOST}:8443"


def test_an_ipv6_literal_url_keeps_its_brackets_and_its_certificate(channel, network, resolver, ca):
    server = https_receiver(ca, PUBLIC_V6)
    network.routes[PUBLIC_V6] = server.port
    try:
        row = deliver_one(channel, f"https://[{PUBLIC_V6}]:{server.port}/hook")
    finally:
        server.close()

    assert row.state == "delivered"
    assert server.requests[0]["headers"]["Host"] == f"[{PUBLIC_V6}]:{server.port}"


def test_an_allow_listed_ipv6_loopback_receiver_works_over_plain_http(channel, settings):
    settings.STATION_PUSH_ALLOW_HOSTS = ["127.0.0.1", "::1"]
    receiver = Receiver(host="::1")
    try:
        row = deliver_one(channel, receiver.url)
    finally:
        receiver.close()

    assert row.state == "delivered"
    assert receiver.requests[0]["headers"]["Host"] == f"[::1]:{receiver.port}"


def test_an_allow_listed_host_name_is_reached_over_plain_http(channel, resolver, settings):
    settings.STATION_PUSH_ALLOW_HOSTS = ["intranet.test"]
    resolver.answers["intranet.test"] = [["127.0.0.1"]]
    receiver = Receiver()
    try:
        row = deliver_one(channel, f"http://intranet.test:{receiver.port}/hook")
    finally:
        receiver.close()

    assert row.state == "delivered"
    assert receiver.requests[0]["headers"]["Host"] == f"intranet.test:{receiver.port}"


def test_a_redirect_to_an_internal_address_is_not_followed(
    channel, network, resolver, station_server, internal_service
):
    resolver.answers[STATION_HOST] = [[PUBLIC]]
    network.routes[PUBLIC] = station_server.port
    station_server.respond = lambda request: (307, {"Location": internal_service.url})

    row = deliver_one(channel, f"https://{STATION_HOST}/hook")

    assert row.state == "failed" and "redirects are not followed" in row.last_error
    assert internal_service.connections == 0


def test_a_host_that_does_not_resolve_is_retried_with_the_reason(channel, resolver):
    resolver.answers[STATION_HOST] = [socket.gaierror(socket.EAI_NONAME, "Name not known")]

    row = deliver_one(channel, f"https://{STATION_HOST}/hook")

    assert row.state == "retrying"
    assert STATION_HOST in row.last_error and "Name not known" in row.last_error
