"""A unit stands for a lower organisation only one level down, and only a district or a company:
supervision runs level by level and never skips one (一级抓一级, seed 001 arts. 3, 5)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from duban.orgs.acting import acting_for, people_acting_for
from duban.orgs.models import Role, Unit

from ..factories import OrganizationFactory, UnitFactory, UserFactory


def test_the_link_must_point_one_level_down(levels):
    city, district = levels.city.org, levels.district.org
    stranger = OrganizationFactory()
    with pytest.raises(ValidationError) as err:
        UnitFactory(org=city, kind=Unit.Kind.DISTRICT, org_link=stranger)  # not the city's lower organisation
    assert "上级组织须为本单位所属组织" in str(err.value)
    grandchild = OrganizationFactory(parent=district)
    with pytest.raises(ValidationError):
        UnitFactory(org=city, kind=Unit.Kind.DISTRICT, org_link=grandchild)  # two levels down
    with pytest.raises(ValidationError):
        UnitFactory(org=district, kind=Unit.Kind.DISTRICT, org_link=city)  # upward
    with pytest.raises(ValidationError) as err:
        UnitFactory(org=city, kind=Unit.Kind.DEPARTMENT, org_link=OrganizationFactory(parent=city))
    assert "下级政府" in str(err.value)
    company = UnitFactory(org=city, kind=Unit.Kind.COMPANY, org_link=OrganizationFactory(parent=city))
    assert company.org_link.parent == city


def test_one_unit_per_lower_organisation(levels):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(org=levels.city.org, name="东城区（重复）", kind=Unit.Kind.DISTRICT, org_link=levels.district.org)


def test_the_admin_form_says_why(levels, client):
    admin = UserFactory(unit=levels.city.office, role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    r = client.post(reverse("admin:orgs_unit_add"), {
        "org": levels.city.org.id, "name": "南湖区人民政府", "short_name": "南湖区", "kind": "department",
        "order": 100, "is_active": "on", "org_link": OrganizationFactory(parent=levels.city.org).id,
    })
    assert r.status_code == 200 and "只有“下级政府”或“企业”类型的单位可以对应下级组织" in r.content.decode()
    assert not Unit.objects.filter(name="南湖区人民政府").exists()


def test_who_answers_for_the_linked_unit(levels):
    link = levels.link.id
    assert acting_for(levels.dc_supervisor).liaison == {link} and acting_for(levels.dc_supervisor).head == frozenset()
    assert acting_for(levels.dc_office_head).liaison == {link} and acting_for(levels.dc_office_head).head == {link}
    for nobody in (levels.district.leader, levels.district.liaison["lead"], levels.city.supervisor):
        assert link not in acting_for(nobody).units
    assert set(people_acting_for([link], head=False)) == {levels.dc_supervisor, levels.dc_office_head}
    assert set(people_acting_for([link], liaison=False)) == {levels.dc_office_head}
    lead = levels.city.units["lead"].id
    assert set(people_acting_for([lead])) == {levels.city.liaison["lead"], levels.city.head["lead"]}
