"""The Cologne demo scenario: the programme "Durchstarten in Ausbildung und Arbeit" as the
city ran it from 2020 to 2023, with the council decision of 17 March 2022, and its people.

``load`` loads or deletes it; ``facts`` holds the published dates and amounts, ``setup``
the organisations, staff, programmes and offers, ``decisions`` and ``money`` the council
decisions and the budget; ``people_plan`` fixes who enters and succeeds when, so that the
reported figures follow, and ``people_build`` and ``case_work`` turn the plan into rows.
"""
