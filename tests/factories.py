"""factory_boy factories shared by every app's tests."""

import datetime

import factory

from wards.models import AdministrativeUnit, Organization, ResidentialArea, User

PASSWORD = "Test@12345"  # noqa: S105


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    kind = "ward"
    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Phường {n}")
    slug = factory.Sequence(lambda n: f"phuong-t{n}")
    valid_from = datetime.date(2008, 1, 1)
    valid_to = None


class ResidentialAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentialArea

    unit = factory.SubFactory(UnitFactory)
    kind = "khu_pho"
    name = factory.Sequence(lambda n: f"Khu phố {n}")
    households = 400


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    unit = factory.SubFactory(UnitFactory)
    kind = "agency"
    name = factory.Sequence(lambda n: f"Cơ quan {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "official"
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
