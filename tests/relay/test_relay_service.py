"""The HTTP service: answers at once with a reason, bounded, 127.0.0.1, described by OpenAPI."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from eth_account import Account
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from panarchy import Support
from panarchy.charter.ballots import SECP256K1_HALF_N, SignedBallot
from panarchy.cli.relay import serve
from panarchy.relay import Relay, ServiceConfig, SettlerConfig, Store, connect
from panarchy.relay.validate import REFUSALS
from relay_faults import FaultProxy
from relay_helpers import get, new_members, post, receipt, wait_for

SECP256K1_N = 2 * SECP256K1_HALF_N + 1
#: Nothing settles: the batch is never full, never old enough, never urgent.
IDLE = SettlerConfig(batch_size=128, batch_age=3600, urgent_seconds=0, poll_interval=0.05)


def as_json(ballot: SignedBallot) -> dict:
    return json.loads(ballot.to_json())


@pytest.fixture
def start_relay(anvil, relayer, tmp_path: Path) -> Iterator:
    started: list[Relay] = []

    def start(charter, *, rpc: str | None = None, **limits) -> Relay:
        relay = Relay(connect(rpc or anvil.url, timeout=1.0), relayer,
                      Store(tmp_path / f"relay{len(started)}.sqlite3"), [charter.address],
                      settler_config=IDLE,
                      service_config=ServiceConfig(port=0, **limits))  # fmt: skip
        started.append(relay.start())
        return relay

    yield start
    for relay in started:
        relay.stop()


def test_service__listens_on_loopback_by_default(polity, start_relay):
    assert ServiceConfig().host == "127.0.0.1"
    assert {p.name: p.default for p in serve.params}["host"] == "127.0.0.1"
    relay = start_relay(polity[0])
    assert relay.server.server_address[0] == "127.0.0.1"


def test_service__accepts_once_then_answers_duplicates_and_conflicts(polity, start_relay):
    charter, members, pid = polity
    relay = start_relay(charter)
    ballot = charter.sign_ballot(members[0], pid, Support.FOR)
    status, body = post(relay.url, as_json(ballot))
    assert (status, body["outcome"], body["ballot"]["status"]) == (202, "accepted", "queued")
    status, body = post(relay.url, as_json(ballot))
    assert (status, body["outcome"]) == (200, "duplicate")
    other = charter.sign_ballot(members[0], pid, Support.AGAINST)
    status, body = post(relay.url, as_json(other))
    assert (status, body["error"], body["ballot"]["support"]) == (409, "conflict", "for")
    r = receipt(relay.url, ballot)
    assert (r["status"], r["voter"], r["proposal_id"], r["support"]) == (
        "queued",
        members[0].address,
        pid,
        "for",
    )
    assert relay.store.counts(charter.chain.chain_id)["queued"] == 1


def test_service__every_refusal_is_a_4xx_with_its_reason(
    chain, polity, founders, start_relay, make_charter
):
    charter, members, pid = polity
    relay = start_relay(charter)
    good = charter.sign_ballot(members[1], pid, Support.FOR)
    r, s, v = good.signature[:32], int.from_bytes(good.signature[32:64], "big"), good.signature[64]
    twin = r + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v])  # the high-s twin
    stranger = Account.create("stranger")
    (late,) = new_members(chain, charter, 1, "late-service")
    charter.vote(members[2], pid, Support.FOR)  # voted directly
    other_charter = make_charter()

    def with_(**changes) -> dict:
        return dict(as_json(good), **changes)

    cases = [
        (b"{not json", 400, "malformed"),
        (b"42", 400, "malformed"),
        (b"[]", 400, "malformed"),
        (with_(type="something/else"), 400, "malformed"),
        ({k: v for k, v in as_json(good).items() if k != "signature"}, 400, "malformed"),
        (with_(chain_id="abc"), 400, "malformed"),
        (with_(voter="0x1234"), 400, "malformed"),
        (with_(signature="nothex"), 400, "malformed"),
        (with_(support="maybe"), 422, "invalid_vote_type"),
        (with_(chain_id=chain.chain_id + 1), 422, "wrong_chain"),
        (as_json(other_charter.sign_ballot(members[1], 1, Support.FOR)), 422, "unknown_charter"),
        (with_(signature="0x" + "07" * 65), 422, "invalid_signature"),
        (with_(signature="0x" + twin.hex()), 422, "invalid_signature"),
        (with_(signature="0x" + "00" * 66), 422, "invalid_signature"),
        (with_(support="against"), 422, "invalid_signature"),  # a field changed after signing
        (as_json(charter.sign_ballot(members[1], 999, Support.FOR)), 422, "unknown_proposal"),
        (as_json(charter.sign_ballot(stranger, pid, Support.FOR)), 403, "not_a_member"),
        (as_json(charter.sign_ballot(late, pid, Support.FOR)), 403, "joined_after_proposal"),
        (as_json(charter.sign_ballot(members[2], pid, Support.FOR)), 409, "already_voted"),
    ]
    for body, status, code in cases:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        got, answer = post(relay.url, None, raw=raw)
        assert (got, answer["error"]) == (status, code), (body, answer)
        assert REFUSALS.get(code, status) == status and answer["message"]
    # A list is answered per ballot, in order.
    status, body = post(relay.url, [as_json(good), {"chain_id": 1}, with_(support="maybe")])
    assert status == 200
    assert [(r["status"], r.get("outcome") or r.get("error")) for r in body["results"]] == [
        (202, "accepted"), (400, "malformed"), (422, "invalid_vote_type")]  # fmt: skip
    assert relay.store.counts(chain.chain_id)["queued"] == 1


def test_service__bounded_body_size_and_list_length(polity, start_relay):
    charter, members, pid = polity
    relay = start_relay(charter, max_body=4096, max_ballots_per_request=3)
    status, body = post(relay.url, None, raw=b" " * 5000)
    assert (status, body["error"]) == (413, "too_large")
    ballots = [as_json(charter.sign_ballot(m, pid, Support.FOR)) for m in members[:4]]
    status, body = post(relay.url, ballots)
    assert (status, body["error"]) == (413, "too_many_ballots")
    host, port = relay.server.server_address[:2]
    with socket.create_connection((host, port), timeout=5) as conn:  # no Content-Length
        conn.sendall(b"POST /ballots HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        assert conn.recv(1024).startswith(b"HTTP/1.1 411")


def test_service__rate_limits_per_voter_and_per_client(polity, start_relay):
    charter, members, pid = polity
    relay = start_relay(charter, voter_rate=2)
    ballot = as_json(charter.sign_ballot(members[0], pid, Support.FOR))
    assert [post(relay.url, ballot)[0] for _ in range(3)] == [202, 200, 429]
    assert post(relay.url, as_json(charter.sign_ballot(members[1], pid, Support.FOR)))[0] == 202
    # A forged ballot in someone's name does not use up their allowance.
    relay = start_relay(charter, voter_rate=2)
    forged = dict(
        as_json(charter.sign_ballot(members[2], pid, Support.FOR)), voter=members[3].address
    )
    assert [post(relay.url, forged)[0] for _ in range(3)] == [422, 422, 422]
    assert post(relay.url, as_json(charter.sign_ballot(members[3], pid, Support.FOR)))[0] == 202
    relay = start_relay(charter, client_rate=3)
    statuses = [post(relay.url, None, raw=b"{}")[0] for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_service__back_pressure_when_the_queue_is_full(polity, start_relay):
    charter, members, pid = polity
    relay = start_relay(charter, max_queue=3)
    ballots = [as_json(charter.sign_ballot(m, pid, Support.FOR)) for m in members[:4]]
    assert [post(relay.url, b)[0] for b in ballots[:3]] == [202, 202, 202]
    r = requests.post(relay.url + "/ballots", json=ballots[3], timeout=5)
    assert (r.status_code, r.json()["error"], r.headers["Retry-After"]) == (
        503,
        "queue_full",
        "3600",
    )


def test_service__too_many_connections_at_once_get_503(polity, start_relay):
    relay = start_relay(polity[0], max_connections=1, request_timeout=5)
    host, port = relay.server.server_address[:2]
    with socket.create_connection((host, port), timeout=5):  # holds the only slot, silently
        time.sleep(0.2)
        status, body = get(relay.url, "/health")
        assert (status, body["error"]) == (503, "busy")
    wait_for(lambda: get(relay.url, "/health")[0] == 200, timeout=10)


def test_service__an_unreachable_node_is_a_503_not_a_500(polity, start_relay, anvil):
    charter, members, pid = polity
    with FaultProxy(anvil.url) as proxy:
        relay = start_relay(charter, rpc=proxy.url)
        assert get(relay.url, "/health")[0] == 200
        proxy.fail("error_before", times=None)
        status, body = post(relay.url, as_json(charter.sign_ballot(members[0], pid, Support.FOR)))
        assert (status, body["error"]) == (503, "node_unavailable")
        status, body = wait_for(
            lambda: (a := get(relay.url, "/health"))[0] == 503 and a, timeout=20
        )
        assert body["ok"] is False and body["problem"] == "node unavailable"
        proxy.clear()


def test_service__routes_receipts_and_health(polity, start_relay, relayer):
    charter, members, pid = polity
    relay = start_relay(charter)
    assert get(relay.url, "/nowhere")[0] == 404
    assert get(relay.url, "/ballots")[0] == 405
    assert get(relay.url, f"/ballots/{charter.address}/{pid}/not-an-address")[0] == 400
    assert get(relay.url, f"/ballots/{charter.address}/{pid}/{members[0].address}")[0] == 404
    status, health = get(relay.url, "/health")
    assert status == 200 and health["ok"] and health["relayer"] == relayer.address
    assert health["charters"] == [charter.address] and health["ballots"]["queued"] == 0
    assert requests.post(relay.url + "/elsewhere", data=b"{}", timeout=5).status_code == 404


def test_service__openapi_describes_every_endpoint_and_refusal(polity, start_relay):
    relay = start_relay(polity[0])
    status, spec = get(relay.url, "/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/ballots", "/ballots/{charter}/{proposal_id}/{voter}",
                                  "/health", "/openapi.json"}  # fmt: skip
    documented = set(spec["paths"]["/ballots"]["post"]["responses"])
    assert {str(s) for s in REFUSALS.values()} | {"200", "202", "411", "413"} <= documented
    codes = spec["components"]["schemas"]["Error"]["properties"]["error"]["description"]
    assert all(code in codes for code in REFUSALS)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=12,
)
_fields = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(["panarchy-ballot/1", "x"]) | st.integers(),
    "chain_id": st.integers(-5, 2**260) | st.text(max_size=8) | st.none(),
    "charter": st.text(max_size=44) | st.just("0x" + "ab" * 20),
    "proposal_id": st.integers(-5, 2**260) | st.text(max_size=8) | st.floats(allow_nan=False),
    "support": st.integers(-3, 5) | st.text(max_size=8) | st.booleans(),
    "voter": st.text(max_size=44) | st.just("0x" + "cd" * 20),
    "signature": st.text(max_size=140) | st.just("0x" + "11" * 65),
})  # fmt: skip


def test_service__garbage_never_gets_a_500(polity, start_relay):
    relay = start_relay(polity[0])
    service = relay.service

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=st.binary(max_size=64) | _json.map(lambda v: json.dumps(v).encode())
           | _fields.map(lambda v: json.dumps(v).encode()))  # fmt: skip
    def check(body: bytes) -> None:
        answer = service.post_ballots(body, "fuzz")
        results = (
            answer.body["results"]
            if answer.status == 200
            else [dict(answer.body, status=answer.status)]
        )  # a list is answered per ballot
        for result in results:
            assert 400 <= result["status"] < 500 or result["status"] == 503, (body, answer)
            assert result.get("error") and result.get("message")

    service.client_limiter.rate = 0  # the fuzzer is one very busy client
    check()
