"""factory_boy factories for the registry's tests."""

import datetime

import factory

from models_registry.models import ModelSite, PreventionModel, SiteEvaluation
from tests.factories import UnitFactory


class PreventionModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreventionModel

    name = factory.Sequence(lambda n: f"Mô hình thử {n}")
    slug = factory.Sequence(lambda n: f"mo-hinh-thu-{n}")
    category = "self_management"
    lead_organisation = "police"
    origin_unit = factory.SubFactory(UnitFactory)
    start_date = datetime.date(2016, 1, 1)


class ModelSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelSite

    model = factory.SubFactory(PreventionModelFactory)
    unit = factory.SubFactory(UnitFactory)
    start_date = datetime.date(2016, 6, 1)
    households = 120
    members = 15
    teams = 2
    cameras = 0


class SiteEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteEvaluation

    site = factory.SubFactory(ModelSiteFactory)
    year = 2020
    grade = "good"
    tip_offs = 3
    cases_solved = 1
    mediations = 2
    patrols = 24
