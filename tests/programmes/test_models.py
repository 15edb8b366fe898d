import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from teilhabe.programmes.models import AmendmentKind, EligibilityRule, Offer
from tests.factories import (
    AmendmentFactory,
    DecisionFactory,
    EligibilityRuleFactory,
    ModuleFactory,
    OfferFactory,
    ProgrammeFactory,
    ProviderFactory,
)
from tests.invariants import assert_refused

pytestmark = pytest.mark.django_db


def test_a_programme_ending_before_it_starts_is_refused() -> None:
    programme = ProgrammeFactory.build(starts_on=dt.date(2020, 7, 1), ends_on=dt.date(2020, 6, 30))
    programme.owner.save()
    assert_refused(programme, message="Das Ende darf nicht vor dem Beginn liegen.")


def test_a_module_ending_before_it_starts_is_refused() -> None:
    module = ModuleFactory.build(programme=ProgrammeFactory(), valid_until=dt.date(2020, 1, 1))
    assert_refused(module, message="„gültig bis“ darf nicht vor „gültig ab“ liegen.")


def test_a_module_cannot_start_before_its_programme() -> None:
    programme = ProgrammeFactory()
    module = ModuleFactory.build(programme=programme, valid_from=dt.date(2019, 1, 1))
    with pytest.raises(ValidationError) as error:
        module.full_clean()
    assert error.value.message_dict["valid_from"] == [
        "Ein Baustein kann nicht vor dem Programm beginnen."
    ]


def test_two_modules_with_one_code_in_a_programme_are_refused() -> None:
    first = ModuleFactory(code="F1")
    twin = ModuleFactory.build(programme=first.programme, code="F1")
    assert_refused(twin, message="Dieses Kürzel gibt es im Programm schon.")


def test_a_negative_unit_rate_is_refused() -> None:
    module = ModuleFactory.build(programme=ProgrammeFactory(), unit_rate=-1)
    assert_refused(module, message="Der Satz je Einheit darf nicht negativ sein.")


def test_a_course_run_needs_an_end_and_places() -> None:
    module = ModuleFactory()
    offer = OfferFactory.build(
        module=module, provider=ProviderFactory(municipality=module.programme.owner), places=None
    )
    assert_refused(offer, message="Ein Kursdurchgang braucht")


def test_an_offer_ending_before_it_starts_is_refused() -> None:
    module = ModuleFactory()
    offer = OfferFactory.build(
        module=module,
        provider=ProviderFactory(municipality=module.programme.owner),
        starts_on=dt.date(2021, 3, 1),
        ends_on=dt.date(2021, 2, 1),
    )
    assert_refused(offer, message="Das Ende darf nicht vor dem Beginn liegen.")


def test_a_continuous_service_needs_no_places() -> None:
    offer = OfferFactory(kind=Offer.Kind.CONTINUOUS_SERVICE, ends_on=None, places=None)
    assert offer.pk


def test_an_eligibility_rule_with_an_unknown_residence_type_is_refused() -> None:
    rule = EligibilityRuleFactory.build(programme=ProgrammeFactory(), main_group_statuses=["visum"])
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert error.value.message_dict["main_group_statuses"] == [
        "Unbekannter Aufenthaltsstatus: visum"
    ]


def test_an_eligibility_rule_with_min_age_above_max_age_is_refused() -> None:
    rule = EligibilityRuleFactory.build(programme=ProgrammeFactory(), min_age=28, max_age=27)
    assert_refused(rule, message="Das Mindestalter darf nicht über dem Höchstalter liegen.")


def test_two_eligibility_rules_from_the_same_day_are_refused() -> None:
    first = EligibilityRuleFactory()
    twin = EligibilityRule(programme=first.programme, valid_from=first.valid_from)
    assert_refused(twin, message="Für diesen Tag gibt es schon eine Förderregel.")


def test_an_extension_without_a_new_end_is_refused() -> None:
    amendment = AmendmentFactory.build(decision=DecisionFactory(), new_end_date=None)
    assert_refused(amendment, message="Eine Laufzeitänderung braucht ein neues Enddatum.")


def test_ending_a_module_needs_the_module() -> None:
    amendment = AmendmentFactory(kind=AmendmentKind.EXTEND_PROGRAMME)
    amendment.kind = AmendmentKind.END_MODULE
    assert_refused(amendment, message="Das Ende eines Bausteins braucht den Baustein")


def test_a_programme_is_not_its_own_successor() -> None:
    amendment = AmendmentFactory()
    amendment.successor_programme = amendment.programme
    with pytest.raises(ValidationError) as error:
        amendment.full_clean()
    assert "sein eigener Nachfolger" in error.value.message_dict["successor_programme"][0]


def test_changing_eligibility_needs_the_new_rule() -> None:
    amendment = AmendmentFactory()
    amendment.kind = AmendmentKind.CHANGE_ELIGIBILITY
    assert_refused(amendment, message="Eine Änderung der Förderregeln braucht die neue Regel.")


def test_a_module_cannot_end_before_it_started() -> None:
    module = ModuleFactory()
    amendment = AmendmentFactory(programme=module.programme)
    amendment.kind = AmendmentKind.END_MODULE
    amendment.module = module
    amendment.new_end_date = dt.date(2019, 12, 31)
    with pytest.raises(ValidationError) as error:
        amendment.full_clean()
    assert error.value.message_dict["new_end_date"] == [
        "Der Baustein kann nicht vor seinem Beginn enden."
    ]


def test_an_amendment_names_only_modules_of_its_programme() -> None:
    amendment = AmendmentFactory()
    amendment.kind = AmendmentKind.END_MODULE
    amendment.module = ModuleFactory()
    with pytest.raises(ValidationError) as error:
        amendment.full_clean()
    assert error.value.message_dict["module"] == ["Der Baustein gehört nicht zu diesem Programm."]
