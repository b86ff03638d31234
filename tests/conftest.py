"""Suite-wide settings: Hypothesis profiles.

The default profile is derandomised and bounded so `make test` and CI give the
same result every run; ``HYPOTHESIS_PROFILE=explore`` searches further with
fresh randomness when hunting for bugs.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "accord",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
settings.register_profile("explore", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "accord"))
