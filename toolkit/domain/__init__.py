"""Domain layer: the shared concepts every stage asks, below check, assign, report and automate.

- ``context``   Context: workspace, settings, as-of date, calendar, ``ctx.care`` (built once)
- ``requests``  the request lifecycle: stage, stage dates, due date, open/closed
- ``care``      CareIndex: visits matched to residents and volunteers, care tiers, intervals
- ``names``     ``norm`` (a name/id as compared) and ``usable`` (a value that parsed)
- ``people``    ages and birth dates from the resident ID
- ``health``    blood pressure: plausible ranges and classes (偏高/偏低/危急)
- ``records``   RecordRef: a finding's reference to its record, and the one resolver
- ``council``   the resident council: meetings from the minutes, 议题 ↔ request matching
                (character-bigram Dice), report-back deadlines

The domain imports only ``toolkit.model``, ``schema``, ``settings``, ``workdays`` and ``text``;
never a stage (read, check, assign, report, automate). See docs/architecture.md.
"""
