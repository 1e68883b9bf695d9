"""What fairness cost in a run: the ScheduleRun row keeps the best total without the fairness rule and
the budget the run used; the run JSON adds fairness_cost; the staff page says it in one line (French
by default, English with ?lang=en), "no limit" under strict fairness."""

from __future__ import annotations

import html

import anyio
import pytest

from scheduling.tables import ScheduleRun
from tests.auth import login_staff
from tests.conftest import post
from tests.scheduling.test_fairness_setting import api, contested


def last_row(prog: int) -> dict:
    async def read() -> dict:
        return (
            await ScheduleRun.select()
            .where(ScheduleRun.programme == prog)
            .order_by(ScheduleRun.id, ascending=False)
            .first()
        )

    return anyio.run(read)


def page_text(client, prog: int, lang: str = "") -> str:
    r = client.get(f"/staff/meetings/{prog}" + (f"?lang={lang}" if lang else ""))
    assert r.status_code == 200
    return html.unescape(r.text)


# contested(): the best total is 9 (p1 meets b1 (must: 3) and b2 (mutual: 2 + 2 + 2)); giving b1 to p2
# instead (if possible: 1) leaves 7, i.e. 2/9 = 22.2 % given up so that p2 gets a meeting.
@pytest.mark.parametrize(
    ("budget_bp", "total", "fr_limit", "en_limit"),
    [
        (None, 7, "sans limite", "no limit"),
        (3000, 7, "limite 30 %", "limit 30 %"),
        (100, 9, "limite 1 %", "limit 1 %"),
        (0, 9, "limite 0 %", "limit 0 %"),
    ],
    ids=["strict", "budget-30pc", "budget-1pc", "budget-0"],
)
def test_run_row_json_and_staff_page_show_what_fairness_cost(client, budget_bp, total, fr_limit, en_limit):
    s = contested(budget_bp)
    login_staff(client)
    r = post(client, f"{api(s['prog'])}/run")
    assert r.status_code == 200, r.text
    data = r.json()

    row = last_row(s["prog"])
    assert row["id"] == data["run"]
    assert row["fairness_budget_bp"] == budget_bp == data["fairness_budget_bp"]
    assert (
        row["best_total_weight"] == pytest.approx(9) and data["best_total_weight"] == row["best_total_weight"]
    )
    assert row["total_weight"] == pytest.approx(total) and data["total_weight"] == row["total_weight"]
    best = row["best_total_weight"]
    assert data["fairness_cost"] == pytest.approx((best - row["total_weight"]) / best)
    assert data["fairness_cost"] == pytest.approx((9 - total) / 9)
    if budget_bp is not None:
        assert data["fairness_cost"] <= budget_bp / 10000 + 1e-9
    else:
        assert data["fairness_cost"] > 0  # strict fairness costs something here
        assert data["min_share"] > 0

    cost = (9 - total) / 9 * 100
    share = f"{row['min_share'] * 100:.0f} %"
    fr_cost = f"{cost:.1f}".replace(".", ",")  # 22,2 or 0,0
    fr = page_text(client, s["prog"])
    assert (
        f"Total {total} sur un maximum possible de 9 ({fr_cost} % cédés à l'équité ; {fr_limit}) ; "
        f"participant le moins bien servi : {share} de ses souhaits."
    ) in fr
    en = page_text(client, s["prog"], "en")
    assert (
        f"Total {total} of a best possible 9 ({cost:.1f} % given up for fairness; {en_limit}); "
        f"worst-off participant: {share} of their wishes."
    ) in en


def test_fractional_limit_and_old_runs_without_a_best_total(client):
    s = contested(250)
    login_staff(client)
    assert post(client, f"{api(s['prog'])}/run").status_code == 200
    assert "limite 2,5 %" in page_text(client, s["prog"])
    assert "limit 2.5 %" in page_text(client, s["prog"], "en")

    # a run stored before the best total was kept (or a late run without one): no cost, no crash
    row = last_row(s["prog"])
    anyio.run(
        lambda: ScheduleRun.update({ScheduleRun.best_total_weight: None}).where(ScheduleRun.id == row["id"])
    )
    fr = page_text(client, s["prog"], "fr")  # the language chosen stays: back to French
    assert f"Total {row['total_weight']:.0f} ; participant le moins bien servi" in fr
    assert "cédés à l'équité" not in fr
    assert f"Total {row['total_weight']:.0f}; worst-off participant" in page_text(client, s["prog"], "en")
