"""The gate page: counterpart, history, projects and trade."""

import pytest

from gates.models import Gate

pytestmark = pytest.mark.django_db


def test_gate_page_shows_counterpart_history_projects_and_trade(client, demo_data):
    gate = Gate.objects.get(code="tra-linh")
    html = client.get(gate.get_absolute_url()).content.decode()
    assert gate.counterpart_name in html
    assert "28/12/2023" in html  # upgraded to an international gate
    assert "Nhà kiểm soát liên hợp cửa khẩu Trà Lĩnh" in html
    assert "01/2018" in html  # the trade record of January 2018
