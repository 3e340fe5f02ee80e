"""Extraction of facts from resolution text: segments, dates, names, organisations, decisions."""
