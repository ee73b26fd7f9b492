"""Small helpers shared by tests."""


def if_match(client, url: str) -> dict:
    """The ``If-Match`` header a careful API client sends: the record's ETag as just read."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {"HTTP_IF_MATCH": response["ETag"]}
