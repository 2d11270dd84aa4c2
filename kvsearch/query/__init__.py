"""Stage 4, queries: from what a user typed to ranked, highlighted passages with metadata.

Owns query parsing (Dutch-aware syntax, pasted questions), metadata filters, planning (which
scorer, which words), scoring (BM25F with numpy over Whoosh's postings, or Whoosh's matchers),
re-ranking by character 4-grams, per-document capping, highlighting, facets and statistics.
May import the index stage (to read a generation), analysis, models, errors and config; never
the ways in (api, cli, render).
"""
