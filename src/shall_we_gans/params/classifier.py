"""Parameter block of ``classifier``: ``adaptation.config.ClassifierConfig`` itself, so its
defaults and checks live in one place."""

from __future__ import annotations

from shall_we_gans.adaptation.config import ClassifierConfig

ClassifierBlock = ClassifierConfig

SCHEMAS = {"classifier": ClassifierBlock}
