"""Two approvers deciding the same dossier at once: the row is locked and its version checked,
like a report's approval (issue 10: of 20 parallel decisions 2 were acknowledged, 1 lost)."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from campaigns.certifications import services
from campaigns.certifications.models import Dossier, DossierStatus
from tests.factories import UserFactory

D = datetime.date
ANTT = "antt_safe"


@pytest.fixture
def submitted(official_a, area_a):
    dossier = services.dossier_create(
        user=official_a, holder=area_a, kind=ANTT, year=2021, registered_on=D(2021, 2, 15)
    )
    dossier.assessments.filter(criterion__kind="yes_no").update(met=True, evidence="Biên bản")
    return services.dossier_submit(dossier=dossier, user=official_a)


def _decision(version, number="45/QĐ-UBND"):
    return {
        "version": str(version),
        "result": "met",
        "decision_number": number,
        "decision_date": "2021-11-20",
        "issuing_body": "Ủy ban nhân dân Phường 1",
        "certificate_number": "12/GCN",
    }


@pytest.mark.django_db
def test_the_second_approver_is_told_the_dossier_changed(client, login, approver, city, submitted):
    url = reverse("certifications:dossier_decide", args=[submitted.pk])
    first = login(approver)
    page = first.get(url).content.decode()
    assert f'name="version" value="{submitted.version}"' in page
    # Both opened the page at this version; the first decision wins…
    assert first.post(url, _decision(submitted.version)).status_code == 302
    # …the second, from the same page, is told the dossier changed, and changes nothing.
    other = UserFactory(username="approver-2", role="approver", unit=city)
    client.force_login(other)
    response = client.post(url, _decision(submitted.version, number="99/QĐ-UBND"), follow=True)
    assert "Người khác đã thay đổi hồ sơ này sau khi bạn mở trang" in response.content.decode()
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert (dossier.decision_number, dossier.decided_by) == ("45/QĐ-UBND", approver)
    assert dossier.version == submitted.version + 1


@pytest.mark.django_db
def test_a_decision_from_an_old_version_is_refused_by_the_service(approver, official_a, submitted):
    old = submitted.version
    services.dossier_return(dossier=submitted, user=approver, note="Bổ sung biên bản")
    resubmitted = services.dossier_submit(dossier=submitted, user=official_a)
    with pytest.raises(services.DossierChanged):
        services.dossier_decide(
            dossier=resubmitted,
            user=approver,
            result="met",
            decision_number="1/QĐ",
            decision_date=D(2021, 11, 20),
            issuing_body="UBND",
            certificate_number="1/GCN",
            expected_version=old,
        )
    assert Dossier.objects.get(pk=submitted.pk).status == DossierStatus.SUBMITTED


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_decisions_one_acknowledged_the_rest_told_it_changed(approver, submitted):
    version = submitted.version
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def decide(number: int) -> None:
        try:
            barrier.wait()
            services.dossier_decide(
                dossier=submitted,
                user=approver,
                result="met",
                decision_number=f"{number}/QĐ-UBND",
                decision_date=D(2021, 11, 20),
                issuing_body="UBND",
                certificate_number=f"{number}/GCN",
                expected_version=version,
            )
            outcome = "decided"
        except services.DossierChanged:
            outcome = "changed"
        except Exception as exc:  # anything else is a failure of the test, shown as such
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["changed"] * 19 + ["decided"]
    dossier = Dossier.objects.get(pk=submitted.pk)
    assert dossier.status == DossierStatus.DECIDED and dossier.version == version + 1
