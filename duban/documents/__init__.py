"""Documents that leave the system: formatted spreadsheets (``xlsx``) and reports in the official
layout of GB/T 9704 (``docx``). Plain Python over openpyxl and python-docx; no models."""
