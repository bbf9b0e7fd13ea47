"""Unit boundaries: GeoJSON checked on upload, dates within the unit's, no overlapping rows."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UnitFactory
from wards.forms import UnitBoundaryAdminForm
from wards.geojson import parse_geometry
from wards.models import UnitBoundary

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[106.3, 10.3], [106.4, 10.3], [106.4, 10.4], [106.3, 10.4], [106.3, 10.3]]],
}


def test_a_feature_collection_of_one_feature_gives_its_geometry():
    text = json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": SQUARE}]}
    )
    assert parse_geometry(text) == SQUARE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "không phải GeoJSON"),
        (json.dumps({"type": "Point", "coordinates": [106.3, 10.3]}), "Polygon hoặc MultiPolygon"),
        (
            json.dumps({"type": "FeatureCollection", "features": []}),
            "đúng một đối tượng",
        ),
        (
            json.dumps({"type": "Polygon", "coordinates": [[[10.3, 106.3], [10.4, 106.3]]]}),
            "ít nhất bốn điểm",
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[10.3, 106.3], [10.4, 106.3], [10.4, 106.4], [10.3, 106.3]]],
                }
            ),
            "kinh độ trước",
        ),
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[106.3, 10.3], [106.4, 10.3], [106.4, 10.4], [106.3, 10.5]]],
                }
            ),
            "điểm đầu",
        ),
    ],
)
def test_bad_geojson_is_refused_with_a_message_saying_what_is_wrong(data, message):
    with pytest.raises(ValidationError) as error:
        parse_geometry(data)
    assert message in error.value.messages[0]


@pytest.mark.django_db
def test_boundary_dates_must_lie_within_the_unit_and_not_overlap():
    unit = UnitFactory(valid_from=datetime.date(2008, 1, 1), valid_to=datetime.date(2025, 6, 30))
    UnitBoundary.objects.create(unit=unit, geometry=SQUARE, valid_from=datetime.date(2008, 1, 1))
    late = UnitBoundary(unit=unit, geometry=SQUARE, valid_from=datetime.date(2010, 1, 1))
    with pytest.raises(ValidationError) as error:
        late.full_clean()
    messages = " ".join(error.value.message_dict["valid_from"])
    assert "trong thời gian tồn tại của đơn vị" in messages
    assert "Một ranh giới khác của đơn vị này" in messages


@pytest.mark.django_db
def test_admin_form_takes_an_uploaded_file():
    unit = UnitFactory(valid_from=datetime.date(2008, 1, 1), valid_to=None)
    upload = SimpleUploadedFile(
        "p1.geojson", json.dumps({"type": "Feature", "geometry": SQUARE}).encode()
    )
    form = UnitBoundaryAdminForm(
        data={"unit": unit.pk, "valid_from": "2008-01-01", "source": "Bản đồ 2008"},
        files={"upload": upload},
    )
    assert form.is_valid(), form.errors
    boundary = form.save()
    assert boundary.geometry == SQUARE


@pytest.mark.django_db
def test_admin_form_explains_a_bad_upload():
    unit = UnitFactory(valid_from=datetime.date(2008, 1, 1), valid_to=None)
    upload = SimpleUploadedFile("p1.geojson", b'{"type": "LineString", "coordinates": []}')
    form = UnitBoundaryAdminForm(
        data={"unit": unit.pk, "valid_from": "2008-01-01"}, files={"upload": upload}
    )
    assert not form.is_valid()
    assert "LineString" in form.errors["upload"][0]


@pytest.mark.django_db
def test_admin_lists_and_adds_boundaries(admin_client):
    assert admin_client.get(reverse("admin:wards_unitboundary_add")).status_code == 200
    assert admin_client.get(reverse("admin:wards_unitboundary_changelist")).status_code == 200
