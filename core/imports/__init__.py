"""Spreadsheet import: staff upload a CSV or XLSX file of records, see a dry run, then apply it.

This package is the generic part; each kind of record declares its columns and how a row becomes
a record (``projects.imports``, ``investment.imports``). Rows are matched to existing records by
their code, so importing a file again updates rather than duplicates.

The flow is file → rows → cells → importer → report:

- ``reading``: the file, within its limits, is read into rows, and its header is matched to the
  columns (``read_table``);
- ``cells``: each cell is parsed by its column: text, a code, a number, a date, yes or no, a
  choice (``Column.parse``);
- ``engine``: the importer matches each row to its record by its key and validates it (a dry
  run) or writes it (an apply), every row or none, into a ``Report`` (``Importer.run``); the
  apps register their importers there (``register``);
- ``templates``: the CSV and XLSX templates staff download, with an example row.

What staff read about files, headers and limits is in ``reading``; about cells, numbers and dates
in ``cells``.
"""
