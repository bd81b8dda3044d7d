"""Atelier: the backend of an art community with a personalized feed."""
