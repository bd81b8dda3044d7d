"""Galleries: curated, ordered selections of posts."""
