"""CrayAI HPO's import path: ``from crayai import hpo`` gives the hpo package, so that the seed's
driver scripts run unchanged."""

import sys

import hpo

sys.modules[__name__ + ".hpo"] = hpo

__all__ = ["hpo"]
