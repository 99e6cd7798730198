"""The resources every woman in a cohort sees are cached, and any change to the library shows
on her home at once (issue 14)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resources.models import Resource
from tests.factories import CohortFactory, CohortMembershipFactory, ResourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def her_cohort(member, clinic):
    cohort = CohortFactory(clinics=[clinic])
    CohortMembershipFactory(cohort=cohort, patient=member.patient)
    return cohort


@pytest.fixture
def her_home(client, member):
    client.force_login(member)
    return lambda: client.get(reverse("member_home")).content.decode()


def _cohort_list_reads(queries) -> int:
    """Reads of which resources are for which cohorts (what the cache holds)."""
    return sum('"resources_resource_cohorts"' in q["sql"] for q in queries.captured_queries)


def test_a_second_view_reads_the_cohorts_resources_from_the_cache(her_cohort, her_home):
    ResourceFactory(title="Twins Trust helpline").cohorts.add(her_cohort)
    with CaptureQueriesContext(connection) as queries:
        assert "Twins Trust helpline" in her_home()
    assert _cohort_list_reads(queries) == 1

    with CaptureQueriesContext(connection) as queries:
        assert "Twins Trust helpline" in her_home()

    assert _cohort_list_reads(queries) == 0


def test_an_edited_resource_shows_at_once(her_cohort, her_home):
    resource = ResourceFactory(title="Old title")
    resource.cohorts.add(her_cohort)
    assert "Old title" in her_home()

    resource.title = "New title"
    resource.save()

    page = her_home()
    assert "New title" in page and "Old title" not in page


def test_a_resource_given_to_her_cohort_shows_and_one_taken_away_goes(her_cohort, her_home):
    resource = ResourceFactory(title="Breastfeeding support")
    assert "Breastfeeding support" not in her_home()

    resource.cohorts.add(her_cohort)
    assert "Breastfeeding support" in her_home()

    resource.cohorts.remove(her_cohort)
    assert "Breastfeeding support" not in her_home()


def test_a_deleted_resource_goes(her_cohort, her_home):
    resource = ResourceFactory(title="Withdrawn leaflet")
    resource.cohorts.add(her_cohort)
    assert "Withdrawn leaflet" in her_home()

    Resource.objects.filter(pk=resource.pk).delete()

    assert "Withdrawn leaflet" not in her_home()


def test_another_cohorts_list_is_not_hers(her_cohort, her_home, clinic):
    ResourceFactory(title="For another group").cohorts.add(CohortFactory(clinics=[clinic]))
    ResourceFactory(title="For her group").cohorts.add(her_cohort)

    page = her_home()

    assert "For her group" in page and "For another group" not in page
