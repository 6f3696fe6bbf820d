"""Nothing a user screens ends up in the server's log."""

from __future__ import annotations

import json

import httpx

from tests.api.server import LiveServer

SECRET_NAME = "Wexfordshire Plumbottom Yarrowgate"


def test_screened_names_never_reach_the_log(server: LiveServer, client: httpx.Client) -> None:
    query = {"queries": {"q": {"schema": "Person", "properties": {"name": [SECRET_NAME]}}}}
    assert client.post("/match/default", json=query).status_code == 200
    assert client.get("/search/default", params={"q": SECRET_NAME}).status_code == 200
    recon = {"q0": {"query": SECRET_NAME}}
    assert client.get("/reconcile", params={"queries": json.dumps(recon)}).status_code == 200
    assert client.post("/ui/screen", data={"name": SECRET_NAME}).status_code == 200
    client.post("/match/default", json={"queries": {"q": {"schema": SECRET_NAME, "properties": {}}}})
    log = server.log_text()
    assert "/match/default" in log, "the access log records paths"
    for word in SECRET_NAME.split():
        assert word not in log
