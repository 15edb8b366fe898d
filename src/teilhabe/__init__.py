"""Teilhabe runs a municipal integration programme end to end."""
