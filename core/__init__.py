"""What every app shares, below all of them: calendar files (``ics``), the inputs the
site accepts (``inputs``), API pagination, URL converters, absolute links, money and
text helpers, and the refusal base class. ``core`` imports no app of the project;
every app may import it (see the layers in pyproject.toml, checked by ``make lint``).
"""
